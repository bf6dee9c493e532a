package dev.atelier.workstation;

import dev.atelier.access.Action;
import dev.atelier.access.Operation;
import dev.atelier.access.Principal;
import dev.atelier.access.ResourceFacts;
import dev.atelier.access.ResourceKind;
import dev.atelier.audit.AuditLog;
import dev.atelier.definition.DefinitionItem;
import dev.atelier.facts.RequestFacts;
import dev.atelier.grant.GrantsItem;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.imagebuild.BuildSpec;
import dev.atelier.imagebuild.InstanceTypes;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Table;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.ApiException;
import dev.atelier.web.ETags;
import dev.atelier.web.Page;
import dev.atelier.workstation.WorkstationMessages.Command;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Workstations through the API: launch, list, read, and the lifecycle requests. A request
 * records what is asked (the workstation's {@code operation}, conditioned on the version read, so
 * of concurrent requests one wins and the others see it) and sends the command to the worker;
 * the status itself moves only when EC2 reports it ({@link WorkstationWorker}).
 */
@Singleton
public class WorkstationService {

    private static final Logger LOG = LoggerFactory.getLogger(WorkstationService.class);
    /** Attempts of a lifecycle request that meets a concurrent change. */
    private static final int ATTEMPTS = 3;

    private final WorkstationStore store;
    private final Table table;
    private final WorkstationQueue queue;
    private final Idempotency idempotency;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    public WorkstationService(WorkstationStore store, Table table, WorkstationQueue queue, Idempotency idempotency,
                              AuditLog audit, JsonMapper json, Clock clock) {
        this.store = store;
        this.table = table;
        this.queue = queue;
        this.idempotency = idempotency;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** A launched (or replayed) workstation and where it lives. */
    public record Launched(WorkstationView workstation, String location) { }

    /**
     * Launches a workstation from a definition's current image (needs {@code access} on it); the
     * launcher holds {@code full} on the workstation.
     *
     * @throws ApiException 400 naming each invalid field (an instance type that does not fit the
     *                      definition included), 404 for a definition the caller cannot see,
     *                      409 when the definition has no available image
     */
    public Launched launch(RequestFacts facts, @Nullable String raw, @Nullable String idempotencyKey) {
        facts.require(Operation.WORKSPACE_READ);
        WorkstationRequests.Launch spec = WorkstationRequests.launch(json, raw);
        String userId = facts.caller().userId();
        Optional<Idempotency.Request> replayable = idempotency.request(userId, idempotencyKey, "workstation.launch",
                facts.slug(), spec.toString());
        if (spec.imageId() != null) {
            // Custom images are captured from running workstations; none can be found until capture exists.
            throw ApiException.notFound("No image '" + spec.imageId() + "' in this workspace");
        }
        List<ItemKey> keys = new ArrayList<>(List.of(Keys.definitionItem(facts.slug(), spec.definitionId()),
                Keys.grantsItem(facts.slug(), DefinitionItem.KIND, spec.definitionId())));
        replayable.ifPresent(r -> keys.add(idempotency.key(r)));
        List<Map<String, AttributeValue>> found = table.getAll(keys);
        if (replayable.isPresent()) {
            Optional<WorkstationView> earlier = idempotency.replay(replayable.get(),
                    found.get(2).isEmpty() ? null : found.get(2), WorkstationView.class);
            if (earlier.isPresent()) {
                return new Launched(earlier.get(), location(facts.slug(), earlier.get().id()));
            }
        }
        if (found.get(0).isEmpty()) {
            throw ApiException.notFound("No definition '" + spec.definitionId() + "' in this workspace");
        }
        DefinitionItem definition = DefinitionItem.SCHEMA.mapToItem(found.get(0));
        GrantsItem grants = found.get(1).isEmpty() ? null : GrantsItem.SCHEMA.mapToItem(found.get(1));
        ResourceFacts resource = new ResourceFacts(ResourceKind.DEFINITION, definition.id(),
                grants == null ? List.of() : grants.grants(), null);
        RequestFacts.enforce(dev.atelier.access.Authorizer.decide(facts.subject(), Operation.DEFINITION_LAUNCH, resource),
                "No definition '" + spec.definitionId() + "' in this workspace");
        DefinitionItem.BuildState builds = definition.builds();
        if (builds.imageAmiId() == null) {
            throw ApiException.conflict("definitionId", "The definition '" + definition.displayName()
                    + "' has no available image yet" + (builds.buildStatus() == null ? ""
                    : " (its build is " + builds.buildStatus() + ")") + "; launch once a build has succeeded");
        }
        BuildSpec.Gpu gpu = spec.gpuType() != null ? new BuildSpec.Gpu(spec.gpuType(), spec.gpuCount())
                : definition.gpuType() == null ? null : new BuildSpec.Gpu(definition.gpuType(), (int) definition.gpuCount());
        String instanceType = instanceType(spec, definition, gpu);
        String id = UUID.randomUUID().toString();
        String now = now();
        String name = spec.name() != null ? spec.name() : definition.cliName() + "-" + id.substring(0, 4);
        WorkstationItem item = new WorkstationItem(facts.slug(), id, name, definition.id(), builds.imageVersion(),
                null, builds.imageAmiId(), instanceType, definition.os(), gpu == null ? null : gpu.type(),
                gpu == null ? 0 : gpu.count(), WorkstationStatus.PENDING, null, userId, now, now, null, null, null, null,
                List.of(new WorkstationItem.HistoryEntry(WorkstationStatus.PENDING.wireName(), now, "launched by " + userId)),
                WorkstationItem.Operation.of("launch", now, userId), null, 0, 1,
                List.of(Principal.user(userId).toString()), null);
        WorkstationView view = WorkstationView.of(item, builds.imageVersion());
        String location = location(facts.slug(), id);
        try {
            store.create(item, builds.imageVersion(), audit.entry(facts.slug(), userId, "workstation.launch", "workstation:" + id, null, view),
                    replayable.map(r -> idempotency.remember(r, view, location)).orElse(null));
        } catch (WriteRefusedException e) {
            if (e.by(WorkstationStore.Refused.WORKSPACE_GONE)) {
                throw ApiException.notFound("The workspace was deleted while this request ran");
            }
            throw ApiException.conflict(null, "A request with this Idempotency-Key is in progress");
        }
        send(item, Command.LAUNCH);
        return new Launched(view, location);
    }

    /**
     * One Query: a page of the workspace's workstations the caller may see (read on it and
     * {@code workstations.view}); {@code mine}: only those they launched. Terminated ones are left
     * out unless {@code terminated}.
     */
    public Page<WorkstationView> list(RequestFacts facts, int limit, @Nullable String cursor, boolean mine,
                                      boolean terminated) {
        RequestFacts.Membership membership = facts.require(Operation.WORKSPACE_READ);
        Page<WorkstationStore.Listed> page = store.page(facts.slug(), limit, cursor);
        String userId = facts.caller().userId();
        Set<String> principals = new HashSet<>();
        principals.add(Principal.user(userId).toString());
        membership.member().groupIds().forEach(g -> principals.add(Principal.group(g).toString()));
        boolean owner = membership.member().owner();
        boolean viewer = owner || facts.subject().membership().actions().contains(Action.WORKSTATIONS_VIEW);
        List<WorkstationView> visible = page.items().stream()
                .filter(l -> viewer && (owner || userId.equals(l.item().launchedBy())
                        || l.item().readers().stream().anyMatch(principals::contains)))
                .filter(l -> !mine || userId.equals(l.item().launchedBy()))
                .filter(l -> terminated || l.item().status() != WorkstationStatus.TERMINATED)
                .map(l -> WorkstationView.of(l.item(), l.latestImageVersion())).toList();
        return new Page<>(visible, page.nextCursor());
    }

    /** The workstation, and whether its definition has a newer image (one more read). */
    public WorkstationView get(RequestFacts facts) {
        facts.requireOnResource(Operation.WORKSTATION_READ);
        WorkstationItem w = stored(facts);
        // One BatchGetItem: the definition (is there a newer image?) and the workspace's auto-stop default.
        List<Map<String, AttributeValue>> found = table.getAll(List.of(Keys.definitionItem(w.slug(), w.definitionId()),
                AutoStopStore.key(w.slug())));
        long latest = found.get(0).isEmpty() ? 0 : DefinitionItem.SCHEMA.mapToItem(found.get(0)).builds().imageVersion();
        return WorkstationView.of(w, latest).withAutoStop(AutoStopView.of(w, AutoStopStore.settingsOf(found.get(1)),
                AutoStopService.lastActivity(facts), clock.instant()));
    }

    /** The lifecycle requests, with the access each needs. */
    public enum Request {
        START(Operation.WORKSTATION_RESTART), STOP(Operation.WORKSTATION_STOP),
        RESTART(Operation.WORKSTATION_RESTART), UPDATE(Operation.WORKSTATION_UPDATE),
        TERMINATE(Operation.WORKSTATION_DELETE);

        private final Operation operation;

        Request(Operation operation) {
            this.operation = operation;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Asks for a start, stop, restart, update or termination. Asking again for what is under way
     * (or done) answers the workstation as it is; what the current status does not allow → 409.
     *
     * @throws ApiException 409 naming the status that stands in the way, 412 on a stale If-Match
     */
    public WorkstationView request(RequestFacts facts, Request request, @Nullable String ifMatch) {
        facts.requireOnResource(request.operation);
        OptionalLong expected = ETags.ifMatch(ifMatch);
        WorkstationItem w = stored(facts);
        ETags.check(expected, w.version());
        DefinitionItem.BuildState latest = request == Request.UPDATE ? latestImage(w).orElse(null) : null;
        for (int attempt = 1; ; attempt++) {
            String now = now();
            WorkstationItem after = decide(w, request, latest, facts.caller().userId(), now);
            if (after == null) {
                return WorkstationView.of(w, latest == null ? 0 : latest.imageVersion());
            }
            try {
                store.save(w, after, audit.entry(w.slug(), facts.caller().userId(), "workstation." + request.wireName(),
                        "workstation:" + w.id(), Map.of("status", w.status().wireName()),
                        Map.of("requested", request.wireName())));
            } catch (WriteRefusedException e) {
                if (attempt >= ATTEMPTS || expected.isPresent()) {
                    throw ApiException.preconditionFailed("The workstation changed while this request ran; read it again");
                }
                w = store.get(w.slug(), w.id()).orElseThrow(() -> ApiException.notFound("The workstation is gone"));
                continue;
            }
            send(after, Command.valueOf(request.name()));
            return WorkstationView.of(after, latest == null ? 0 : latest.imageVersion());
        }
    }

    /**
     * What {@code request} makes of {@code w}: the workstation with the operation recorded, or
     * null when it is under way or done already.
     *
     * @throws ApiException 409 when the status does not allow it
     */
    @Nullable
    static WorkstationItem decide(WorkstationItem w, Request request, @Nullable DefinitionItem.BuildState latest,
                                  String by, String now) {
        WorkstationStatus s = w.status();
        String op = w.operation() == null ? null : w.operation().name();
        if (request == Request.TERMINATE) {
            if (s == WorkstationStatus.TERMINATED || s == WorkstationStatus.TERMINATING || "terminate".equals(op)) {
                return null;
            }
            return w.withOperation(WorkstationItem.Operation.of("terminate", now, by)).next(now);
        }
        if (s.ended() || s == WorkstationStatus.TERMINATING || "terminate".equals(op)) {
            throw refused(w, request, "it is " + (s.ended() ? s.wireName() : "being terminated"));
        }
        if (op != null && !op.equals(request.wireName())) {
            throw refused(w, request, "a " + op + " is under way");
        }
        if (op != null) {
            return null;
        }
        return switch (request) {
            case START -> switch (s) {
                case STOPPED -> ask(w, "start", by, now);
                case PENDING, RUNNING -> null;
                default -> throw refused(w, request, "it is " + s.wireName() + "; start it once it has stopped");
            };
            case STOP -> switch (s) {
                case RUNNING -> ask(w, "stop", by, now);
                case STOPPING, STOPPED -> null;
                default -> throw refused(w, request, "it is " + s.wireName() + "; stop it once it runs");
            };
            case RESTART -> switch (s) {
                case RUNNING, STOPPED -> ask(w, "restart", by, now);
                default -> throw refused(w, request, "it is " + s.wireName() + "; restart it once it runs or has stopped");
            };
            case UPDATE -> {
                if (latest == null || latest.imageAmiId() == null || latest.imageVersion() <= w.definitionVersion()) {
                    throw refused(w, request, "it runs the definition's current image already");
                }
                if (s != WorkstationStatus.RUNNING && s != WorkstationStatus.STOPPED) {
                    throw refused(w, request, "it is " + s.wireName() + "; update it once it runs or has stopped");
                }
                yield w.withOperation(new WorkstationItem.Operation("update", now, by, latest.imageAmiId(),
                        latest.imageVersion())).next(now);
            }
            case TERMINATE -> throw new IllegalStateException("handled above");
        };
    }

    private static WorkstationItem ask(WorkstationItem w, String op, String by, String now) {
        return w.withOperation(WorkstationItem.Operation.of(op, now, by)).next(now);
    }

    private static ApiException refused(WorkstationItem w, Request request, String why) {
        return ApiException.conflict(null, "Cannot " + request.wireName() + " workstation '" + w.name() + "': " + why);
    }

    /** Sends the command; a workstation whose launch cannot be sent is recorded as failed. */
    private void send(WorkstationItem w, Command command) {
        try {
            queue.send(WorkstationMessages.command(json, command, w.slug(), w.id()), 0);
        } catch (SdkException e) {
            LOG.warn("Could not send {} of workstation {} in {}", command, w.id(), w.slug(), e);
            String now = now();
            WorkstationItem failed = command == Command.LAUNCH
                    ? w.withStatus(WorkstationStatus.FAILED, now, "The launch could not be sent to the worker")
                            .withOperation(null).next(now)
                    : w.withOperation(null).next(now);
            try {
                store.save(w, failed, null);
            } catch (RuntimeException ignored) {
                // The record keeps the operation; the request is answered as not done either way.
            }
            throw new ApiException(503, "unavailable", "Service Unavailable", "The " + command.name()
                    .toLowerCase(Locale.ROOT) + " could not be sent now; try again in a moment", List.of());
        }
    }

    /** The instance type asked for (if it fits the definition) or the cheapest that fits. */
    private static String instanceType(WorkstationRequests.Launch spec, DefinitionItem d, @Nullable BuildSpec.Gpu gpu) {
        BuildSpec.Os os = "windows".equals(d.os()) ? BuildSpec.Os.WINDOWS : BuildSpec.Os.LINUX;
        if (spec.instanceType() != null) {
            InstanceTypes.InstanceType type = InstanceTypes.find(spec.instanceType()).orElseThrow();
            if (!InstanceTypes.fits(type, (int) d.cpuCores(), (int) d.memoryGb(), gpu)) {
                throw ApiException.invalid("instanceType", "'" + type.name() + "' (" + type.vcpus() + " vCPUs, "
                        + type.memoryGib() + " GiB" + (type.gpus() == 0 ? "" : ", " + type.gpus() + " × " + type.gpuType())
                        + ") does not fit the definition: it needs " + d.cpuCores() + " vCPUs, " + d.memoryGb() + " GiB"
                        + (gpu == null ? "" : " and " + gpu.count() + " × " + gpu.type()));
            }
            return type.name();
        }
        try {
            return InstanceTypes.choose(os, (int) d.cpuCores(), (int) d.memoryGb(), gpu).name();
        } catch (InstanceTypes.NoFittingInstanceTypeException e) {
            throw ApiException.invalid(gpu != null ? "gpu" : "definitionId", e.getMessage());
        }
    }

    private Optional<DefinitionItem.BuildState> latestImage(WorkstationItem w) {
        return table.get(Keys.definitionItem(w.slug(), w.definitionId()))
                .map(item -> DefinitionItem.SCHEMA.mapToItem(item).builds());
    }

    private static WorkstationItem stored(RequestFacts facts) {
        return WorkstationItem.of(facts.resource().item());
    }

    static String location(String slug, String id) {
        return "/api/v1/workspaces/" + slug + "/workstations/" + id;
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
