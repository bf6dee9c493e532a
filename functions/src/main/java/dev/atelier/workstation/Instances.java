package dev.atelier.workstation;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What workstations need of EC2 (the adapter: {@code ec2/Ec2Instances}). Every call is safe to
 * repeat: launches and volumes carry a client token, and the state changes are no-ops on an
 * instance already there.
 */
public interface Instances {

    /**
     * What to launch.
     *
     * @param clientToken   makes a repeated launch answer the first one's instance
     * @param tags          put on the instance, its root volume and its network interface
     * @param userData      the boot script (plain; the adapter encodes it)
     * @param availabilityZone where it must run (its home volume's zone), or null for any
     */
    record LaunchSpec(String clientToken, String amiId, String instanceType, Map<String, String> tags,
                      @Nullable String userData, @Nullable String availabilityZone) { }

    /** An instance as EC2 answers it. */
    record Instance(String instanceId, String state, @Nullable String availabilityZone, @Nullable String imageId,
                    List<String> volumeIds) { }

    /** A home volume as EC2 answers it. */
    record Volume(String volumeId, String state, @Nullable String attachedTo) { }

    /**
     * EC2 refused, for a reason the same request will meet again (capacity, a type the region
     * lacks, a quota): the workstation fails with this message.
     */
    class RefusedException extends RuntimeException {
        public RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The instance is not in a state that allows the call (EC2's IncorrectInstanceState). */
    class WrongStateException extends RuntimeException {
        public WrongStateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Instance launch(LaunchSpec spec);

    /** A new empty volume for a user's data, in the instance's zone. */
    Volume createHome(String clientToken, String availabilityZone, int sizeGb, Map<String, String> tags);

    /** Attaches the home volume (idempotent: attached already is done). */
    void attachHome(String volumeId, String instanceId);

    /** @return the state EC2 answers (e.g. {@code stopping}) */
    String start(String instanceId);

    String stop(String instanceId);

    String terminate(String instanceId);

    /** Deletes a volume; an unknown one is gone already. @throws WrongStateException while still attached */
    void deleteVolume(String volumeId);

    Optional<Instance> describe(String instanceId);

    Optional<Volume> describeVolume(String volumeId);

    /**
     * Puts the idle settings in force on the instance's tags {@link WorkstationTags#IDLE_MINUTES} and
     * {@link WorkstationTags#WARN_MINUTES}, which the on-box agent reads (instance metadata) to warn
     * its user before an idle stop; a null value removes its tag. Only those two tags change.
     */
    void showIdleSettings(String instanceId, @Nullable Long idleMinutes, @Nullable Long warnMinutes);

    /** Whether the instance carries Atelier's workspace tag (an instance the product made). */
    boolean ours(String instanceId);
}
