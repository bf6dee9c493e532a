package dev.atelier.access;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * The facts about one resource that authorization needs.
 *
 * @param launcherUserId for a running workstation, the member who launched it (holds {@code full})
 */
public record ResourceFacts(ResourceKind kind, String id, List<Grant> grants, @Nullable String launcherUserId) {

    public ResourceFacts {
        grants = List.copyOf(grants);
    }
}
