package dev.atelier.imagebuild;

import dev.atelier.access.Operation;
import dev.atelier.audit.AuditLog;
import dev.atelier.config.AtelierConfig;
import dev.atelier.definition.DefinitionItem;
import dev.atelier.definition.DefinitionView;
import dev.atelier.facts.RequestFacts;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.web.ApiException;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.S3Client;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Image builds of workstation definitions: their records, the API on them, and the step
 * handlers a build runs through — {@link #start} (store the texts, create the image) and
 * {@link #record} (each image state change). Locally the steps run in-process; in AWS the build
 * workflow's tasks will call the same methods.
 * <p>AWS clients only the steps use (S3, Image Builder) are resolved on first use: an API
 * cold start that only lists builds does not build them.
 * <p>A build's status only moves forward, and never once it has ended: each step's write is
 * conditional on the status it moves from, so a repeated or late event changes nothing.
 */
@Singleton
public class BuildService {

    private static final Logger LOG = LoggerFactory.getLogger(BuildService.class);
    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient dynamoDb;
    private final BeanProvider<S3Client> s3;
    private final BeanProvider<ImageBuilder> imageBuilder;
    private final BeanProvider<BuildPipeline> pipeline;
    private final BeanProvider<BuildLogs> logs;
    private final AuditLog audit;
    private final List<BuildEndListener> endListeners;
    private final Clock clock;
    private final String tableName;
    private final String bucket;
    private final String region;

    public BuildService(DynamoDbClient dynamoDb, BeanProvider<S3Client> s3, BeanProvider<ImageBuilder> imageBuilder,
                        BeanProvider<BuildPipeline> pipeline, BeanProvider<BuildLogs> logs, AuditLog audit, List<BuildEndListener> endListeners,
                        Clock clock, AtelierConfig config,
                        @Value("${AWS_REGION:us-east-1}") String region) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.imageBuilder = imageBuilder;
        this.pipeline = pipeline;
        this.logs = logs;
        this.audit = audit;
        this.endListeners = List.copyOf(endListeners);
        this.clock = clock;
        this.tableName = config.tableName();
        this.bucket = config.blobBucket();
        this.region = region;
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
        String partition = Keys.workspace(facts.slug());
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        var response = dynamoDb.query(r -> r.tableName(tableName)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition),
                        ":prefix", AttributeValue.fromS(Keys.buildsOf(facts.resource().id()))))
                .scanIndexForward(false).limit(limit).exclusiveStartKey(startKey).consistentRead(true));
        List<BuildView> items = response.items().stream().map(BuildItem::of).map(b -> BuildView.of(b, logUrl(b))).toList();
        return new Page<>(items, Cursors.encode(response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey() : null));
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
        Transaction tx = new Transaction(tableName);
        tx.put(build.toItem(), "attribute_not_exists(PK)", Map.of());
        tx.update(Keys.workspace(facts.slug()), Keys.resource(DefinitionItem.KIND, definition.id()),
                "SET currentBuildId = :b, currentBuildStatus = :s, currentBuildVersion = :v", Map.of(),
                Map.of(":b", AttributeValue.fromS(build.id()), ":s", AttributeValue.fromS(build.status().wireName()),
                        ":v", AttributeValue.fromN(Long.toString(definition.version()))), "version = :v");
        tx.add(audit.entry(facts.slug(), facts.caller().userId(), "definition.rebuild", "definition:" + definition.id(),
                null, Map.of("build", build.id(), "version", build.version())));
        if (tx.commit(dynamoDb).isPresent()) {
            throw ApiException.conflict(null, "The definition changed while this request ran; read it again");
        }
        launch(build);
        return BuildView.of(build, null);
    }

    /**
     * Cancels a build in progress (needs {@code operate}): a build not started yet ends at once,
     * one started is cancelled in Image Builder and ends when its state change arrives.
     *
     * @throws ApiException 404 for an unknown build, 409 when it has ended
     */
    public BuildView cancel(RequestFacts facts, String buildId) {
        facts.requireOnResource(Operation.DEFINITION_REBUILD);
        Map<String, AttributeValue> stored = dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(key(Keys.workspace(facts.slug()), Keys.build(facts.resource().id(), buildId)))).item();
        if (stored == null || stored.isEmpty()) {
            throw ApiException.notFound("No build '" + buildId + "' of this definition");
        }
        BuildItem build = BuildItem.of(stored);
        if (build.status().ended()) {
            throw ApiException.conflict(null, "The build has already ended (" + build.status().wireName() + ")");
        }
        if (build.imageArn() == null) {
            if (end(build, BuildStatus.CANCELLED, "Cancelled before it started", Map.of())) {
                return BuildView.of(build, null).withStatus(BuildStatus.CANCELLED);
            }
            build = reread(build);
            if (build.imageArn() == null) {
                throw ApiException.conflict(null, "The build has already ended (" + build.status().wireName() + ")");
            }
        }
        try {
            imageBuilder.get().cancel(build.imageArn());
        } catch (ImageBuilder.UnknownImageException e) {
            // Image Builder no longer knows it (locally: restarted); nothing will report an end.
            if (end(build, BuildStatus.CANCELLED, "Cancelled", Map.of())) {
                cleanUp(build);
                ended(build);
            }
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
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":pk", AttributeValue.fromS(Keys.workspace(slug)));
            values.put(":prefix", AttributeValue.fromS(Keys.buildsOf(definitionId)));
            String started = BuildStatus.statusIn(BuildStatus.inProgress().stream()
                    .filter(status -> status != BuildStatus.PENDING).toList(), "s", values);
            var response = dynamoDb.query(r -> r.tableName(tableName)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .filterExpression(started)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values));
            for (Map<String, AttributeValue> item : response.items()) {
                BuildItem build = BuildItem.of(item);
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
        Map<String, AttributeValue> stored = dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(key(Keys.workspace(facts.slug()), Keys.build(facts.resource().id(), buildId)))).item();
        if (stored == null || stored.isEmpty()) {
            throw ApiException.notFound("No build '" + buildId + "' of this definition");
        }
        BuildItem build = BuildItem.of(stored);
        if (build.status() != BuildStatus.AVAILABLE) {
            throw ApiException.conflict(null, "Only an available build can become the current image (this one is "
                    + build.status().wireName() + ")");
        }
        DefinitionItem definition = DefinitionItem.SCHEMA.mapToItem(facts.resource().item());
        String now = now();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":b", AttributeValue.fromS(build.id()));
        values.put(":bv", AttributeValue.fromN(Long.toString(build.version())));
        values.put(":t", AttributeValue.fromS(now));
        values.put(":v", AttributeValue.fromN(Long.toString(definition.version())));
        String set = "SET currentImageBuildId = :b, currentImageVersion = :bv, currentImageAt = :t";
        if (build.amiId() != null) {
            values.put(":a", AttributeValue.fromS(build.amiId()));
            set += ", currentImageAmiId = :a";
        } else {
            set += " REMOVE currentImageAmiId";
        }
        Transaction tx = new Transaction(tableName);
        tx.update(Keys.workspace(facts.slug()), Keys.resource(DefinitionItem.KIND, definition.id()), set, Map.of(),
                values, "version = :v");
        tx.add(audit.entry(facts.slug(), facts.caller().userId(), "definition.promote", "definition:" + definition.id(),
                null, Map.of("build", build.id(), "version", build.version())));
        if (commitRetryingConflicts(tx).isPresent()) {
            throw ApiException.preconditionFailed("The definition changed while this request ran; read it again");
        }
        DefinitionItem.BuildState was = definition.builds();
        return DefinitionView.of(definition.withBuilds(new DefinitionItem.BuildState(was.buildId(), was.buildStatus(),
                was.buildVersion(), build.id(), build.version(), build.amiId(), now)));
    }

    // --- step handlers ----------------------------------------------------------------------

    /**
     * Step 1: stores the version's texts as blobs, creates the image and records {@code building};
     * if that fails, records {@code failed} with the reason. Does nothing unless the build is pending.
     *
     * @return the build as it stands afterwards ({@code null} when there is no such build)
     */
    @Nullable
    public BuildItem start(String slug, String definitionId, String buildId) {
        var found = dynamoDb.batchGetItem(r -> r.requestItems(Map.of(tableName, software.amazon.awssdk.services.dynamodb
                .model.KeysAndAttributes.builder().consistentRead(true).keys(
                        key(Keys.workspace(slug), Keys.build(definitionId, buildId)),
                        key(Keys.workspace(slug), Keys.resource(DefinitionItem.KIND, definitionId))).build())))
                .responses().getOrDefault(tableName, List.of());
        BuildItem build = null;
        DefinitionItem definition = null;
        for (Map<String, AttributeValue> item : found) {
            if (item.get(TableDefinition.SK).s().startsWith("BUILD#")) {
                build = BuildItem.of(item);
            } else {
                definition = DefinitionItem.SCHEMA.mapToItem(item);
            }
        }
        if (build == null || build.status() != BuildStatus.PENDING) {
            return build;
        }
        if (definition == null) {
            end(build, BuildStatus.CANCELLED, "The definition was deleted before the build started", Map.of());
            return reread(build);
        }
        if (definition.version() != build.version()) {
            end(build, BuildStatus.CANCELLED, "Version " + definition.version() + " was saved before this build started", Map.of());
            return reread(build);
        }
        ImageBuilder.Created created;
        try {
            created = imageBuilder.get().create(spec(definition, build));
        } catch (RuntimeException e) {
            LOG.info("Build {} of definition {} could not start", buildId, definitionId, e);
            end(build, BuildStatus.FAILED, reason(e), Map.of());
            return reread(build);
        }
        Map<String, AttributeValue> more = new HashMap<>();
        more.put("imageArn", AttributeValue.fromS(created.imageArn()));
        more.put("imageRecipeArn", AttributeValue.fromS(created.imageRecipeArn()));
        more.put("infrastructureConfigurationArn", AttributeValue.fromS(created.infrastructureConfigurationArn()));
        more.put("componentArns", AttributeValue.fromL(created.componentArns().stream().map(AttributeValue::fromS).toList()));
        if (created.distributionConfigurationArn() != null) {
            more.put("distributionConfigurationArn", AttributeValue.fromS(created.distributionConfigurationArn()));
        }
        more.put(TableDefinition.GSI1.partitionKey(), AttributeValue.fromS(Keys.buildImage(created.imageArn())));
        more.put(TableDefinition.GSI1.sortKey(), AttributeValue.fromS(Keys.build(definitionId, buildId)));
        if (!move(build, BuildStatus.BUILDING, more, "startedAt")) {
            // Cancelled while the image was being created: stop it and remove what was made.
            try {
                imageBuilder.get().cancel(created.imageArn());
            } finally {
                imageBuilder.get().cleanUp(created);
            }
        }
        return reread(build);
    }

    /**
     * Step 2, for each image state change: moves the build of {@code imageArn} forward, with the
     * AMI on {@code available}, the reason on {@code failed}, and clean-up of what the build made
     * on {@code failed} / {@code cancelled}. A change that would not move it forward is ignored.
     *
     * @return false when no build has this image (yet): the change should be offered again later
     */
    public boolean record(String imageArn, ImageBuilder.Status state, @Nullable String reason) {
        var response = dynamoDb.query(r -> r.tableName(tableName).indexName(TableDefinition.GSI1.name())
                .keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.buildImage(imageArn)))));
        if (response.items().isEmpty()) {
            return false;
        }
        BuildItem build = BuildItem.of(response.items().get(0));
        Optional<BuildStatus> to = BuildStatus.fromImageBuilder(state);
        if (to.isPresent() && to.get().ended() && build.status().ended()) {
            // A repeated end: whoever waits for it may not have heard the first time.
            ended(build);
            return true;
        }
        if (to.isEmpty() || build.status().ended() || !to.get().reachableFrom().contains(build.status())) {
            return true;
        }
        if (!to.get().ended()) {
            move(build, to.get(), Map.of(), null);
            return true;
        }
        Map<String, String> amis = Map.of();
        if (to.get() == BuildStatus.AVAILABLE) {
            try {
                amis = imageBuilder.get().status(imageArn).amis();
            } catch (ImageBuilder.ImageBuilderException e) {
                LOG.warn("Could not read the AMIs of {}", imageArn, e);
            }
        }
        if (end(build, to.get(), to.get() == BuildStatus.AVAILABLE ? null
                : reason != null ? reason : "Image Builder reported " + state, amis)) {
            if (to.get() == BuildStatus.AVAILABLE) {
                promote(build, amis);
            } else {
                cleanUp(build);
            }
            ended(build);
        }
        return true;
    }

    /**
     * The fallback status check of the workflow, when no end arrived in time: an image that has
     * ended is recorded as its state change would have been; one still in progress is cancelled
     * and the build ends failed (timed out), its resources cleaned up.
     *
     * @return the build as it stands afterwards ({@code null} when there is no such build)
     */
    @Nullable
    public BuildItem check(String slug, String definitionId, String buildId) {
        BuildItem build = read(slug, definitionId, buildId);
        if (build == null || build.status().ended()) {
            return build;
        }
        if (build.imageArn() == null) {
            return abandon(slug, definitionId, buildId, "The build never started its image");
        }
        ImageBuilder.ImageState state;
        try {
            state = imageBuilder.get().status(build.imageArn());
        } catch (ImageBuilder.UnknownImageException e) {
            return abandon(slug, definitionId, buildId, "Image Builder no longer knows the build's image");
        }
        if (state.status().ended()) {
            record(build.imageArn(), state.status(), state.reason());
            return reread(build);
        }
        return abandon(slug, definitionId, buildId, "The build did not finish in time (last status: "
                + BuildStatus.fromImageBuilder(state.status()).map(BuildStatus::wireName).orElse(state.status().name())
                + ")");
    }

    /**
     * Ends a build that the workflow gives up on (an error, a time-out): its image is cancelled
     * if still in progress, the build ends failed with {@code reason}, what it made is removed.
     * Repeating it changes nothing.
     *
     * @return the build as it stands afterwards ({@code null} when there is no such build)
     */
    @Nullable
    public BuildItem abandon(String slug, String definitionId, String buildId, String reason) {
        BuildItem build = read(slug, definitionId, buildId);
        if (build == null) {
            return null;
        }
        if (build.imageArn() != null && !build.status().ended()) {
            try {
                imageBuilder.get().cancel(build.imageArn());
            } catch (RuntimeException e) {
                LOG.warn("Could not cancel the image of build {}", buildId, e);
            }
        }
        if (end(build, BuildStatus.FAILED, reason.length() > 1000 ? reason.substring(0, 1000) : reason, Map.of())
                || build.status() == BuildStatus.FAILED || build.status() == BuildStatus.CANCELLED) {
            cleanUp(build);
        }
        return reread(build);
    }

    /** One build, read consistently; {@code null} when there is none. */
    @Nullable
    public BuildItem read(String slug, String definitionId, String buildId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(key(Keys.workspace(slug), Keys.build(definitionId, buildId)))).item();
        return item == null || item.isEmpty() ? null : BuildItem.of(item);
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
        BuildItem build = read(facts.slug(), facts.resource().id(), buildId);
        if (build == null) {
            throw ApiException.notFound("No build '" + buildId + "' of this definition");
        }
        return build.imageArn() == null ? "" : logs.get().read(build.id());
    }

    /**
     * The definition's current image becomes this build's, unless it already holds a newer one
     * (a later version, or a later build of the same version). Not written when the definition
     * is gone.
     */
    private void promote(BuildItem build, Map<String, String> amis) {
        String amiId = homeAmi(amis);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":b", AttributeValue.fromS(build.id()));
        values.put(":v", AttributeValue.fromN(Long.toString(build.version())));
        values.put(":t", AttributeValue.fromS(now()));
        String set = "SET currentImageBuildId = :b, currentImageVersion = :v, currentImageAt = :t";
        if (amiId != null) {
            values.put(":a", AttributeValue.fromS(amiId));
            set += ", currentImageAmiId = :a";
        }
        String condition = "attribute_exists(PK) AND (attribute_not_exists(currentImageBuildId) OR currentImageVersion < :v"
                + " OR (currentImageVersion = :v AND currentImageBuildId < :b))";
        String update = amiId != null ? set : set + " REMOVE currentImageAmiId";
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName)
                    .key(key(Keys.workspace(build.slug()), Keys.resource(DefinitionItem.KIND, build.definitionId())))
                    .updateExpression(update).conditionExpression(condition).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            LOG.debug("Definition {} already has a newer image than build {}", build.definitionId(), build.id());
        }
    }

    /** The AMI in this deployment's region, else any. */
    @Nullable
    private String homeAmi(Map<String, String> amis) {
        String home = amis.get(region);
        return home != null ? home : amis.values().stream().sorted().findFirst().orElse(null);
    }

    private void ended(BuildItem build) {
        for (BuildEndListener listener : endListeners) {
            try {
                listener.ended(build);
            } catch (RuntimeException e) {
                LOG.warn("A listener of build ends failed for build {}", build.id(), e);
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------

    private BuildSpec spec(DefinitionItem d, BuildItem build) {
        BuildSpec.Os os = "windows".equals(d.os()) ? BuildSpec.Os.WINDOWS : BuildSpec.Os.LINUX;
        String parent = d.baseImage() == null ? parentImage(os) : baseImageAmi(d.slug(), d.baseImage());
        int version = Math.toIntExact(build.version());
        BuildSpec.BlobLocation pre = store(d, version, os, BuildBlobs.Kind.PRE_BUILD_SCRIPT, d.preBuildScript());
        BuildSpec.BlobLocation post = store(d, version, os, BuildBlobs.Kind.POST_BUILD_SCRIPT, d.postBuildScript());
        BuildSpec.BlobLocation requirements = store(d, version, os, BuildBlobs.Kind.REQUIREMENTS, d.requirements());
        return new BuildSpec(d.slug(), d.id(), version, build.id(), os, Math.toIntExact(d.cpuCores()),
                Math.toIntExact(d.memoryGb()), d.pythonVersion(),
                d.gpuType() == null ? null : new BuildSpec.Gpu(d.gpuType(), Math.toIntExact(d.gpuCount())),
                parent, pre, post, requirements);
    }

    /** The AMI of the workspace image a definition builds on ({@code image:<id>}). */
    private String baseImageAmi(String slug, String baseImage) {
        String imageId = baseImage.startsWith("image:") ? baseImage.substring("image:".length()) : baseImage;
        Map<String, AttributeValue> image = dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(key(Keys.workspace(slug), Keys.resource("image", imageId)))).item();
        if (image == null || image.isEmpty()) {
            throw new IllegalArgumentException("The base image '" + imageId + "' no longer exists");
        }
        AttributeValue ami = image.get("amiId");
        if (ami == null || ami.s() == null || !ami.s().matches("ami-[0-9a-f]{8,17}")) {
            throw new IllegalArgumentException("The base image '" + imageId + "' has no machine image yet");
        }
        return ami.s();
    }

    /** Image Builder's managed base images (newest version). */
    private String parentImage(BuildSpec.Os os) {
        String name = os == BuildSpec.Os.WINDOWS ? "windows-server-2022-english-full-base-x86" : "amazon-linux-2023-x86";
        return "arn:aws:imagebuilder:" + region + ":aws:image/" + name + "/x.x.x";
    }

    private BuildSpec.BlobLocation store(DefinitionItem d, int version, BuildSpec.Os os, BuildBlobs.Kind kind,
                                         @Nullable String content) {
        String text = content == null ? "" : content;
        BuildSpec.BlobLocation location = BuildBlobs.location(bucket, d.slug(), d.id(), version, os, kind, text);
        s3.get().putObject(r -> r.bucket(location.bucket()).key(location.key()).contentType("text/plain; charset=utf-8"),
                RequestBody.fromString(text));
        return location;
    }

    /** Ends a build (if it has not ended) and its definition's current status; true when this call ended it. */
    private boolean end(BuildItem build, BuildStatus to, @Nullable String reason, Map<String, String> amis) {
        Map<String, AttributeValue> more = new HashMap<>();
        if (reason != null) {
            more.put("failureReason", AttributeValue.fromS(reason));
        }
        String amiId = homeAmi(amis);
        if (amiId != null) {
            more.put("amiId", AttributeValue.fromS(amiId));
            more.put("amis", BuildItem.amisAttribute(amis));
        }
        return move(build, to, more, "finishedAt");
    }

    /**
     * The build moves to {@code to} only from a status before it; in the same transaction its
     * definition, when this build is its current one, shows the new status. When it is not (a
     * newer build is current, or the definition is gone), the build alone moves.
     */
    private boolean move(BuildItem build, BuildStatus to, Map<String, AttributeValue> more, @Nullable String timeAttribute) {
        String now = now();
        Map<String, String> names = new HashMap<>();
        names.put("#status", "status");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", AttributeValue.fromS(to.wireName()));
        values.put(":h", BuildItem.historyEntry(to, now));
        StringBuilder set = new StringBuilder("SET #status = :to, statusHistory = list_append(statusHistory, :h)");
        if (timeAttribute != null) {
            set.append(", ").append(timeAttribute).append(" = :now");
            values.put(":now", AttributeValue.fromS(now));
        }
        int i = 0;
        for (var entry : more.entrySet()) {
            names.put("#m" + i, entry.getKey());
            values.put(":m" + i, entry.getValue());
            set.append(", #m").append(i).append(" = :m").append(i);
            i++;
        }
        String condition = fromCondition(to, values);
        String pk = Keys.workspace(build.slug());
        String sk = Keys.build(build.definitionId(), build.id());
        Transaction tx = new Transaction(tableName);
        tx.update(pk, sk, set.toString(), names, values, condition);
        tx.update(pk, Keys.resource(DefinitionItem.KIND, build.definitionId()), "SET currentBuildStatus = :to", Map.of(),
                Map.of(":to", values.get(":to"), ":b", AttributeValue.fromS(build.id())), "currentBuildId = :b");
        OptionalInt failed = commitRetryingConflicts(tx);
        if (failed.isEmpty()) {
            return true;
        }
        if (failed.getAsInt() == 0) {
            return false;
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName).key(key(pk, sk))
                    .updateExpression(set.toString()).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Commits, trying again when the transaction lost a race with another one on the same items
     * (a definition saved at the same moment): a step must not be dropped for that.
     */
    private OptionalInt commitRetryingConflicts(Transaction tx) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.commit(dynamoDb);
            } catch (TransactionCanceledException e) {
                boolean conflict = e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == 5) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt + RANDOM.nextInt(30));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String fromCondition(BuildStatus to, Map<String, AttributeValue> values) {
        return BuildStatus.statusIn(to.reachableFrom(), "f", values);
    }

    private void cleanUp(BuildItem build) {
        BuildItem current = build.resources() == null ? reread(build) : build;
        if (current.resources() == null || current.imageArn() == null) {
            return;
        }
        try {
            imageBuilder.get().cleanUp(current.created());
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up build {}", build.id(), e);
        }
    }

    private BuildItem reread(BuildItem build) {
        return BuildItem.of(dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(key(Keys.workspace(build.slug()), Keys.build(build.definitionId(), build.id())))).item());
    }

    private static String reason(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "The build could not start: " + (message.length() > 1000 ? message.substring(0, 1000) : message);
    }

    static ApiException notAvailable() {
        return new ApiException(501, "not-implemented", "Not implemented",
                "Image builds are not available in this deployment yet", List.of());
    }

    private String newId() {
        return ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(randomBytes());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableDefinition.PK, AttributeValue.fromS(pk), TableDefinition.SK, AttributeValue.fromS(sk));
    }
}
