package dev.atelier.imagebuild;

import java.util.Map;

/**
 * The machine images (AMIs) builds leave behind — EC2 in AWS and in the local engine alike.
 * <p>Contract:
 * <ul>
 *   <li>{@link #deregister} deregisters each AMI, in its region, and deletes the snapshots its
 *   block devices used (an AMI's snapshots outlive it otherwise, and are paid for). AMIs already
 *   gone are skipped, and snapshots already gone too, so it may be repeated.</li>
 * </ul>
 * Errors: {@link MachineImageException} when EC2 refuses a request for any reason other than the
 * AMI or snapshot being gone (permissions, a snapshot still used by another AMI, a malformed id…),
 * with EC2's message. AMIs handled before the refusal stay deregistered.
 */
public interface MachineImages {

    /**
     * @param amiIdsByRegion AMI id by region, as {@link ImageBuilder.ImageState#amis()} reports them
     */
    void deregister(Map<String, String> amiIdsByRegion);

    /** EC2 refused a request about a machine image. */
    class MachineImageException extends RuntimeException {
        public MachineImageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
