package dev.atelier.workstation;

import dev.atelier.imagebuild.MachineImages;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.workstation.WorkstationMessages.Command;
import dev.atelier.workstation.WorkstationMessages.CommandMessage;
import dev.atelier.workstation.WorkstationMessages.ReleaseImages;
import dev.atelier.workstation.WorkstationMessages.StateChange;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The one consumer of the workstation queue (on Lambda through {@code WorkstationEventsHandler},
 * locally through {@code LocalWorkstationEvents}): carries out the API's commands on EC2 and
 * records EC2's state changes, which alone move a workstation's status. What waits for a state
 * (a restart's start after the stop, an update's new instance after the old one is gone, the
 * home volume's attachment once the instance runs, its deletion once the instance is terminated)
 * is done when the event arrives; nothing waits or polls. After each command a delayed check
 * looks at the instance itself, in case its events were lost. It also releases the AMIs (and
 * their snapshots) of a deleted workspace's builds, which the API hands it (RELEASE_IMAGES).
 * <p>Every step is safe to repeat: a message is offered again until it returns true. It exists
 * only where EC2 is ({@link Instances}): not in the API's artifact.
 */
@Singleton
@Requires(beans = Instances.class)
public class WorkstationWorker {

    private static final Logger LOG = LoggerFactory.getLogger(WorkstationWorker.class);
    /** Fallback checks after one command, at most (a transition EC2 never finishes is left to be seen). */
    static final int MAX_CHECKS = 6;
    /** Who asks when the product itself does. */
    static final String PRODUCT = "atelier";

    private final WorkstationStore store;
    private final Instances instances;
    private final WorkstationQueue queue;
    private final WorkstationSettings settings;
    private final BootScripts bootScripts;
    private final JsonMapper json;
    private final Clock clock;
    private final AutoStopWorker autoStop;
    private final BeanProvider<MachineImages> machineImages;

    public WorkstationWorker(WorkstationStore store, Instances instances, WorkstationQueue queue,
                             WorkstationSettings settings, BootScripts bootScripts, JsonMapper json, Clock clock,
                             AutoStopWorker autoStop, BeanProvider<MachineImages> machineImages) {
        this.autoStop = autoStop;
        this.machineImages = machineImages;
        this.store = store;
        this.instances = instances;
        this.queue = queue;
        this.settings = settings;
        this.bootScripts = bootScripts;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Handles one message of the queue.
     *
     * @return true when it is done with; false to have it offered again later (its workstation is
     * not recorded yet, it changed meanwhile, or EC2 is not there yet)
     */
    public boolean handle(String body) {
        WorkstationMessages.Message message = WorkstationMessages.read(json, body);
        try {
            if (message instanceof ReleaseImages r) {
                return releaseImages(r);
            }
            if (message instanceof CommandMessage c) {
                return AutoStopWorker.handles(c.command()) ? autoStop.onCommand(c) : onCommand(c);
            }
            if (message instanceof StateChange s) {
                return onStateChange(s);
            }
            if (message instanceof WorkstationMessages.AlarmChange a) {
                return autoStop.onAlarm(a);
            }
            return true;
        } catch (WriteRefusedException e) {
            return false;
        } catch (Instances.WrongStateException e) {
            LOG.info("Not yet: {}", e.getMessage());
            return false;
        }
    }

    // --- commands -------------------------------------------------------------------------

    /**
     * Deregisters a deleted workspace's AMIs and deletes their snapshots; what is already gone is
     * skipped, so a repeat is harmless. EC2 refusing is logged and the message comes again (the
     * queue's retries, then its dead-letter queue).
     */
    private boolean releaseImages(ReleaseImages r) {
        try {
            machineImages.get().deregister(r.amiIdsByRegion());
            LOG.info("Released the images {} of build {} of deleted workspace {}", r.amiIdsByRegion(), r.buildId(),
                    r.slug());
            return true;
        } catch (MachineImages.MachineImageException e) {
            LOG.warn("Images {} of build {} of deleted workspace {} not released yet: {}", r.amiIdsByRegion(),
                    r.buildId(), r.slug(), e.getMessage());
            return false;
        }
    }

    private boolean onCommand(CommandMessage c) {
        Optional<WorkstationItem> found = store.get(c.slug(), c.id());
        if (found.isEmpty()) {
            return true;
        }
        WorkstationItem w = found.get();
        String now = now();
        switch (c.command()) {
            case LAUNCH -> {
                if (w.operationIs("launch") && w.instanceId() == null) {
                    launch(w, w.amiId(), w.definitionVersion(), now, "launched");
                }
            }
            case START -> {
                if (w.operationIs("start") && w.instanceId() != null) {
                    String state = instances.start(w.instanceId());
                    commanded(w, state, now, "started by " + w.operation().by());
                }
            }
            case STOP -> {
                if (w.operationIs("stop") && w.instanceId() != null) {
                    String state = instances.stop(w.instanceId());
                    commanded(w, state, now, stopReason(w.operation()));
                }
            }
            case RESTART -> {
                if (w.operationIs("restart") && w.instanceId() != null) {
                    if (w.status() == WorkstationStatus.STOPPED) {
                        commanded(w, instances.start(w.instanceId()), now, "restarted by " + w.operation().by());
                    } else {
                        // The start follows EC2's "stopped" event.
                        save(w, w.withStatus(status(instances.stop(w.instanceId()), w.status()), now,
                                "restart by " + w.operation().by()).withStateAt(now).next(now));
                        check(w);
                    }
                }
            }
            case UPDATE -> {
                if (w.operationIs("update") && w.instanceId() != null) {
                    // The new instance follows EC2's "terminated" event of this one; the home volume stays.
                    instances.terminate(w.instanceId());
                    save(w, w.withStatus(WorkstationStatus.STOPPING, now, updateReason(w.operation()))
                            .withStateAt(now).next(now));
                    check(w);
                }
            }
            case TERMINATE -> {
                if (w.operationIs("terminate")) {
                    if (w.instanceId() == null) {
                        deleteHome(w);
                        autoStop.onTerminated(w);
                        save(w, w.withStatus(WorkstationStatus.TERMINATED, now, "terminated by " + w.operation().by())
                                .withOperation(null).withHome(null, null).next(now));
                    } else {
                        String state = instances.terminate(w.instanceId());
                        WorkstationItem after = w.withStatus(status(state, WorkstationStatus.TERMINATING), now,
                                "terminated by " + w.operation().by()).withStateAt(now).next(now);
                        save(w, after);
                        if (after.status() == WorkstationStatus.TERMINATED) {
                            return finishTermination(after, now);
                        }
                        check(w);
                    }
                }
            }
            case CHECK -> check(w, now);
            default -> { }
        }
        return true;
    }

    /** Records what EC2 answered a start or stop with, and looks again later. */
    private void commanded(WorkstationItem w, String state, String now, String reason) {
        save(w, w.withStatus(status(state, w.status()), now, reason).withOperation(null).withStateAt(now).next(now));
        check(w);
    }

    private void launch(WorkstationItem w, String amiId, long definitionVersion, String now, String reason) {
        WorkstationItem target = w.withInstance(null, null, amiId, definitionVersion);
        Instances.Instance instance;
        try {
            instance = instances.launch(new Instances.LaunchSpec(clientToken(w.id(), amiId), amiId, w.instanceType(),
                    WorkstationTags.of(target), bootScripts.userData(target),
                    w.homeVolumeId() == null ? null : w.availabilityZone()));
        } catch (Instances.RefusedException e) {
            save(w, w.withStatus(WorkstationStatus.FAILED, now, e.getMessage()).withOperation(null).next(now));
            return;
        }
        String zone = instance.availabilityZone() != null ? instance.availabilityZone() : w.availabilityZone();
        WorkstationItem after = target.withInstance(instance.instanceId(), zone, amiId, definitionVersion);
        if (after.homeVolumeId() == null && zone != null) {
            try {
                Instances.Volume home = instances.createHome(clientToken(w.id(), "home"), zone, settings.homeVolumeGb(),
                        WorkstationTags.home(after));
                after = after.withHome(home.volumeId(), null);
            } catch (Instances.RefusedException e) {
                instances.terminate(instance.instanceId());
                save(w, w.withStatus(WorkstationStatus.FAILED, now, e.getMessage()).withOperation(null).next(now));
                return;
            }
        }
        after = after.withStatus(status(instance.state(), WorkstationStatus.PENDING), now, reason)
                .withOperation(null).withStateAt(now).next(now);
        save(w, after);
        check(w);
    }

    // --- EC2's state changes ----------------------------------------------------------------

    private boolean onStateChange(StateChange event) {
        WorkstationStatus reported = WorkstationStatus.ofInstanceState(event.state());
        if (reported == null) {
            return true;
        }
        Optional<WorkstationItem> indexed = store.byInstance(event.instanceId());
        if (indexed.isEmpty()) {
            // Launched, not recorded yet: offered again. Not ours, or an instance an update replaced: done.
            boolean ending = reported == WorkstationStatus.TERMINATING || reported == WorkstationStatus.TERMINATED;
            return ending || !instances.ours(event.instanceId());
        }
        Optional<WorkstationItem> found = store.get(indexed.get().slug(), indexed.get().id());
        if (found.isEmpty() || !event.instanceId().equals(found.get().instanceId())) {
            return true;
        }
        return apply(found.get(), reported, event.time(), now());
    }

    /** Applies a state EC2 reported (by an event, or when asked), then does what waited for it. */
    private boolean apply(WorkstationItem w, WorkstationStatus reported, Instant at, String now) {
        if (w.status().ended() || stale(w, reported, at)) {
            return true;
        }
        String stamp = at.toString();
        boolean updating = w.operationIs("update");
        if (updating && (reported == WorkstationStatus.TERMINATING || reported == WorkstationStatus.TERMINATED)) {
            // The old instance of an update goes: the workstation is stopping, then comes back on the new image.
            if (reported == WorkstationStatus.TERMINATING) {
                save(w, w.withStatus(WorkstationStatus.STOPPING, stamp, updateReason(w.operation())).withStateAt(stamp).next(now));
                return true;
            }
            WorkstationItem.Operation op = w.operation();
            launch(w, op.targetAmiId(), op.targetVersion(), now, "updated to version " + op.targetVersion());
            return true;
        }
        WorkstationItem after = w.withStatus(reported, stamp, null).withStateAt(stamp);
        if (w.operationIs("stop") && w.operation().reason() != null
                && (reported == WorkstationStatus.STOPPING || reported == WorkstationStatus.STOPPED)) {
            // An auto-stop whose instance EC2 (the idle alarm's action) stopped before the command ran.
            after = w.withStatus(reported, stamp, w.operation().reason()).withOperation(null).withStateAt(stamp);
        }
        if (w.operationIs("restart") && (reported == WorkstationStatus.PENDING || reported == WorkstationStatus.RUNNING)
                && (w.status() == WorkstationStatus.STOPPING || w.status() == WorkstationStatus.STOPPED)) {
            // Starting again after the restart's stop: the start was made, though not recorded (its write
            // lost to another): the restart is done.
            after = w.withStatus(reported, stamp, "restarted by " + w.operation().by()).withOperation(null)
                    .withStateAt(stamp);
        }
        switch (reported) {
            case RUNNING -> {
                autoStop.onRunning(w.withStatus(reported, stamp, null));
                if (w.homeVolumeId() != null && !w.instanceId().equals(w.homeAttachedTo())) {
                    instances.attachHome(w.homeVolumeId(), w.instanceId());
                    after = after.withHome(w.homeVolumeId(), w.instanceId());
                }
            }
            case STOPPED -> {
                if (w.operationIs("restart")) {
                    String state = instances.start(w.instanceId());
                    after = after.withStatus(status(state, WorkstationStatus.PENDING), now,
                            "restarted by " + w.operation().by()).withOperation(null).withStateAt(now);
                }
            }
            case TERMINATED -> {
                return finishTermination(after.next(now), now, w);
            }
            default -> { }
        }
        save(w, after.next(now));
        return true;
    }

    private boolean finishTermination(WorkstationItem after, String now) {
        return finishTermination(after, now, null);
    }

    /** The instance is gone: its home volume goes too (once detached), and the workstation is terminated. */
    private boolean finishTermination(WorkstationItem after, String now, @Nullable WorkstationItem before) {
        deleteHome(after);
        autoStop.onTerminated(after);
        WorkstationItem done = after.withStatus(WorkstationStatus.TERMINATED, after.stateAt() == null ? now : after.stateAt(), null)
                .withOperation(null).withHome(null, null);
        save(before == null ? after : before, before == null ? done.next(now) : done);
        return true;
    }

    private void deleteHome(WorkstationItem w) {
        if (w.homeVolumeId() != null) {
            instances.deleteVolume(w.homeVolumeId());
        }
    }

    /** An event older than the state recorded, or of the same second but not one that can follow it. */
    private static boolean stale(WorkstationItem w, WorkstationStatus reported, Instant at) {
        if (w.stateAt() == null) {
            return false;
        }
        Instant recorded = Instant.parse(w.stateAt()).truncatedTo(ChronoUnit.SECONDS);
        Instant event = at.truncatedTo(ChronoUnit.SECONDS);
        if (event.isBefore(recorded)) {
            return true;
        }
        return event.equals(recorded) && reported != w.status() && !w.status().precedes(reported);
    }

    // --- the fallback check --------------------------------------------------------------------

    /** Sends a check of {@code w} for later. */
    private void check(WorkstationItem w) {
        queue.send(WorkstationMessages.command(json, Command.CHECK, w.slug(), w.id()), settings.checkAfterSeconds());
    }

    /**
     * Looks at the instance itself: a status EC2 has left since (its event lost) is brought to
     * EC2's truth; a command whose message was lost is sent again.
     */
    private void check(WorkstationItem w, String now) {
        if (w.status().ended()) {
            return;
        }
        if (w.instanceId() == null) {
            if (w.operationIs("launch") || w.operationIs("terminate")) {
                queue.send(WorkstationMessages.command(json, Command.valueOf(w.operation().name().toUpperCase(
                        java.util.Locale.ROOT)), w.slug(), w.id()), 0);
            }
            return;
        }
        Optional<Instances.Instance> instance = instances.describe(w.instanceId());
        WorkstationStatus truth = instance.map(i -> WorkstationStatus.ofInstanceState(i.state()))
                .orElse(WorkstationStatus.TERMINATED);
        if (truth != null && truth != w.status()) {
            LOG.info("Workstation {} of {} was {}, EC2 says {}: recorded", w.id(), w.slug(), w.status().wireName(),
                    truth.wireName());
            apply(w, truth, Instant.parse(now), now);
            return;
        }
        if (w.status().transitional() && w.checks() < MAX_CHECKS) {
            save(w, w.withChecks(w.checks() + 1).next(now));
            check(w);
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    private void save(WorkstationItem before, WorkstationItem after) {
        store.save(before, after, null);
    }

    private static WorkstationStatus status(String instanceState, WorkstationStatus otherwise) {
        WorkstationStatus s = WorkstationStatus.ofInstanceState(instanceState);
        return s == null ? otherwise : s;
    }

    private static String stopReason(WorkstationItem.Operation op) {
        if (op.reason() != null) {
            return op.reason();
        }
        return PRODUCT.equals(op.by()) ? "stopped by Atelier" : "stopped by " + op.by();
    }

    private static String updateReason(WorkstationItem.Operation op) {
        return "update to version " + op.targetVersion() + " by " + op.by();
    }

    /** EC2's idempotency token of one launch (or home volume) of a workstation (≤ 64 characters). */
    static String clientToken(String workstationId, String what) {
        return (workstationId + "-" + what).substring(0, Math.min(64, workstationId.length() + 1 + what.length()));
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
