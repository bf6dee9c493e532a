package dev.atelier.workstation;

import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A workstation as stored, in its workspace's partition ({@code WS#<slug>} /
 * {@code WORKSTATION#<id>}, the key its grants' resource has). Once it has an instance it is
 * also in GSI1 under that instance ({@code INSTANCE#<instanceId>}), so EC2's state-change events
 * find it. {@code version} counts every change and is its ETag; {@code readers} (kept by the
 * grants, never written here) lists who may read it besides its launcher.
 *
 * @param status        as EC2 last reported it (or {@code failed})
 * @param operation     what was asked and is not done yet (a command on its way to the worker,
 *                      or a change waiting for the instance to reach a state), or null
 * @param stateAt       the time of the last EC2 state change applied: older ones are ignored
 * @param homeVolumeId  the volume with the user's data: made with the workstation, kept across
 *                      stop, start and update, deleted with it
 * @param homeAttachedTo the instance the home volume was last attached to
 * @param checks        fallback checks made since the last state change (bounded)
 */
public record WorkstationItem(String slug, String id, String name, String definitionId, long definitionVersion,
                              @Nullable String imageId, String amiId, String instanceType, String os,
                              @Nullable String gpuType, long gpuCount, WorkstationStatus status,
                              @Nullable String failureReason, String launchedBy, String createdAt, String updatedAt,
                              @Nullable String instanceId, @Nullable String availabilityZone,
                              @Nullable String homeVolumeId, @Nullable String homeAttachedTo,
                              List<HistoryEntry> history, @Nullable Operation operation, @Nullable String stateAt,
                              long checks, long version, List<String> readers, @Nullable AutoStop autoStop) {

    public static final String KIND = "workstation";
    /** How many status changes {@code statusHistory} keeps (the oldest go first). */
    public static final int HISTORY_LIMIT = 100;

    public WorkstationItem {
        history = List.copyOf(history.size() > HISTORY_LIMIT
                ? history.subList(history.size() - HISTORY_LIMIT, history.size()) : history);
        readers = List.copyOf(readers);
    }

    /** One status and when (and why) the workstation reached it. */
    public record HistoryEntry(String status, String at, @Nullable String reason) { }

    /**
     * Something asked of the workstation and not finished.
     *
     * @param name        launch, start, stop, restart, update or terminate
     * @param at          when it was asked
     * @param by          who asked (a user id, or {@code atelier} for the product itself)
     * @param targetAmiId update: the image to come back on
     * @param targetVersion update: the definition version of that image
     * @param reason      why the product itself asked (an auto-stop), recorded with the status it leads to
     */
    public record Operation(String name, String at, String by, @Nullable String targetAmiId, long targetVersion,
                            @Nullable String reason) {
        public Operation(String name, String at, String by, @Nullable String targetAmiId, long targetVersion) {
            this(name, at, by, targetAmiId, targetVersion, null);
        }

        public static Operation of(String name, String at, String by) {
            return new Operation(name, at, by, null, 0);
        }
    }

    /**
     * A workstation's own auto-stop settings, overriding the workspace's default (null fields:
     * the default's).
     */
    public record AutoStop(@Nullable Long idleMinutes, @Nullable Long warnMinutes, @Nullable String schedule) { }

    // --- changes --------------------------------------------------------------------------

    /** The same workstation, one version on, changed at {@code now}. */
    public WorkstationItem next(String now) {
        return new WorkstationItem(slug, id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os,
                gpuType, gpuCount, status, failureReason, launchedBy, createdAt, now, instanceId, availabilityZone,
                homeVolumeId, homeAttachedTo, history, operation, stateAt, checks, version + 1, readers, autoStop);
    }

    /** Reached {@code to} at {@code at} (recorded in the history when it is a change). */
    public WorkstationItem withStatus(WorkstationStatus to, String at, @Nullable String reason) {
        List<HistoryEntry> h = new ArrayList<>(history);
        if (to != status || reason != null && (h.isEmpty() || !reason.equals(h.get(h.size() - 1).reason()))) {
            h.add(new HistoryEntry(to.wireName(), h.isEmpty() ? at : notBefore(at, h.get(h.size() - 1).at()), reason));
        }
        return new WorkstationItem(slug, id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os,
                gpuType, gpuCount, to, to == WorkstationStatus.FAILED ? reason : failureReason, launchedBy, createdAt,
                updatedAt, instanceId, availabilityZone, homeVolumeId, homeAttachedTo, h, operation, stateAt, 0,
                version, readers, autoStop);
    }

    /**
     * {@code at}, or {@code previous} when that is later: EC2 stamps its events to the second, the
     * product its own changes to the millisecond, so an event of the same second as the change
     * before it may read earlier; the history's times never go back.
     */
    private static String notBefore(String at, String previous) {
        try {
            return Instant.parse(at).isBefore(Instant.parse(previous)) ? previous : at;
        } catch (DateTimeParseException e) {
            return at;
        }
    }

    public WorkstationItem withOperation(@Nullable Operation op) {
        return new WorkstationItem(slug, id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os,
                gpuType, gpuCount, status, failureReason, launchedBy, createdAt, updatedAt, instanceId,
                availabilityZone, homeVolumeId, homeAttachedTo, history, op, stateAt, checks, version, readers, autoStop);
    }

    public WorkstationItem withStateAt(@Nullable String at) {
        return new WorkstationItem(slug, id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os,
                gpuType, gpuCount, status, failureReason, launchedBy, createdAt, updatedAt, instanceId,
                availabilityZone, homeVolumeId, homeAttachedTo, history, operation, at, checks, version, readers, autoStop);
    }

    public WorkstationItem withChecks(long n) {
        return new WorkstationItem(slug, id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os,
                gpuType, gpuCount, status, failureReason, launchedBy, createdAt, updatedAt, instanceId,
                availabilityZone, homeVolumeId, homeAttachedTo, history, operation, stateAt, n, version, readers, autoStop);
    }

    /** Runs (or will run) on {@code instance}, from {@code ami} of definition version {@code definitionVer}. */
    public WorkstationItem withInstance(@Nullable String instance, @Nullable String zone, String ami, long definitionVer) {
        return new WorkstationItem(slug, id, name, definitionId, definitionVer, imageId, ami, instanceType, os,
                gpuType, gpuCount, status, failureReason, launchedBy, createdAt, updatedAt, instance, zone,
                homeVolumeId, homeAttachedTo, history, operation, null, checks, version, readers, autoStop);
    }

    public WorkstationItem withHome(@Nullable String volumeId, @Nullable String attachedTo) {
        return new WorkstationItem(slug, id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os,
                gpuType, gpuCount, status, failureReason, launchedBy, createdAt, updatedAt, instanceId,
                availabilityZone, volumeId, attachedTo, history, operation, stateAt, checks, version, readers, autoStop);
    }

    public WorkstationItem withAutoStop(@Nullable AutoStop settings) {
        return new WorkstationItem(slug, id, name, definitionId, definitionVersion, imageId, amiId, instanceType, os,
                gpuType, gpuCount, status, failureReason, launchedBy, createdAt, updatedAt, instanceId,
                availabilityZone, homeVolumeId, homeAttachedTo, history, operation, stateAt, checks, version, readers,
                settings);
    }

    public boolean operationIs(String name) {
        return operation != null && operation.name().equals(name);
    }

    // --- storage --------------------------------------------------------------------------

    /** The attributes, keys included ({@code readers} only when {@code withReaders}). */
    public Map<String, AttributeValue> toItem(boolean withReaders) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableDefinition.PK, AttributeValue.fromS(Keys.workspace(slug)));
        item.put(TableDefinition.SK, AttributeValue.fromS(Keys.resource(KIND, id)));
        if (instanceId != null && status != WorkstationStatus.TERMINATED) {
            item.put(TableDefinition.GSI1.partitionKey(), AttributeValue.fromS(Keys.instance(instanceId)));
            item.put(TableDefinition.GSI1.sortKey(), AttributeValue.fromS(Keys.WORKSTATION));
        }
        put(item, "slug", slug);
        put(item, "id", id);
        put(item, "name", name);
        put(item, "definitionId", definitionId);
        item.put("definitionVersion", n(definitionVersion));
        put(item, "imageId", imageId);
        put(item, "amiId", amiId);
        put(item, "instanceType", instanceType);
        put(item, "os", os);
        put(item, "gpuType", gpuType);
        item.put("gpuCount", n(gpuCount));
        put(item, "status", status.wireName());
        put(item, "failureReason", failureReason);
        put(item, "launchedBy", launchedBy);
        put(item, "createdAt", createdAt);
        put(item, "updatedAt", updatedAt);
        put(item, "instanceId", instanceId);
        put(item, "availabilityZone", availabilityZone);
        put(item, "homeVolumeId", homeVolumeId);
        put(item, "homeAttachedTo", homeAttachedTo);
        item.put("statusHistory", AttributeValue.fromL(history.stream().map(e -> {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put("status", AttributeValue.fromS(e.status()));
            m.put("at", AttributeValue.fromS(e.at()));
            put(m, "reason", e.reason());
            return AttributeValue.fromM(m);
        }).toList()));
        if (operation != null) {
            Map<String, AttributeValue> m = new HashMap<>();
            put(m, "name", operation.name());
            put(m, "at", operation.at());
            put(m, "by", operation.by());
            put(m, "targetAmiId", operation.targetAmiId());
            m.put("targetVersion", n(operation.targetVersion()));
            put(m, "reason", operation.reason());
            item.put("operation", AttributeValue.fromM(m));
        }
        put(item, "stateAt", stateAt);
        item.put("checks", n(checks));
        item.put("version", n(version));
        if (withReaders) {
            item.put("readers", AttributeValue.fromL(readers.stream().map(AttributeValue::fromS).toList()));
        }
        if (autoStop != null) {
            Map<String, AttributeValue> m = new HashMap<>();
            if (autoStop.idleMinutes() != null) {
                m.put("idleMinutes", n(autoStop.idleMinutes()));
            }
            if (autoStop.warnMinutes() != null) {
                m.put("warnMinutes", n(autoStop.warnMinutes()));
            }
            put(m, "schedule", autoStop.schedule());
            item.put("autoStop", AttributeValue.fromM(m));
        }
        return item;
    }

    /** Every attribute this record writes (the others — {@code readers} — belong to the grants). */
    static final List<String> OWN_ATTRIBUTES = List.of(TableDefinition.GSI1.partitionKey(),
            TableDefinition.GSI1.sortKey(), "slug", "id", "name", "definitionId", "definitionVersion", "imageId",
            "amiId", "instanceType", "os", "gpuType", "gpuCount", "status", "failureReason", "launchedBy", "createdAt",
            "updatedAt", "instanceId", "availabilityZone", "homeVolumeId", "homeAttachedTo", "statusHistory",
            "operation", "stateAt", "checks", "version", "autoStop");

    public static WorkstationItem of(Map<String, AttributeValue> item) {
        List<HistoryEntry> history = new ArrayList<>();
        AttributeValue h = item.get("statusHistory");
        if (h != null && h.hasL()) {
            h.l().forEach(e -> history.add(new HistoryEntry(e.m().get("status").s(), e.m().get("at").s(),
                    s(e.m(), "reason"))));
        }
        Operation op = null;
        AttributeValue o = item.get("operation");
        if (o != null && o.hasM()) {
            op = new Operation(s(o.m(), "name"), s(o.m(), "at"), s(o.m(), "by"), s(o.m(), "targetAmiId"),
                    num(o.m(), "targetVersion"), s(o.m(), "reason"));
        }
        AutoStop autoStop = null;
        AttributeValue a = item.get("autoStop");
        if (a != null && a.hasM()) {
            autoStop = new AutoStop(a.m().containsKey("idleMinutes") ? num(a.m(), "idleMinutes") : null,
                    a.m().containsKey("warnMinutes") ? num(a.m(), "warnMinutes") : null, s(a.m(), "schedule"));
        }
        AttributeValue r = item.get("readers");
        List<String> readers = r != null && r.hasL() ? r.l().stream().map(AttributeValue::s).toList() : List.of();
        return new WorkstationItem(s(item, "slug"), s(item, "id"), s(item, "name"), s(item, "definitionId"),
                num(item, "definitionVersion"), s(item, "imageId"), s(item, "amiId"), s(item, "instanceType"),
                s(item, "os"), s(item, "gpuType"), num(item, "gpuCount"), WorkstationStatus.of(s(item, "status")),
                s(item, "failureReason"), s(item, "launchedBy"), s(item, "createdAt"), s(item, "updatedAt"),
                s(item, "instanceId"), s(item, "availabilityZone"), s(item, "homeVolumeId"), s(item, "homeAttachedTo"),
                history, op, s(item, "stateAt"), num(item, "checks"), num(item, "version"), readers, autoStop);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void put(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    @Nullable
    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
