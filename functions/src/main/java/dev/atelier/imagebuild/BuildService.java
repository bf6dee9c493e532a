package dev.atelier.imagebuild;

import dev.atelier.access.Operation;
import dev.atelier.audit.AuditLog;
import dev.atelier.definition.DefinitionItem;
import dev.atelier.definition.DefinitionView;
import dev.atelier.facts.RequestFacts;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.ApiException;
import dev.atelier.web.Page;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The API on image builds: list a definition's builds, rebuild, cancel, promote an earlier image,
 * read a build's log; and the build a definition's save starts. The steps a build then goes
 * through are {@link BuildLifecycle}'s; its records are {@link BuildStore}'s.
 */
@Singleton
public class BuildService {

    private static final Logger LOG = LoggerFactory.getLogger(BuildService.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BuildStore store;
    private final BuildLifecycle lifecycle;
    private final BeanProvider<ImageBuilder> imageBuilder;
    private final BeanProvider<BuildPipeline> pipeline;
    private final BeanProvider<BuildLogs> logs;
    private final AuditLog audit;
    private final Clock clock;

    public BuildService(BuildStore store, BuildLifecycle lifecycle, BeanProvider<ImageBuilder> imageBuilder,
                        BeanProvider<BuildPipeline> pipeline, BeanProvider<BuildLogs> logs, AuditLog audit, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.imageBuilder = imageBuilder;
        this.pipeline = pipeline;
        this.logs = logs;
        this.audit = audit;
        this.clock = clock;
    }

    // --- records made with a definition's own transaction ---------------------------------

    /** Whether builds run in this deployment (locally yes; in AWS once the workflow exists). */
    public boolean available() {
        return pipeline.isPresent();
    }

    /** A new pending build of a definition version, to be put in the transaction that saves it. */
    public BuildItem newBuild(String slug, String definitionId, long version, String requestedBy) {
        return BuildItem.pending(slug, definitionId, newId(), version, requestedBy, now());
    }

    /** Starts a build whose record is committed. */
    public void launch(BuildItem build) {
        pipeline.get().start(new BuildPipeline.BuildRef(build.slug(), build.definitionId(), build.id()));
    }

    // --- API ------------------------------------------------------------------------------

    /** One Query: a page of a definition's builds, newest first. */
    public Page<BuildView> list(RequestFacts facts, int limit, @Nullable String cursor) {
        facts.requireOnResource(Operation.DEFINITION_READ);
        Page<BuildItem> page = store.page(facts.slug(), facts.resource().id(), limit, cursor);
        return new Page<>(page.items().stream().map(b -> BuildView.of(b, logUrl(b))).toList(), page.nextCursor());
    }

    /**
     * Builds the definition's current version again (needs {@code operate}).
     *
     * @throws ApiException 501 where builds are not available, 409 when the definition changed meanwhile
     */
    public BuildView rebuild(RequestFacts facts) {
        facts.requireOnResource(Operation.DEFINITION_REBUILD);
        if (!available()) {
            throw notAvailable();
        }
        DefinitionItem definition = DefinitionItem.SCHEMA.mapToItem(facts.resource().item());
        BuildItem build = newBuild(facts.slug(), definition.id(), definition.version(), facts.caller().userId());
        try {
            store.insert(build, definition, audit.entry(facts.slug(), facts.caller().userId(), "definition.rebuild",
                    "definition:" + definition.id(), null, Map.of("build", build.id(), "version", build.version())));
        } catch (WriteRefusedException e) {
            throw ApiException.conflict(null, "The definition changed while this request ran; read it again");
        }
        launch(build);
        return BuildView.of(build, null);
    }

    /**
     * Cancels a build in progress (needs {@code operate}): a build not started yet ends at once,
     * one started is cancelled in Image Builder and ends when its state change arrives — or at
     * once when Image Builder no longer knows its image. The answer is the build as it stands
     * after the cancel.
     *
     * @throws ApiException 404 for an unknown build, 409 when it has ended, 502 when Image Builder
     *                      refuses to cancel it
     */
    public BuildView cancel(RequestFacts facts, String buildId) {
        facts.requireOnResource(Operation.DEFINITION_REBUILD);
        BuildItem build = store.read(facts.slug(), facts.resource().id(), buildId);
        if (build == null) {
            throw ApiException.notFound("No build '" + buildId + "' of this definition");
        }
        if (build.status().ended()) {
            throw hasEnded(build);
        }
        if (build.imageArn() == null) {
            if (lifecycle.end(build, BuildStatus.CANCELLED, "Cancelled before it started", Map.of())) {
                return BuildView.of(build, null).withStatus(BuildStatus.CANCELLED);
            }
            build = lifecycle.reread(build);
            if (build.imageArn() == null) {
                throw hasEnded(build);
            }
        }
        try {
            imageBuilder.get().cancel(build.imageArn());
        } catch (ImageBuilder.UnknownImageException e) {
            build = lifecycle.endUnknown(build, "Cancelled");
        } catch (ImageBuilder.ImageBuilderException e) {
            BuildItem now = lifecycle.reread(build);
            if (now.status().ended()) {
                throw hasEnded(now);
            }
            throw new ApiException(502, "image-builder-refused", "Bad gateway",
                    "Image Builder refused to cancel the build: " + e.getMessage(), List.of());
        }
        return BuildView.of(build, logUrl(build));
    }

    /**
     * Cancels the builds of a (deleted) definition that are still in progress: one Query, then
     * Image Builder for each started one (its end arrives as for any cancel; one not started yet
     * ends cancelled when its start finds the definition gone). Never throws.
     */
    public void cancelInProgress(String slug, String definitionId) {
        try {
            List<BuildStatus> started = BuildStatus.inProgress().stream().filter(s -> s != BuildStatus.PENDING).toList();
            for (BuildItem build : store.ofDefinition(slug, definitionId, started)) {
                if (build.imageArn() != null) {
                    try {
                        imageBuilder.get().cancel(build.imageArn());
                    } catch (RuntimeException e) {
                        LOG.warn("Could not cancel build {} of deleted definition {}", build.id(), definitionId, e);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not look for builds in progress of deleted definition {}", definitionId, e);
        }
    }

    /**
     * Makes an available build the definition's current image (needs {@code promote}): how a
     * team goes back to an earlier good image. A build that becomes available later becomes
     * current in turn, as always.
     *
     * @throws ApiException 404 for an unknown build, 409 when it is not available, 412 when the
     *                      definition changed while the request ran
     */
    public DefinitionView promote(RequestFacts facts, String buildId) {
        facts.requireOnResource(Operation.DEFINITION_PROMOTE);
        BuildItem build = store.read(facts.slug(), facts.resource().id(), buildId);
        if (build == null) {
            throw ApiException.notFound("No build '" + buildId + "' of this definition");
        }
        if (build.status() != BuildStatus.AVAILABLE) {
            throw ApiException.conflict(null, "Only an available build can become the current image (this one is "
                    + build.status().wireName() + ")");
        }
        DefinitionItem definition = DefinitionItem.SCHEMA.mapToItem(facts.resource().item());
        String now = now();
        try {
            store.showImage(build, definition, now, audit.entry(facts.slug(), facts.caller().userId(),
                    "definition.promote", "definition:" + definition.id(), null,
                    Map.of("build", build.id(), "version", build.version())));
        } catch (WriteRefusedException e) {
            throw ApiException.preconditionFailed("The definition changed while this request ran; read it again");
        }
        DefinitionItem.BuildState was = definition.builds();
        return DefinitionView.of(definition.withBuilds(new DefinitionItem.BuildState(was.buildId(), was.buildStatus(),
                was.buildVersion(), build.id(), build.version(), build.amiId(), now)));
    }

    /** Where the build's log is read (the API's log route), once its image has started. */
    @Nullable
    public static String logUrl(BuildItem build) {
        return build.imageArn() == null ? null : "/api/v1/workspaces/" + build.slug() + "/definitions/"
                + build.definitionId() + "/builds/" + build.id() + "/log";
    }

    /**
     * The build's log so far, as text (needs {@code read} and the {@code logs.view} action):
     * empty before its image has started writing one.
     *
     * @throws ApiException 404 for an unknown build
     */
    public String log(RequestFacts facts, String buildId) {
        facts.requireOnResource(Operation.DEFINITION_LOGS);
        BuildItem build = store.read(facts.slug(), facts.resource().id(), buildId);
        if (build == null) {
            throw ApiException.notFound("No build '" + buildId + "' of this definition");
        }
        return build.imageArn() == null ? "" : logs.get().read(build.id());
    }

    private static ApiException hasEnded(BuildItem build) {
        return ApiException.conflict(null, "The build has already ended (" + build.status().wireName() + ")");
    }

    static ApiException notAvailable() {
        return new ApiException(501, "not-implemented", "Not implemented",
                "Image builds are not available in this deployment yet", List.of());
    }

    private String newId() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(bytes);
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
