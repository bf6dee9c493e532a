package dev.atelier.workstation;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A workstation's auto-stop as the API shows it: the settings in effect and the next stop they lead to. */
final class AutoStopView {

    private AutoStopView() { }

    /**
     * @param lastActivityAt the last keep-alive, if any
     * @return null when the settings in effect stop nothing (none, or an empty override)
     */
    @Nullable
    static WorkstationView.AutoStop of(WorkstationItem w, @Nullable AutoStop workspaceDefault,
                                       @Nullable String lastActivityAt, Instant now) {
        AutoStop effective = AutoStop.effective(AutoStop.of(w.autoStop()), workspaceDefault);
        if (effective == null || effective.empty()) {
            return null;
        }
        return new WorkstationView.AutoStop(effective.idleMinutes(), effective.warnMinutes(), effective.schedule(),
                deadline(w, effective, lastActivityAt, now));
    }

    /**
     * The earliest the workstation stops by itself: its idle time counted from the later of its
     * start and its last keep-alive (activity on the box itself pushes it further), or the end of
     * working hours, whichever comes first. Null unless it runs.
     */
    @Nullable
    static String deadline(WorkstationItem w, AutoStop effective, @Nullable String lastActivityAt, Instant now) {
        if (w.status() != WorkstationStatus.RUNNING) {
            return null;
        }
        Instant deadline = null;
        if (effective.idleMinutes() != null) {
            Instant since = w.stateAt() == null ? now : Instant.parse(w.stateAt());
            if (lastActivityAt != null && Instant.parse(lastActivityAt).isAfter(since)) {
                since = Instant.parse(lastActivityAt);
            }
            deadline = since.plus(effective.idleMinutes(), ChronoUnit.MINUTES);
        }
        if (effective.schedule() != null) {
            Instant scheduled = effective.schedule().next(now);
            if (scheduled != null && (deadline == null || scheduled.isBefore(deadline))) {
                deadline = scheduled;
            }
        }
        return deadline == null ? null : deadline.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
