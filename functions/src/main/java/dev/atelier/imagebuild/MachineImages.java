package dev.atelier.imagebuild;

import java.util.Map;

/**
 * The machine images (AMIs) builds made, in EC2 — the engine's locally, AWS's in AWS.
 * <p>Contract: {@link #deregister} deregisters each AMI and deletes the snapshots its block
 * devices used; AMIs already gone are skipped, so it may be repeated. Errors other than "not
 * found" throw {@link MachineImageException} with the service's message.
 */
public interface MachineImages {

    /** @param amiIdsByRegion AMI id by region, as a build records them */
    void deregister(Map<String, String> amiIdsByRegion);

    /** EC2 refused a request. */
    class MachineImageException extends RuntimeException {
        public MachineImageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
