package dev.atelier.workstation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Auto-stop settings: stop after {@code idleMinutes} without activity (null: never for idleness),
 * warn {@code warnMinutes} before, and stop at the end of working hours ({@code schedule}, null:
 * none). The workspace has a default; a workstation may override it.
 */
@Serdeable
public record AutoStop(@Nullable Long idleMinutes, @Nullable Long warnMinutes, @Nullable Schedule schedule) {

    /** Stop at {@code stopAt} (HH:MM) on {@code days} (mon…sun), in {@code timezone} (an IANA zone). */
    @Serdeable
    public record Schedule(List<String> days, String stopAt, String timezone) {

        public static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

        /** Whether a stop is due at {@code now} for a workstation running since {@code since}. */
        public boolean due(Instant now, @Nullable Instant since) {
            ZonedDateTime local = now.atZone(ZoneId.of(timezone));
            if (!days.contains(DAYS.get(local.getDayOfWeek().getValue() - 1))) {
                return false;
            }
            ZonedDateTime stop = local.with(LocalTime.parse(stopAt));
            return !local.isBefore(stop) && (since == null || since.isBefore(stop.toInstant()));
        }

        /** The next stop after {@code now}. */
        public Instant next(Instant now) {
            ZonedDateTime local = now.atZone(ZoneId.of(timezone));
            for (int d = 0; d <= 7; d++) {
                ZonedDateTime candidate = local.plusDays(d).with(LocalTime.parse(stopAt));
                String day = DAYS.get(candidate.getDayOfWeek().getValue() - 1);
                if (days.contains(day) && candidate.isAfter(local)) {
                    return candidate.toInstant();
                }
            }
            return null;
        }

        /** EventBridge Scheduler's cron expression of this schedule (to use with {@code timezone}). */
        public String cron() {
            String[] hm = stopAt.split(":");
            return "cron(" + Integer.parseInt(hm[1]) + " " + Integer.parseInt(hm[0]) + " ? * "
                    + String.join(",", days.stream().map(d -> d.toUpperCase(Locale.ROOT)).toList()) + " *)";
        }

        /** As stored: {@code mon,tue 19:00 Europe/Paris}. */
        public String encode() {
            return String.join(",", days) + " " + stopAt + " " + timezone;
        }

        @Nullable
        public static Schedule decode(@Nullable String stored) {
            if (stored == null || stored.isBlank()) {
                return null;
            }
            String[] parts = stored.split(" ");
            return new Schedule(List.of(parts[0].split(",")), parts[1], parts[2]);
        }
    }

    public boolean empty() {
        return idleMinutes == null && schedule == null;
    }

    /** A workstation's stored override as settings. */
    @Nullable
    public static AutoStop of(@Nullable WorkstationItem.AutoStop stored) {
        return stored == null ? null
                : new AutoStop(stored.idleMinutes(), stored.warnMinutes(), Schedule.decode(stored.schedule()));
    }

    public WorkstationItem.AutoStop stored() {
        return new WorkstationItem.AutoStop(idleMinutes, warnMinutes, schedule == null ? null : schedule.encode());
    }

    /** The settings in effect: a workstation's own, else the workspace's default, else none. */
    @Nullable
    public static AutoStop effective(@Nullable AutoStop own, @Nullable AutoStop workspaceDefault) {
        return own != null ? own : workspaceDefault;
    }
}
