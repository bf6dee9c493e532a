package dev.atelier.workstation;

import io.micronaut.core.annotation.Nullable;

/**
 * The per-workstation CloudWatch alarm that stops an idle workstation: on its {@code Active}
 * metric ({@link WorkstationMetrics}), in ALARM after {@code idleMinutes} minutes without
 * activity, with EC2's stop as its action. Named {@code atelier-ws-<slug>-<id>}.
 */
public interface IdleAlarms {

    String PREFIX = "atelier-ws-";
    /** Workstation ids are UUIDs: the name's last 36 characters. */
    int ID_LENGTH = 36;

    /**
     * Creates or replaces the alarm of {@code w} (running on {@code w.instanceId()}).
     *
     * @throws RuntimeException when CloudWatch refuses; the worker is offered the message again
     */
    void arm(WorkstationItem w, long idleMinutes);

    /** Deletes the alarm of the workstation; none is fine. */
    void disarm(String slug, String id);

    /** Counts the workstation as active now (keep-alive): one {@code Active = 1} data point. */
    void active(String workstationId);

    static String name(String slug, String id) {
        return PREFIX + slug + "-" + id;
    }

    /** The workspace and workstation an alarm's name stands for, or null when it is not one of ours. */
    @Nullable
    static String[] parse(@Nullable String alarmName) {
        if (alarmName == null || !alarmName.startsWith(PREFIX) || alarmName.length() < PREFIX.length() + ID_LENGTH + 2) {
            return null;
        }
        String id = alarmName.substring(alarmName.length() - ID_LENGTH);
        String slug = alarmName.substring(PREFIX.length(), alarmName.length() - ID_LENGTH - 1);
        return alarmName.charAt(alarmName.length() - ID_LENGTH - 1) == '-' ? new String[] {slug, id} : null;
    }
}
