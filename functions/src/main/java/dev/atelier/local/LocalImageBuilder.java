package dev.atelier.local;

import dev.atelier.imagebuild.BuildLogs;
import dev.atelier.imagebuild.BuildSpec;
import dev.atelier.imagebuild.ComponentDocuments;
import dev.atelier.imagebuild.ImageBuilder;
import dev.atelier.imagebuild.ImageBuilderEvents;
import dev.atelier.imagebuild.InstanceTypes;
import dev.atelier.imagebuild.imagebuilder.SdkImageBuilder;
import dev.atelier.config.AtelierConfig;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>The AMI is an id generated in EC2's format, not registered in the engine's EC2 (the EC2
 *   SDK module would make the Lambda jar too large).</li>
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
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventBridgeClient eventBridge;
    private final S3Client s3;
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

    public LocalImageBuilder(EventBridgeClient eventBridge, S3Client s3, JsonMapper json, AtelierConfig config,
                             @Value("${atelier.local.image-builder.step-millis:2000}") long stepMillis,
                             @Value("${AWS_REGION:us-east-1}") String region) {
        this.eventBridge = eventBridge;
        this.s3 = s3;
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
        String amiId;
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
            return new ImageState(image.status, image.amiId == null ? Map.of() : Map.of(region, image.amiId), image.reason);
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
                image.amiId = "ami-" + HexFormat.of().formatHex(randomBytes(9)).substring(0, 17);
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
                + (image.amiId != null && to == Status.AVAILABLE ? " (" + image.amiId + ")" : ""));
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

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
