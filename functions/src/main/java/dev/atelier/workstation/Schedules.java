package dev.atelier.workstation;

import java.util.Set;

/**
 * The end-of-working-hours schedules of a workspace (the adapter: {@code scheduler/SchedulerSchedules},
 * EventBridge Scheduler). There is one schedule per distinct {@link AutoStop.Schedule} in force in
 * the workspace — its default's and those of workstations with their own — named
 * {@code ws-<slug>.<digest of the schedule>} in the stack's schedule group. Each sends the
 * workspace-wide SCHEDULED_STOP command to the workstation queue at its stop time, in its time
 * zone; the worker then stops the workstations whose own schedule is due.
 */
public interface Schedules {

    /**
     * Makes the workspace's schedules exactly {@code wanted}: missing ones are created, ones that
     * differ from what they should be (expression, zone, target) are updated, the others deleted.
     * Safe to repeat; an empty set deletes them all (a deleted workspace).
     *
     * @throws RuntimeException when Scheduler refuses; the worker is offered the message again
     */
    void keep(String slug, Set<AutoStop.Schedule> wanted);

    /** A schedule's name: {@code ws-<slug>.<12 hex digits>}, at most 56 characters (Scheduler allows 64). */
    static String name(String slug, AutoStop.Schedule schedule) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(schedule.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return prefix(slug) + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the names of a workspace's schedules start with ({@code .} is never in a slug). */
    static String prefix(String slug) {
        return "ws-" + slug + ".";
    }
}
