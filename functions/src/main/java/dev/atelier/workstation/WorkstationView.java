package dev.atelier.workstation;

import dev.atelier.web.ETags;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A workstation as the API shows it (API.md, "Workstations"). {@code operation} is what was
 * asked and is not done yet (e.g. a stop on its way to EC2); {@code updateAvailable} says the
 * definition's current image is newer than the one the workstation runs.
 */
@Serdeable
public record WorkstationView(String id, String name, String definitionId, long definitionVersion,
                              @Nullable String imageId, String amiId, String instanceType, String os, @Nullable Gpu gpu,
                              String status, @Nullable String failureReason, String launchedBy, String createdAt,
                              String updatedAt, List<HistoryEntry> statusHistory, boolean updateAvailable,
                              @Nullable Operation operation, @Nullable String instanceId, @Nullable String homeVolumeId,
                              @Nullable AutoStop autoStop, String etag) {

    @Serdeable
    public record Gpu(String type, long count) { }

    @Serdeable
    public record HistoryEntry(String status, String at, @Nullable String reason) { }

    @Serdeable
    public record Operation(String name, String requestedAt, String requestedBy) { }

    @Serdeable
    public record AutoStop(@Nullable Long idleMinutes, @Nullable Long warnMinutes,
                           @Nullable dev.atelier.workstation.AutoStop.Schedule schedule, @Nullable String deadline) { }

    /** The same workstation showing {@code a} as its auto-stop (the settings in effect, with the deadline). */
    public WorkstationView withAutoStop(@Nullable AutoStop a) {
        return new WorkstationView(id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os, gpu,
                status, failureReason, launchedBy, createdAt, updatedAt, statusHistory, updateAvailable, operation,
                instanceId, homeVolumeId, a, etag);
    }

    /**
     * @param latestImageVersion the definition version of its current image (0: none known)
     */
    public static WorkstationView of(WorkstationItem w, long latestImageVersion) {
        WorkstationItem.Operation op = w.operation();
        WorkstationItem.AutoStop a = w.autoStop();
        return new WorkstationView(w.id(), w.name(), w.definitionId(), w.definitionVersion(), w.imageId(), w.amiId(),
                w.instanceType(), w.os(), w.gpuType() == null ? null : new Gpu(w.gpuType(), w.gpuCount()),
                w.status().wireName(), w.failureReason(), w.launchedBy(), w.createdAt(), w.updatedAt(),
                w.history().stream().map(e -> new HistoryEntry(e.status(), e.at(), e.reason())).toList(),
                !w.status().ended() && latestImageVersion > w.definitionVersion(),
                op == null ? null : new Operation(op.name(), op.at(), op.by()), w.instanceId(), w.homeVolumeId(),
                a == null ? null : new AutoStop(a.idleMinutes(), a.warnMinutes(),
                        dev.atelier.workstation.AutoStop.Schedule.decode(a.schedule()), null),
                ETags.of(w.version()));
    }
}
