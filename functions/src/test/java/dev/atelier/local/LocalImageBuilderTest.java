package dev.atelier.local;

import dev.atelier.imagebuild.BuildBlobs;
import dev.atelier.imagebuild.BuildSpec;
import dev.atelier.imagebuild.BuildSpecs;
import dev.atelier.imagebuild.BuildTags;
import dev.atelier.imagebuild.ImageBuilder;
import dev.atelier.imagebuild.ImageBuilderEvents;
import dev.atelier.config.AtelierConfig;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local Image Builder simulator walks images through Image Builder's states and publishes
 * each change through the engine's EventBridge, where the rule with
 * {@link ImageBuilderEvents#PATTERN} carries it to an SQS queue — the path the build workflow
 * will take events from.
 */
class LocalImageBuilderTest {

    private static RunningApp app;
    private static ImageBuilder imageBuilder;
    private static SqsClient sqs;
    private static String queueUrl;
    private static AtelierConfig config;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 150,
                "atelier.local.build-events.consume", false));
        imageBuilder = app.context().getBean(ImageBuilder.class);
        sqs = app.context().getBean(SqsClient.class);
        config = app.context().getBean(AtelierConfig.class);
        queueUrl = sqs.getQueueUrl(r -> r.queueName(LocalResources.imageBuilderEventsQueueName(config))).queueUrl();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void localMode_shouldUseTheSimulator() {
        assertThat(imageBuilder).isInstanceOf(LocalImageBuilder.class);
    }

    @Test
    void build_shouldWalkToAvailable_andEmitEveryStateChangeOnTheQueue() {
        // GIVEN a definition whose scripts are stored
        BuildSpec spec = stored(newBuildId(), "echo ready\n");

        // WHEN its image is built
        ImageBuilder.Created created = imageBuilder.create(spec);
        ImageBuilder.ImageState state = awaitEnd(created.imageArn());

        // THEN it is available with an AMI, and each change arrived as Image Builder's event
        assertThat(state.status()).isEqualTo(ImageBuilder.Status.AVAILABLE);
        assertThat(state.amis()).hasSize(1);
        assertThat(state.amis().values().iterator().next()).matches("ami-[0-9a-f]{17}");
        List<Map<String, Object>> events = receive(created.imageArn(), 4);
        assertThat(events).extracting(LocalImageBuilderTest::transition).containsExactly(
                "PENDING->BUILDING", "BUILDING->TESTING", "TESTING->DISTRIBUTING", "DISTRIBUTING->AVAILABLE");
        for (Map<String, Object> event : events) {
            assertThat(event).containsEntry("source", "aws.imagebuilder")
                    .containsEntry("detail-type", "EC2 Image Builder Image State Change")
                    .containsEntry("resources", List.of(created.imageArn()));
            assertThat(event).containsKeys("id", "time", "region", "version", "detail");
        }
        assertThat(created.imageArn()).matches("arn:aws:imagebuilder:[a-z0-9-]+:[0-9]{12}:image/atelier-"
                + spec.buildId() + "/3\\.0\\.0/1");
    }

    @Test
    void build_shouldLeaveItsAmiInTheEnginesEc2_namedAndTaggedLikeImageBuilders() {
        // GIVEN an image built to AVAILABLE
        BuildSpec spec = stored(newBuildId(), "echo ready\n");
        ImageBuilder.Created created = imageBuilder.create(spec);
        ImageBuilder.ImageState state = awaitEnd(created.imageArn());
        assertThat(state.status()).isEqualTo(ImageBuilder.Status.AVAILABLE);
        String region = state.amis().keySet().iterator().next();
        String amiId = state.amis().get(region);
        Ec2Client ec2 = app.context().getBean(Ec2Client.class);
        assertThat(region).isEqualTo(ec2.serviceClientConfiguration().region().id());

        // THEN the engine's EC2 has the AMI, available, named after the build and tagged with it
        List<Image> images = ec2.describeImages(r -> r.imageIds(amiId)).images();
        assertThat(images).hasSize(1);
        Image image = images.get(0);
        assertThat(image.stateAsString()).isEqualTo("available");
        assertThat(image.name()).matches("atelier-" + spec.buildId() + " \\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}Z");
        assertThat(tags(image.tags())).isEqualTo(BuildTags.of(spec));
        // AND its root snapshot carries the build's tags too
        List<String> snapshotIds = image.blockDeviceMappings().stream().map(BlockDeviceMapping::ebs)
                .map(ebs -> ebs.snapshotId()).toList();
        assertThat(snapshotIds).isNotEmpty();
        assertThat(ec2.describeSnapshots(r -> r.snapshotIds(snapshotIds)).snapshots())
                .allSatisfy(snapshot -> assertThat(tags(snapshot.tags())).isEqualTo(BuildTags.of(spec)));
        // AND the build instance is terminated, leaving no volume behind
        List<Instance> instances = ec2.describeInstances(r -> r.filters(
                        Filter.builder().name("tag:" + BuildTags.BUILD).values(spec.buildId()).build()))
                .reservations().stream().flatMap(reservation -> reservation.instances().stream()).toList();
        assertThat(instances).extracting(i -> i.state().nameAsString()).containsExactly("terminated");
        assertThat(ec2.describeVolumes(r -> r.filters(
                Filter.builder().name("tag:" + BuildTags.BUILD).values(spec.buildId()).build())).volumes()).isEmpty();
    }

    @Test
    void build_shouldLeaveOneAmiPerDistributionRegion_taggedInEach() {
        // GIVEN a deployment distributing AMIs to its own region and to another one
        Ec2Client ec2 = app.context().getBean(Ec2Client.class);
        String home = ec2.serviceClientConfiguration().region().id();
        String other = home.equals("eu-west-1") ? "eu-central-1" : "eu-west-1";
        try (RunningApp distributing = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 150,
                "atelier.local.build-events.consume", false, "atelier.image-builder.regions", home + "," + other));
             Ec2Client there = Ec2Client.builder().region(Region.of(other))
                     .httpClient(app.context().getBean(SdkHttpClient.class)).build()) {
            ImageBuilder regional = distributing.context().getBean(ImageBuilder.class);
            BuildSpec spec = stored(newBuildId(), "echo ready\n");

            // WHEN an image is built there
            ImageBuilder.Created created = regional.create(spec);
            ImageBuilder.ImageState state = awaitEnd(regional, created.imageArn());

            // THEN it has an AMI in each region, named as the distribution names it and tagged like the build
            assertThat(state.status()).isEqualTo(ImageBuilder.Status.AVAILABLE);
            assertThat(state.amis()).containsOnlyKeys(home, other);
            Image copy = there.describeImages(r -> r.imageIds(state.amis().get(other))).images().get(0);
            assertThat(copy.name()).startsWith("atelier-" + spec.buildId() + "-");
            assertThat(tags(copy.tags())).isEqualTo(BuildTags.of(spec));
            List<String> snapshotIds = copy.blockDeviceMappings().stream().map(b -> b.ebs().snapshotId()).toList();
            assertThat(there.describeSnapshots(r -> r.snapshotIds(snapshotIds)).snapshots())
                    .allSatisfy(snapshot -> assertThat(tags(snapshot.tags())).isEqualTo(BuildTags.of(spec)));
            assertThat(ec2.describeImages(r -> r.imageIds(state.amis().get(home))).images()).hasSize(1);
        }
    }

    @Test
    void cleanUp_shouldLeaveTheAmi_whichIsTheProduct() {
        // GIVEN an available image
        ImageBuilder.Created created = imageBuilder.create(stored(newBuildId(), "echo ready\n"));
        ImageBuilder.ImageState state = awaitEnd(created.imageArn());
        String amiId = state.amis().values().iterator().next();

        // WHEN what create made is cleaned up
        imageBuilder.cleanUp(created);

        // THEN the AMI is still registered in the engine's EC2
        Ec2Client ec2 = app.context().getBean(Ec2Client.class);
        assertThat(ec2.describeImages(r -> r.imageIds(amiId)).images()).extracting(Image::stateAsString)
                .containsExactly("available");
    }

    @Test
    void build_shouldFailWithAReason_whenThePreBuildScriptCarriesTheFailureMarker() {
        BuildSpec spec = stored(newBuildId(), "set -e\n" + LocalImageBuilder.FAIL_MARKER + "\nexit 1\n");

        ImageBuilder.Created created = imageBuilder.create(spec);
        ImageBuilder.ImageState state = awaitEnd(created.imageArn());

        assertThat(state.status()).isEqualTo(ImageBuilder.Status.FAILED);
        assertThat(state.reason()).contains("pre-build");
        assertThat(state.amis()).isEmpty();
        List<Map<String, Object>> events = receive(created.imageArn(), 2);
        assertThat(events).extracting(LocalImageBuilderTest::transition)
                .containsExactly("PENDING->BUILDING", "BUILDING->FAILED");
        assertThat(at(events.get(1), "detail", "state", "reason")).isEqualTo(state.reason());
    }

    @Test
    void cancel_shouldEndTheImageCancelled_andEmitTheChange() {
        ImageBuilder.Created created = imageBuilder.create(stored(newBuildId(), "echo slow\n"));

        imageBuilder.cancel(created.imageArn());
        imageBuilder.cancel(created.imageArn()); // ended: nothing more

        assertThat(imageBuilder.status(created.imageArn()).status()).isEqualTo(ImageBuilder.Status.CANCELLED);
        assertThat(receive(created.imageArn(), 1)).extracting(LocalImageBuilderTest::transition)
                .containsExactly("PENDING->CANCELLED");
    }

    @Test
    void cleanUp_shouldForgetTheImage_andBeRepeatable() {
        ImageBuilder.Created created = imageBuilder.create(stored(newBuildId(), "echo\n"));

        imageBuilder.cleanUp(created);
        imageBuilder.cleanUp(created);

        assertThatThrownBy(() -> imageBuilder.status(created.imageArn()))
                .isInstanceOf(ImageBuilder.UnknownImageException.class);
    }

    @Test
    void rulePattern_shouldSelectTheCapturedSampleEvent_andNothingElse() throws IOException {
        // GIVEN the real event shape, as the Image Builder guide shows it
        Map<String, Object> sample = Json.object(Files.readString(Path.of("..", "events",
                "eventbridge-imagebuilder-state-change.json")));
        String imageArn = ((List<?>) sample.get("resources")).get(0).toString();
        EventBridgeClient eventBridge = app.context().getBean(EventBridgeClient.class);

        // WHEN it and an event of another type go onto the local bus
        eventBridge.putEvents(r -> r.entries(
                e -> e.eventBusName(LocalResources.eventBusName(config)).source((String) sample.get("source"))
                        .detailType((String) sample.get("detail-type")).resources(imageArn)
                        .detail(Json.write(sample.get("detail"))),
                e -> e.eventBusName(LocalResources.eventBusName(config)).source("aws.imagebuilder")
                        .detailType("EC2 Image Builder CVE Detected").resources(imageArn).detail("{}")));

        // THEN only the state change reaches the queue, with its detail intact
        List<Map<String, Object>> events = receive(imageArn, 1);
        assertThat(events.get(0).get("detail")).isEqualTo(sample.get("detail"));
        assertThat(events.get(0).get("detail-type")).isEqualTo(ImageBuilderEvents.DETAIL_TYPE);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages())
                .noneMatch(m -> m.body().contains(imageArn));
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private static String newBuildId() {
        return "b-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static BuildSpec stored(String buildId, String preBuild) {
        BuildSpec spec = BuildSpecs.spec(config.blobBucket(), buildId, BuildSpec.Os.LINUX, null, preBuild, "numpy", "echo");
        S3Client s3 = app.context().getBean(S3Client.class);
        s3.putObject(r -> r.bucket(spec.preBuildScript().bucket()).key(spec.preBuildScript().key()),
                RequestBody.fromString(preBuild));
        assertThat(spec.preBuildScript()).isEqualTo(BuildBlobs.location(config.blobBucket(), "acme", "d-42", 3,
                BuildSpec.Os.LINUX, BuildBlobs.Kind.PRE_BUILD_SCRIPT, preBuild));
        return spec;
    }

    private static ImageBuilder.ImageState awaitEnd(String imageArn) {
        return awaitEnd(imageBuilder, imageArn);
    }

    private static ImageBuilder.ImageState awaitEnd(ImageBuilder imageBuilder, String imageArn) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            ImageBuilder.ImageState state = imageBuilder.status(imageArn);
            if (state.status().ended()) {
                return state;
            }
            sleep(50);
        }
        throw new AssertionError("The image did not end in time: " + imageBuilder.status(imageArn));
    }

    /** The events about one image, in order of arrival, waiting for {@code count} of them. */
    private static List<Map<String, Object>> receive(String imageArn, int count) {
        List<Map<String, Object>> events = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (events.size() < count && Instant.now().isBefore(deadline)) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                Map<String, Object> event = Json.object(message.body());
                if (List.of(imageArn).equals(event.get("resources"))) {
                    events.add(event);
                }
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        assertThat(events).as("events about " + imageArn).hasSize(count);
        return events;
    }

    private static String transition(Map<String, Object> event) {
        return at(event, "detail", "previous-state", "status") + "->" + at(event, "detail", "state", "status");
    }

    private static Object at(Map<String, Object> node, String... path) {
        Object value = node;
        for (String key : path) {
            value = value instanceof Map<?, ?> map ? map.get(key) : null;
        }
        return value;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
