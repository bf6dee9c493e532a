package dev.atelier.build;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A build's status as the API shows it. Statuses only move forward (their order below); the
 * last three end a build, and nothing moves a build that has ended.
 */
public enum BuildStatus {
    PENDING, BUILDING, TESTING, DISTRIBUTING, AVAILABLE, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BuildStatus of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    public boolean ended() {
        return this == AVAILABLE || this == FAILED || this == CANCELLED;
    }

    private int rank() {
        return ended() ? 4 : ordinal();
    }

    /** The statuses a build may be in for it to move to this one. */
    public List<BuildStatus> reachableFrom() {
        return java.util.Arrays.stream(values()).filter(s -> !s.ended() && s.rank() < rank()).toList();
    }

    /**
     * Image Builder's image status as ours; empty for statuses that say nothing about a build in
     * progress (an image deprecated or deleted later).
     */
    public static Optional<BuildStatus> fromImageBuilder(ImageBuilder.Status status) {
        return Optional.ofNullable(switch (status) {
            case PENDING, CREATING -> PENDING;
            case BUILDING -> BUILDING;
            case TESTING -> TESTING;
            case DISTRIBUTING, INTEGRATING -> DISTRIBUTING;
            case AVAILABLE -> AVAILABLE;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case DEPRECATED, DELETED, DISABLED -> null;
        });
    }
}
