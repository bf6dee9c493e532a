package dev.atelier.workstation;

import dev.atelier.audit.AuditLog;
import dev.atelier.web.Page;
import dev.atelier.workstation.WorkstationMessages.AlarmChange;
import dev.atelier.workstation.WorkstationMessages.Command;
import dev.atelier.workstation.WorkstationMessages.CommandMessage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's part of auto-stop: keeps each running workstation's idle alarm, and the idle
 * settings its on-box agent reads from the instance's tags, in line with its settings, keeps the
 * workspace's working-hours schedules ({@link Schedules}) in line with the settings in force, and turns an idle alarm going to ALARM, or the end of working hours, into a stop
 * whose reason is recorded (in {@code statusHistory} with the {@code stopping} status, and in the
 * audit log, by {@code atelier}). The stop itself goes through the ordinary STOP command; in AWS the
 * alarm's own EC2 action stops the instance as well, whichever comes first.
 */
@Singleton
public class AutoStopWorker {

    private static final Logger LOG = LoggerFactory.getLogger(AutoStopWorker.class);
    private static final int PAGE = 100;
    private static final int RETRY_SECONDS = 60;

    private final WorkstationStore store;
    private final AutoStopStore defaults;
    private final IdleAlarms alarms;
    private final Schedules schedules;
    private final Instances instances;
    private final WorkstationQueue queue;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    public AutoStopWorker(WorkstationStore store, AutoStopStore defaults, IdleAlarms alarms, Schedules schedules,
                          Instances instances, WorkstationQueue queue, AuditLog audit, JsonMapper json, Clock clock) {
        this.store = store;
        this.defaults = defaults;
        this.alarms = alarms;
        this.schedules = schedules;
        this.instances = instances;
        this.queue = queue;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    static boolean handles(Command command) {
        return command == Command.ARM || command == Command.ARM_WORKSPACE || command == Command.SCHEDULED_STOP;
    }

    /** ARM, ARM_WORKSPACE or SCHEDULED_STOP. */
    boolean onCommand(CommandMessage c) {
        switch (c.command()) {
            case ARM -> {
                AutoStop workspaceDefault = defaultOf(c.slug());
                store.get(c.slug(), c.id()).ifPresent(w -> armed(w, workspaceDefault));
                keepSchedules(c.slug(), workspaceDefault, false, null);
            }
            case ARM_WORKSPACE -> keepSchedules(c.slug(), defaultOf(c.slug()), true, null);
            case SCHEDULED_STOP -> {
                AutoStop workspaceDefault = defaultOf(c.slug());
                Instant now = clock.instant();
                each(c.slug(), w -> true, w -> {
                    AutoStop effective = AutoStop.effective(AutoStop.of(w.autoStop()), workspaceDefault);
                    if (effective != null && effective.schedule() != null && w.status() == WorkstationStatus.RUNNING
                            && effective.schedule().due(now, w.stateAt() == null ? null : Instant.parse(w.stateAt()))) {
                        AutoStop.Schedule s = effective.schedule();
                        stop(w, "stopped at the end of working hours (" + s.stopAt() + " " + s.timezone() + ")");
                    }
                });
            }
            default -> { }
        }
        return true;
    }

    /** An idle alarm changed: going to ALARM, the workstation is stopped for idleness. */
    boolean onAlarm(AlarmChange a) {
        if (!"ALARM".equals(a.state())) {
            return true;
        }
        Optional<WorkstationItem> found = store.get(a.slug(), a.id());
        if (found.isEmpty() || found.get().status() != WorkstationStatus.RUNNING) {
            return true;
        }
        WorkstationItem w = found.get();
        AutoStop effective = AutoStop.effective(AutoStop.of(w.autoStop()), defaultOf(w.slug()));
        long minutes = effective == null || effective.idleMinutes() == null ? 0 : effective.idleMinutes();
        stop(w, minutes > 0 ? "stopped after " + minutes + " idle minutes" : "stopped for idleness");
        return true;
    }

    /** The workstation runs (again): its alarm as its settings say (none: no alarm). */
    void onRunning(WorkstationItem w) {
        try {
            armed(w, defaultOf(w.slug()));
        } catch (SdkException e) {
            later(w, e);
        }
    }

    /** The workstation is gone: so are its alarm and, when no one else has it, its own schedule. */
    void onTerminated(WorkstationItem w) {
        try {
            alarms.disarm(w.slug(), w.id());
            if (w.autoStop() != null && w.autoStop().schedule() != null) {
                // Its record is saved terminated only after this: it is left out by its id.
                keepSchedules(w.slug(), defaultOf(w.slug()), false, w.id());
            }
        } catch (SdkException e) {
            later(w, e);
        }
    }

    /**
     * The workspace's schedules as its settings say: one per distinct schedule in force — the
     * default's and those of workstations (not ended) with their own. A workspace that is gone has
     * none. With {@code armAll}, the workstations that follow the default have their alarm armed
     * again on the way (one pass over the workspace's workstations for both).
     */
    private void keepSchedules(String slug, @Nullable AutoStop workspaceDefault, boolean armAll,
                               @Nullable String terminatedId) {
        Set<AutoStop.Schedule> wanted = new LinkedHashSet<>();
        if (workspaceDefault != null && workspaceDefault.schedule() != null) {
            wanted.add(workspaceDefault.schedule());
        }
        each(slug, w -> true, w -> {
            if (w.autoStop() == null) {
                if (armAll) {
                    armed(w, workspaceDefault);
                }
            } else if (!w.status().ended() && !w.id().equals(terminatedId) && w.autoStop().schedule() != null) {
                wanted.add(AutoStop.Schedule.decode(w.autoStop().schedule()));
            }
        });
        schedules.keep(slug, wanted);
    }

    /** The status change is recorded all the same; the alarm follows with an ARM command a minute later. */
    private void later(WorkstationItem w, SdkException e) {
        LOG.warn("Could not keep the idle alarm of workstation {} of {}; trying again in a minute", w.id(), w.slug(), e);
        queue.send(WorkstationMessages.command(json, Command.ARM, w.slug(), w.id()), RETRY_SECONDS);
    }

    private void armed(WorkstationItem w, @Nullable AutoStop workspaceDefault) {
        if (w.status().ended()) {
            alarms.disarm(w.slug(), w.id());
            return;
        }
        if (w.status() != WorkstationStatus.RUNNING || w.instanceId() == null) {
            return; // armed when it runs
        }
        AutoStop effective = AutoStop.effective(AutoStop.of(w.autoStop()), workspaceDefault);
        if (effective == null || effective.idleMinutes() == null) {
            alarms.disarm(w.slug(), w.id());
            instances.showIdleSettings(w.instanceId(), null, null);
        } else {
            alarms.arm(w, effective.idleMinutes());
            instances.showIdleSettings(w.instanceId(), effective.idleMinutes(), effective.warnMinutes());
        }
    }

    /** Records the stop and its reason (with an audit entry by the product), then sends the STOP command. */
    private void stop(WorkstationItem w, String reason) {
        if (w.operation() != null) {
            return; // something else is under way: it wins
        }
        String now = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        WorkstationItem after = w.withOperation(new WorkstationItem.Operation("stop", now, WorkstationWorker.PRODUCT,
                null, 0, reason)).next(now);
        store.save(w, after, audit.entry(w.slug(), WorkstationWorker.PRODUCT, "workstation.auto-stop",
                "workstation:" + w.id(), Map.of("status", w.status().wireName()), Map.of("reason", reason)));
        LOG.info("Workstation {} of {}: {}", w.id(), w.slug(), reason);
        queue.send(WorkstationMessages.command(json, Command.STOP, w.slug(), w.id()), 0);
    }

    @Nullable
    private AutoStop defaultOf(String slug) {
        return defaults.get(slug).map(AutoStopStore.Default::settings).orElse(null);
    }

    private void each(String slug, java.util.function.Predicate<WorkstationItem> which,
                      java.util.function.Consumer<WorkstationItem> action) {
        String cursor = null;
        do {
            Page<WorkstationStore.Listed> page = store.page(slug, PAGE, cursor);
            page.items().stream().map(WorkstationStore.Listed::item).filter(which).forEach(action);
            cursor = page.nextCursor();
        } while (cursor != null);
    }
}
