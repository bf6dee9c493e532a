package dev.atelier.local;

import dev.atelier.imagebuild.BuildLogs;
import dev.atelier.imagebuild.BuildSpec;
import dev.atelier.imagebuild.BuildTags;
import dev.atelier.imagebuild.ComponentDocuments;
import dev.atelier.imagebuild.ImageBuilder;
import dev.atelier.imagebuild.ImageBuilderEvents;
import dev.atelier.imagebuild.InstanceTypes;
import dev.atelier.imagebuild.MachineImages;
import dev.atelier.imagebuild.ec2.RegionalEc2Clients;
import dev.atelier.imagebuild.imagebuilder.ImageBuilderSettings;
import dev.atelier.imagebuild.imagebuilder.SdkImageBuilder;
import dev.atelier.config.AtelierConfig;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Locally, Image Builder is simulated: no local engine has it. An image walks
 * PENDING → BUILDING → TESTING → DISTRIBUTING → AVAILABLE, one state per
 * {@code atelier.local.image-builder.step-millis} (2000 ms by default), and each change is
 * published through the engine's EventBridge as the real "EC2 Image Builder Image State Change"
 * event, on the local event bus ({@link LocalResources#eventBusName}).
 * <ul>
 *   <li>A pre-build script containing the line {@code # atelier-simulate: fail} makes the build
 *   fail in BUILDING, with a reason, as a failing script would; a missing script blob fails it too.</li>
 *   <li>On the way to AVAILABLE the AMI is made for real in the engine's EC2, as Image Builder
 *   leaves it: a build instance is launched (from the parent image when it is an AMI id; an Image
 *   Builder image ARN cannot be resolved without Image Builder), imaged with CreateImage (the
 *   engine gives the AMI its root snapshot) and terminated; with
 *   {@code atelier.image-builder.regions}, the AMI is copied to each other region. AMIs, their
 *   snapshots and the build instance carry the build's tags ({@link BuildTags}). An EC2 refusal
 *   fails the build in DISTRIBUTING, leaving no AMI.</li>
 *   <li>Images live in memory only: a restart forgets builds in progress, as a lost event would.</li>
 * </ul>
 */
@Singleton
@Replaces(SdkImageBuilder.class)
@Requires(env = "local")
public class LocalImageBuilder implements ImageBuilder {

    /** A pre-build script line that makes a simulated build fail. */
    public static final String FAIL_MARKER = "# atelier-simulate: fail";

    static final String ACCOUNT = "123456789012";

    private static final Logger LOG = LoggerFactory.getLogger(LocalImageBuilder.class);
    private static final List<Status> WALK = List.of(Status.PENDING, Status.BUILDING, Status.TESTING,
            Status.DISTRIBUTING, Status.AVAILABLE);
    /** How Image Builder's {@code {{ imagebuilder:buildDate }}} reads in AMI names. */
    private static final DateTimeFormatter BUILD_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final EventBridgeClient eventBridge;
    private final S3Client s3;
    private final RegionalEc2Clients ec2;
    private final MachineImages machineImages;
    private final ImageBuilderSettings settings;
    private final JsonMapper json;
    private final String eventBus;
    private final String bucket;
    private final String region;
    private final long stepMillis;
    private final Map<String, SimulatedImage> images = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-image-builder");
        thread.setDaemon(true);
        return thread;
    });

    public LocalImageBuilder(EventBridgeClient eventBridge, S3Client s3, RegionalEc2Clients ec2,
                             MachineImages machineImages, ImageBuilderSettings settings, JsonMapper json,
                             AtelierConfig config,
                             @Value("${atelier.local.image-builder.step-millis:2000}") long stepMillis,
                             @Value("${AWS_REGION:us-east-1}") String region) {
        this.eventBridge = eventBridge;
        this.s3 = s3;
        this.ec2 = ec2;
        this.machineImages = machineImages;
        this.settings = settings;
        this.json = json;
        this.eventBus = LocalResources.eventBusName(config);
        this.bucket = config.blobBucket();

        this.stepMillis = stepMillis;
        this.region = region;
    }

    private static final class SimulatedImage {
        final BuildSpec spec;
        Status status = Status.PENDING;
        String reason;
        Map<String, String> amis = Map.of();
        ScheduledFuture<?> next;
        final StringBuilder log = new StringBuilder();

        SimulatedImage(BuildSpec spec) {
            this.spec = spec;
        }
    }

    @Override
    public Created create(BuildSpec spec) {
        // Generated as in AWS, so an invalid spec fails here as it would there.
        List<ComponentDocuments.Document> documents = ComponentDocuments.forBuild(spec);
        InstanceTypes.choose(spec);
        String name = "atelier-" + spec.buildId().toLowerCase();
        String version = spec.version() + ".0.0";
        String prefix = "arn:aws:imagebuilder:" + region + ":" + ACCOUNT + ":";
        String imageArn = prefix + "image/" + name + "/" + version + "/1";
        Created created = new Created(imageArn, prefix + "image-recipe/" + name + "/" + version,
                prefix + "infrastructure-configuration/" + name,
                documents.stream().map(d -> prefix + "component/" + name + "-" + d.kind().label() + "/" + version + "/1")
                        .toList());
        SimulatedImage image = new SimulatedImage(spec);
        if (images.putIfAbsent(imageArn, image) == null) {
            synchronized (image) {
                log(imageArn, image, "PENDING: instance type " + InstanceTypes.choose(spec).name() + ", parent image "
                        + spec.parentImage() + ", " + documents.size() + " components");
                image.next = clock.schedule(() -> advance(imageArn), stepMillis, TimeUnit.MILLISECONDS);
            }
        }
        return created;
    }

    @Override
    public ImageState status(String imageArn) {
        SimulatedImage image = image(imageArn);
        synchronized (image) {
            return new ImageState(image.status, image.amis, image.reason);
        }
    }

    @Override
    public void cancel(String imageArn) {
        SimulatedImage image = image(imageArn);
        synchronized (image) {
            if (image.status.ended()) {
                return;
            }
            if (image.next != null) {
                image.next.cancel(false);
            }
            change(imageArn, image, Status.CANCELLED, "Image creation cancelled");
        }
    }

    @Override
    public void cleanUp(Created created) {
        SimulatedImage image = images.remove(created.imageArn());
        if (image != null) {
            synchronized (image) {
                if (image.next != null) {
                    image.next.cancel(false);
                }
            }
        }
    }

    /**
     * The engine sets up a region's EC2 on its first request there (seconds: it loads its public
     * AMIs), and the SDK's EC2 client is large to load: both are done in the background at start,
     * not in the first build's DISTRIBUTING step.
     */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        Thread warmUp = new Thread(() -> {
            try {
                ec2.in(region).describeImages(r -> r.owners("self"));
            } catch (SdkException e) {
                LOG.debug("The engine's EC2 did not answer at start", e);
            }
        }, "local-image-builder-ec2");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    @PreDestroy
    void stop() {
        clock.shutdownNow();
    }

    private void advance(String imageArn) {
        SimulatedImage image = images.get(imageArn);
        if (image == null) {
            return;
        }
        synchronized (image) {
            if (image.status.ended()) {
                return;
            }
            Status next = WALK.get(WALK.indexOf(image.status) + 1);
            if (next == Status.TESTING) {
                String failure = preBuildFailure(image.spec);
                if (failure != null) {
                    change(imageArn, image, Status.FAILED, failure);
                    return;
                }
            }
            if (next == Status.AVAILABLE) {
                try {
                    image.amis = makeAmis(image.spec);
                } catch (RuntimeException e) {
                    // Whatever the cause, the image ends: a task that died here would leave it DISTRIBUTING.
                    change(imageArn, image, Status.FAILED, "Distribution failed: " + e.getMessage());
                    return;
                }
            }
            change(imageArn, image, next, null);
            if (!next.ended()) {
                image.next = clock.schedule(() -> advance(imageArn), stepMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Why the pre-build step fails, or {@code null}: checked on leaving BUILDING. */
    private String preBuildFailure(BuildSpec spec) {
        BuildSpec.BlobLocation blob = spec.preBuildScript();
        String script;
        try {
            script = s3.getObjectAsBytes(r -> r.bucket(blob.bucket()).key(blob.key())).asUtf8String();
        } catch (NoSuchKeyException e) {
            return "Step Download of component atelier-pre-build failed: " + blob.uri() + " does not exist";
        } catch (SdkException e) {
            return "Step Download of component atelier-pre-build failed: " + e.getMessage();
        }
        boolean fail = script.lines().anyMatch(line -> line.strip().equals(FAIL_MARKER));
        return fail ? "Step Run of component atelier-pre-build failed: the script exited with status 1 (simulated)" : null;
    }

    private void change(String imageArn, SimulatedImage image, Status to, String reason) {
        Status from = image.status;
        image.status = to;
        image.reason = reason;
        log(imageArn, image, to + (reason == null ? "" : ": " + reason)
                + (to == Status.AVAILABLE ? " (" + amiList(image.amis) + ")" : ""));
        publish(imageArn, from, to, reason);
    }

    /**
     * The simulated build log, kept where build instances write theirs in AWS
     * ({@link BuildLogs#prefix}{@code simulator.log}).
     */
    private void log(String imageArn, SimulatedImage image, String line) {
        image.log.append(java.time.Instant.now()).append("  ").append(line).append('\n');
        try {
            s3.putObject(r -> r.bucket(bucket).key(logKey(image)).contentType("text/plain; charset=utf-8"),
                    RequestBody.fromString(image.log.toString()));
        } catch (SdkException e) {
            LOG.debug("Could not write the simulated log of {}", imageArn, e);
        }
    }

    private static String logKey(SimulatedImage image) {
        return BuildLogs.prefix(image.spec.buildId()) + "simulator.log";
    }

    private void publish(String imageArn, Status from, Status to, String reason) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", to.name());
        if (reason != null) {
            state.put("reason", reason);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("previous-state", Map.of("status", from.name()));
        detail.put("state", state);
        String detailJson;
        try {
            detailJson = json.writeValueAsString(detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            var result = eventBridge.putEvents(r -> r.entries(e -> e
                    .eventBusName(eventBus)
                    .source(ImageBuilderEvents.SOURCE)
                    .detailType(ImageBuilderEvents.DETAIL_TYPE)
                    .resources(imageArn)
                    .detail(detailJson)));
            if (result.failedEntryCount() != null && result.failedEntryCount() > 0) {
                LOG.warn("The local event bus refused the state change {} → {} of {}: {}", from, to, imageArn,
                        result.entries());
            }
        } catch (SdkException e) {
            // Events are best-effort in AWS too; the build's status stays readable.
            LOG.warn("Could not publish the state change {} → {} of {}", from, to, imageArn, e);
        }
    }

    private SimulatedImage image(String imageArn) {
        SimulatedImage image = images.get(imageArn);
        if (image == null) {
            throw new UnknownImageException(imageArn, null);
        }
        return image;
    }

    /**
     * The build's AMIs, by region, made in the engine's EC2 as Image Builder makes them: in this
     * region from a build instance, copied to each other distribution region. What was made before
     * a refusal is deregistered again.
     */
    private Map<String, String> makeAmis(BuildSpec spec) {
        List<Tag> tags = BuildTags.of(spec).entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
        String name = "atelier-" + spec.buildId().toLowerCase();
        String buildDate = BUILD_DATE.format(Instant.now());
        // Image Builder's own naming without a distribution configuration, the stack's with one.
        String amiName = settings.regions().isEmpty() ? name + " " + buildDate : name + "-" + buildDate;
        String description = "Atelier " + spec.workspace() + "/" + spec.definitionId() + " v" + spec.version();
        Map<String, String> amis = new LinkedHashMap<>();
        try {
            Ec2Client home = ec2.in(region);
            String instanceId = home.runInstances(r -> r
                    .imageId(spec.parentImage().startsWith("ami-") ? spec.parentImage() : null)
                    .instanceType(InstanceTypes.choose(spec).name())
                    .minCount(1).maxCount(1)
                    .metadataOptions(m -> m.httpTokens("required"))
                    .tagSpecifications(tagged(ResourceType.INSTANCE, tags), tagged(ResourceType.VOLUME, tags)))
                    .instances().get(0).instanceId();
            try {
                amis.put(region, home.createImage(r -> r.instanceId(instanceId).name(amiName).description(description)
                        .tagSpecifications(tagged(ResourceType.IMAGE, tags))).imageId());
            } finally {
                home.terminateInstances(r -> r.instanceIds(instanceId));
            }
            tagSnapshots(home, amis.get(region), tags);
            for (String other : settings.regions()) {
                if (!other.equals(region)) {
                    Ec2Client there = ec2.in(other);
                    String copy = there.copyImage(r -> r.sourceRegion(region).sourceImageId(amis.get(region))
                            .name(amiName).description(description)).imageId();
                    amis.put(other, copy);
                    there.createTags(r -> r.resources(copy).tags(tags));
                    tagSnapshots(there, copy, tags);
                }
            }
            return Collections.unmodifiableMap(amis);
        } catch (SdkException e) {
            try {
                machineImages.deregister(amis);
            } catch (RuntimeException cleanUpFailed) {
                e.addSuppressed(cleanUpFailed);
            }
            throw e;
        }
    }

    /** The AMI of this region, then those of the others: {@code ami-1, eu-west-1 ami-2}. */
    private String amiList(Map<String, String> amis) {
        StringBuilder list = new StringBuilder(amis.getOrDefault(region, ""));
        amis.forEach((where, amiId) -> {
            if (!where.equals(region)) {
                list.append(list.isEmpty() ? "" : ", ").append(where).append(' ').append(amiId);
            }
        });
        return list.toString();
    }

    /** Tags the snapshots an AMI's block devices use (EC2 tags them only when asked). */
    private static void tagSnapshots(Ec2Client ec2, String amiId, List<Tag> tags) {
        List<String> snapshots = ec2.describeImages(r -> r.imageIds(amiId)).images().stream()
                .flatMap(i -> i.blockDeviceMappings().stream())
                .map(BlockDeviceMapping::ebs).filter(Objects::nonNull)
                .map(ebs -> ebs.snapshotId()).filter(Objects::nonNull)
                .toList();
        if (!snapshots.isEmpty()) {
            ec2.createTags(r -> r.resources(snapshots).tags(tags));
        }
    }

    private static TagSpecification tagged(ResourceType type, List<Tag> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags).build();
    }
}
