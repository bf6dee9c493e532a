package dev.atelier.workstation;

import io.micronaut.core.annotation.Nullable;

import java.util.Locale;

/**
 * The status of a workstation (API.md, "Workstations"): EC2's own instance states as its
 * state-change events report them, plus {@code failed}. {@code pending → running → stopping →
 * stopped → pending …}, {@code terminating → terminated}.
 */
public enum WorkstationStatus {
    PENDING, RUNNING, STOPPING, STOPPED, TERMINATING, TERMINATED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkstationStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The status an EC2 instance state stands for; null for a name EC2 does not use. */
    @Nullable
    public static WorkstationStatus ofInstanceState(@Nullable String state) {
        if (state == null) {
            return null;
        }
        return switch (state) {
            case "pending" -> PENDING;
            case "running" -> RUNNING;
            case "stopping" -> STOPPING;
            case "stopped" -> STOPPED;
            case "shutting-down" -> TERMINATING;
            case "terminated" -> TERMINATED;
            default -> null;
        };
    }

    /** A status EC2 leaves by itself, soon (an event is due). */
    public boolean transitional() {
        return this == PENDING || this == STOPPING || this == TERMINATING;
    }

    /** Nothing follows: the workstation is gone or never came up. */
    public boolean ended() {
        return this == TERMINATED || this == FAILED;
    }

    /**
     * Whether EC2 can report {@code next} right after this status within one instance's life:
     * the order state changes of the same second are put in.
     */
    public boolean precedes(WorkstationStatus next) {
        return switch (this) {
            case PENDING -> next == RUNNING || next == STOPPING || next == TERMINATING || next == TERMINATED;
            case RUNNING -> next == STOPPING || next == TERMINATING || next == TERMINATED;
            case STOPPING -> next == STOPPED || next == TERMINATING || next == TERMINATED;
            case STOPPED -> next == PENDING || next == TERMINATING || next == TERMINATED;
            case TERMINATING -> next == TERMINATED;
            case TERMINATED, FAILED -> false;
        };
    }
}
