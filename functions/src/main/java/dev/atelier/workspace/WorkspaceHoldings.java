package dev.atelier.workspace;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * What a workspace holds outside its own records — builds and the machine images they made
 * today, workstations later. Deleting a workspace first asks every holder what still runs (the
 * deletion is refused, naming it), then has each release what it holds, so nothing of the
 * workspace is left in any service. Both are given the items of the workspace's partition, read
 * once for all holders.
 */
public interface WorkspaceHoldings {

    /** What still runs in the workspace and must end (or be cancelled) before it can go, in the caller's words. */
    List<String> stillRunning(String slug, List<Map<String, AttributeValue>> items);

    /**
     * Removes what the workspace holds in other services (images, Image Builder resources, blobs).
     * What is already gone is skipped, so it may be repeated.
     *
     * @throws ReleaseException when a service refused to remove something (the workspace stays, to be deleted again)
     */
    void release(String slug, List<Map<String, AttributeValue>> items);

    /**
     * The workspace's records are gone (after {@link #release}): what a holder keeps elsewhere
     * from those records (e.g. schedules made from its settings) may follow. Must not fail the
     * deletion, which is done.
     */
    default void gone(String slug) {
    }

    /** A service refused to remove something the workspace holds. */
    class ReleaseException extends RuntimeException {
        public ReleaseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
