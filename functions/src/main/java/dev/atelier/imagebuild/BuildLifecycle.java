package dev.atelier.imagebuild;

import io.micronaut.context.annotation.Requires;
import dev.atelier.config.AtelierConfig;
import dev.atelier.definition.DefinitionItem;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.WriteRefusedException;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps a build goes through — {@link #start} (store the texts, create the image),
 * {@link #record} (each image state change), {@link #check} (the fallback when no end arrived in
 * time), {@link #abandon} — and how a build ends. Locally the steps run in-process; in AWS the
 * build workflow's tasks call the same methods.
 * <p>AWS clients only the steps use (S3, Image Builder) are resolved on first use: an API cold
 * start that only lists builds does not build them.
 * <p>A build's status only moves forward, and never once it has ended: each step's write is
 * conditional on the status it moves from, so a repeated or late event changes nothing.
 */
@Singleton
@Requires(classes = S3Client.class)
public class BuildLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BuildLifecycle.class);

    private final BuildStore store;
    private final BeanProvider<S3Client> s3;
    private final BeanProvider<ImageBuilder> imageBuilder;
    private final List<BuildEndListener> endListeners;
    private final List<NewImageListener> imageListeners;
    private final Clock clock;
    private final String bucket;
    private final String region;

    public BuildLifecycle(BuildStore store, BeanProvider<S3Client> s3, BeanProvider<ImageBuilder> imageBuilder,
                          List<BuildEndListener> endListeners, List<NewImageListener> imageListeners, Clock clock,
                          AtelierConfig config, @Value("${AWS_REGION:us-east-1}") String region) {
        this.store = store;
        this.s3 = s3;
        this.imageBuilder = imageBuilder;
        this.endListeners = List.copyOf(endListeners);
        this.imageListeners = List.copyOf(imageListeners);
        this.clock = clock;
        this.bucket = config.blobBucket();
        this.region = region;
    }

    /**
     * Step 1: stores the version's texts as blobs, creates the image and records {@code building};
     * if that fails, records {@code failed} with the reason. Does nothing unless the build is pending.
     *
     * @return the build as it stands afterwards ({@code null} when there is no such build)
     */
    @Nullable
    public BuildItem start(String slug, String definitionId, String buildId) {
        BuildStore.WithDefinition found = store.readWithDefinition(slug, definitionId, buildId);
        BuildItem build = found.build();
        DefinitionItem definition = found.definition();
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
        more.put(TableDefinition.GSI1.partitionKey(),
                AttributeValue.fromS(Keys.buildImage(created.imageArn())));
        more.put(TableDefinition.GSI1.sortKey(),
                AttributeValue.fromS(Keys.build(definitionId, buildId)));
        if (!store.move(build, BuildStatus.BUILDING, more, "startedAt", now())) {
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
        Optional<BuildItem> found = store.byImage(imageArn);
        if (found.isEmpty()) {
            return false;
        }
        BuildItem build = found.get();
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
            store.move(build, to.get(), Map.of(), null, now());
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
        if (to.get() == BuildStatus.AVAILABLE) {
            // The definition shows the image before the build says it is available: whoever sees
            // the build available finds its definition's current image already up to date.
            try {
                store.showImageIfNewer(build, homeAmi(amis), now());
                for (NewImageListener listener : imageListeners) {
                    listener.shown(build.slug(), build.definitionId(), build.version());
                }
            } catch (WriteRefusedException e) {
                LOG.debug("Definition {} already has a newer image than build {}", build.definitionId(), build.id());
            }
        }
        if (end(build, to.get(), to.get() == BuildStatus.AVAILABLE ? null
                : reason != null ? reason : "Image Builder reported " + state, amis)) {
            if (to.get() != BuildStatus.AVAILABLE) {
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
        BuildItem build = store.read(slug, definitionId, buildId);
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
        BuildItem build = store.read(slug, definitionId, buildId);
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

    /**
     * Ends a build whose image Image Builder no longer knows (nothing will report its end):
     * cancelled, what it made removed, whoever waits told.
     *
     * @return the build as it stands afterwards
     */
    BuildItem endUnknown(BuildItem build, String reason) {
        if (end(build, BuildStatus.CANCELLED, reason, Map.of())) {
            cleanUp(build);
            ended(build);
        }
        return reread(build);
    }

    /** Ends a build (if it has not ended) and its definition's current status; true when this call ended it. */
    boolean end(BuildItem build, BuildStatus to, @Nullable String reason, Map<String, String> amis) {
        Map<String, AttributeValue> more = new HashMap<>();
        if (reason != null) {
            more.put("failureReason", AttributeValue.fromS(reason));
        }
        String amiId = homeAmi(amis);
        if (amiId != null) {
            more.put("amiId", AttributeValue.fromS(amiId));
            more.put("amis", BuildItem.amisAttribute(amis));
        }
        return store.move(build, to, more, "finishedAt", now());
    }

    BuildItem reread(BuildItem build) {
        return store.read(build.slug(), build.definitionId(), build.id());
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

    private void cleanUp(BuildItem build) {
        BuildItem current = build.resources() == null ? reread(build) : build;
        if (current == null || current.resources() == null || current.imageArn() == null) {
            return;
        }
        try {
            imageBuilder.get().cleanUp(current.created());
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up build {}", build.id(), e);
        }
    }

    private BuildSpec spec(DefinitionItem d, BuildItem build) {
        BuildSpec.Os os = "windows".equals(d.os()) ? BuildSpec.Os.WINDOWS : BuildSpec.Os.LINUX;
        String parent = d.baseImage() == null ? parentImage(os) : baseImageAmi(d.slug(), d.baseImage());
        int version = Math.toIntExact(build.version());
        BuildSpec.BlobLocation pre = storeText(d, version, os, BuildBlobs.Kind.PRE_BUILD_SCRIPT, d.preBuildScript());
        BuildSpec.BlobLocation post = storeText(d, version, os, BuildBlobs.Kind.POST_BUILD_SCRIPT, d.postBuildScript());
        BuildSpec.BlobLocation requirements = storeText(d, version, os, BuildBlobs.Kind.REQUIREMENTS, d.requirements());
        return new BuildSpec(d.slug(), d.id(), version, build.id(), os, Math.toIntExact(d.cpuCores()),
                Math.toIntExact(d.memoryGb()), d.pythonVersion(),
                d.gpuType() == null ? null : new BuildSpec.Gpu(d.gpuType(), Math.toIntExact(d.gpuCount())),
                parent, pre, post, requirements);
    }

    /** The AMI of the workspace image a definition builds on ({@code image:<id>}). */
    private String baseImageAmi(String slug, String baseImage) {
        String imageId = baseImage.startsWith("image:") ? baseImage.substring("image:".length()) : baseImage;
        Map<String, AttributeValue> image = store.image(slug, imageId);
        if (image == null) {
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

    private BuildSpec.BlobLocation storeText(DefinitionItem d, int version, BuildSpec.Os os, BuildBlobs.Kind kind,
                                             @Nullable String content) {
        String text = content == null ? "" : content;
        BuildSpec.BlobLocation location = BuildBlobs.location(bucket, d.slug(), d.id(), version, os, kind, text);
        s3.get().putObject(r -> r.bucket(location.bucket()).key(location.key()).contentType("text/plain; charset=utf-8"),
                RequestBody.fromString(text));
        return location;
    }

    private static String reason(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "The build could not start: " + (message.length() > 1000 ? message.substring(0, 1000) : message);
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
