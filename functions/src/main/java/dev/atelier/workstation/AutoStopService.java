package dev.atelier.workstation;

import dev.atelier.access.Operation;
import dev.atelier.audit.AuditLog;
import dev.atelier.definition.DefinitionItem;
import dev.atelier.facts.RequestFacts;
import dev.atelier.store.Keys;
import dev.atelier.store.Table;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.ApiException;
import dev.atelier.web.ETags;
import dev.atelier.workstation.WorkstationMessages.Command;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Auto-stop through the API: the workspace's default, a workstation's own settings, and
 * keep-alive. The API never touches the alarms: it records the settings and sends the worker an
 * ARM command ({@link AutoStopWorker}); keep-alive counts as activity on the metric the alarm
 * watches.
 */
@Singleton
public class AutoStopService {

    private final AutoStopStore defaults;
    private final WorkstationStore store;
    private final Table table;
    private final IdleAlarms alarms;
    private final WorkstationQueue queue;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;
    private final long minIdleMinutes;

    public AutoStopService(AutoStopStore defaults, WorkstationStore store, Table table, IdleAlarms alarms,
                           WorkstationQueue queue, AuditLog audit, JsonMapper json, Clock clock,
                           @Value("${atelier.workstations.auto-stop.min-idle-minutes:5}") long minIdleMinutes) {
        this.defaults = defaults;
        this.store = store;
        this.table = table;
        this.alarms = alarms;
        this.queue = queue;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.minIdleMinutes = minIdleMinutes;
    }

    /** The workspace's default as the API shows it (all null: none). */
    @Serdeable
    public record DefaultView(@Nullable Long idleMinutes, @Nullable Long warnMinutes,
                              @Nullable AutoStop.Schedule schedule, @Nullable String updatedAt,
                              @Nullable String updatedBy) {
        static DefaultView of(@Nullable AutoStop s, @Nullable String at, @Nullable String by) {
            return s == null ? new DefaultView(null, null, null, null, null)
                    : new DefaultView(s.idleMinutes(), s.warnMinutes(), s.schedule(), at, by);
        }
    }

    /** One GetItem: the workspace's default (any member may read it). */
    public DefaultView getDefault(RequestFacts facts) {
        facts.require(Operation.WORKSPACE_READ);
        return defaults.get(facts.slug()).map(d -> DefaultView.of(d.settings(), d.updatedAt(), d.updatedBy()))
                .orElse(DefaultView.of(null, null, null));
    }

    /**
     * Replaces the workspace's default (owner or {@code settings.manage}); the workstations that
     * follow it are armed again by the worker.
     *
     * @throws ApiException 400 naming each invalid field
     */
    public DefaultView putDefault(RequestFacts facts, @Nullable String raw) {
        facts.require(Operation.WORKSPACE_UPDATE);
        AutoStop settings = AutoStopRequests.workspaceDefault(json, raw, minIdleMinutes);
        String now = now();
        String by = facts.caller().userId();
        try {
            defaults.put(facts.slug(), settings, now, by, audit.entry(facts.slug(), by, "workspace.auto-stop",
                    "workspace:" + facts.slug(), null, DefaultView.of(settings, now, by)));
        } catch (WriteRefusedException e) {
            throw ApiException.notFound("The workspace was deleted while this request ran");
        }
        send(facts.slug(), WorkstationMessages.WORKSPACE, Command.ARM_WORKSPACE);
        return DefaultView.of(settings, now, by);
    }

    /**
     * {@code PATCH …/workstations/{id} {autoStop}} (operate, If-Match): the workstation's own
     * settings, or null to follow the workspace's default.
     *
     * @throws ApiException 400 naming each invalid field, 412 on a stale If-Match or a concurrent change
     */
    public WorkstationView patch(RequestFacts facts, @Nullable String raw, @Nullable String ifMatch) {
        facts.requireOnResource(Operation.WORKSTATION_UPDATE);
        OptionalLong expected = ETags.ifMatch(ifMatch);
        AutoStopRequests.Patch patch = AutoStopRequests.patch(json, raw, minIdleMinutes);
        WorkstationItem w = WorkstationItem.of(facts.resource().item());
        ETags.check(expected, w.version());
        if (w.status().ended()) {
            throw ApiException.conflict("autoStop", "The workstation is " + w.status().wireName());
        }
        String now = now();
        WorkstationItem after = w.withAutoStop(patch.autoStop() == null ? null : patch.autoStop().stored()).next(now);
        Map<String, Object> was = new HashMap<>();
        was.put("autoStop", AutoStop.of(w.autoStop()));
        Map<String, Object> is = new HashMap<>();
        is.put("autoStop", patch.autoStop());
        try {
            store.save(w, after, audit.entry(w.slug(), facts.caller().userId(), "workstation.auto-stop-settings",
                    "workstation:" + w.id(), was, is));
        } catch (WriteRefusedException e) {
            throw ApiException.preconditionFailed("The workstation changed while this request ran; read it again");
        }
        send(w.slug(), w.id(), Command.ARM);
        return viewed(after, lastActivity(facts));
    }

    /**
     * {@code POST …/{id}/keep-alive} (access): counts as activity now, which pushes the idle deadline.
     *
     * @throws ApiException 409 when the workstation is not running
     */
    public WorkstationView keepAlive(RequestFacts facts) {
        facts.requireOnResource(Operation.WORKSTATION_KEEP_ALIVE);
        WorkstationItem w = WorkstationItem.of(facts.resource().item());
        if (w.status() != WorkstationStatus.RUNNING) {
            throw ApiException.conflict(null, "The workstation is " + w.status().wireName()
                    + "; keep-alive is for a running workstation");
        }
        String now = now();
        try {
            alarms.active(w.id());
        } catch (SdkException e) {
            throw new ApiException(503, "unavailable", "Service Unavailable",
                    "The keep-alive could not be recorded now; try again in a moment", List.of());
        }
        try {
            defaults.keepAlive(w.slug(), w.id(), now);
        } catch (WriteRefusedException e) {
            throw ApiException.notFound("The workstation is gone");
        }
        return viewed(w, now);
    }

    /**
     * The workstation with its settings in effect and its deadline, and whether its definition has
     * a newer image, as {@code GET} shows it: one BatchGetItem of the workspace's default and the definition.
     */
    private WorkstationView viewed(WorkstationItem w, @Nullable String lastActivityAt) {
        List<Map<String, AttributeValue>> found = table.getAll(List.of(AutoStopStore.key(w.slug()),
                Keys.definitionItem(w.slug(), w.definitionId())));
        long latest = found.get(1).isEmpty() ? 0 : DefinitionItem.SCHEMA.mapToItem(found.get(1)).builds().imageVersion();
        return WorkstationView.of(w, latest).withAutoStop(AutoStopView.of(w, AutoStopStore.settingsOf(found.get(0)),
                lastActivityAt, clock.instant()));
    }

    @Nullable
    static String lastActivity(RequestFacts facts) {
        AttributeValue v = facts.resource().item().get("lastActivityAt");
        return v == null ? null : v.s();
    }

    private void send(String slug, String id, Command command) {
        try {
            queue.send(WorkstationMessages.command(json, command, slug, id), 0);
        } catch (SdkException e) {
            // The settings are recorded; the alarm follows them when the workstation next runs.
            org.slf4j.LoggerFactory.getLogger(AutoStopService.class).warn("Could not send {} for {}/{}", command, slug, id, e);
        }
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
