package dev.atelier.imagebuild.imagebuilder;

import dev.atelier.imagebuild.BuildSpec;
import dev.atelier.imagebuild.BuildSpecs;
import dev.atelier.imagebuild.ComponentDocuments;
import dev.atelier.imagebuild.ImageBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.CancelImageCreationRequest;
import software.amazon.awssdk.services.imagebuilder.model.ComponentConfiguration;
import software.amazon.awssdk.services.imagebuilder.model.CreateComponentRequest;
import software.amazon.awssdk.services.imagebuilder.model.CreateImageRecipeRequest;
import software.amazon.awssdk.services.imagebuilder.model.CreateImageRequest;
import software.amazon.awssdk.services.imagebuilder.model.CreateDistributionConfigurationRequest;
import software.amazon.awssdk.services.imagebuilder.model.Distribution;
import software.amazon.awssdk.services.imagebuilder.model.CreateInfrastructureConfigurationRequest;
import software.amazon.awssdk.services.imagebuilder.model.DeleteComponentRequest;
import software.amazon.awssdk.services.imagebuilder.model.DeleteImageRecipeRequest;
import software.amazon.awssdk.services.imagebuilder.model.DeleteImageRequest;
import software.amazon.awssdk.services.imagebuilder.model.DeleteInfrastructureConfigurationRequest;
import software.amazon.awssdk.services.imagebuilder.model.GetImageRequest;
import software.amazon.awssdk.services.imagebuilder.model.Platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter's requests, field by field, as the EC2 Image Builder API reference describes them.
 * No AWS: an interceptor records each typed request and the wire body, and a stub HTTP client
 * answers with canned responses shaped like the service's.
 */
class SdkImageBuilderTest {

    private static final String PREFIX = "arn:aws:imagebuilder:us-east-1:123456789012:";
    private static final Map<String, String> TAGS = Map.of("atelier:workspace", "acme", "atelier:definition", "d-42",
            "atelier:version", "3", "atelier:build", "b-01hx7");

    private final List<SdkRequest> requests = new ArrayList<>();
    private final List<String> wireBodies = new ArrayList<>();
    /** The path of every HTTP request sent, retries included. */
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Answer> answers = new HashMap<>();
    private SdkImageBuilder adapter;

    private record Answer(int status, String body) { }

    @BeforeEach
    void setUp() {
        answers.put("/CreateComponent", ok("{\"requestId\":\"r\",\"clientToken\":\"t\",\"componentBuildVersionArn\":\""
                + PREFIX + "component/c/3.0.0/1\"}"));
        answers.put("/CreateImageRecipe", ok("{\"imageRecipeArn\":\"" + PREFIX + "image-recipe/atelier-b-01hx7/3.0.0\"}"));
        answers.put("/CreateInfrastructureConfiguration", ok("{\"infrastructureConfigurationArn\":\""
                + PREFIX + "infrastructure-configuration/atelier-b-01hx7\"}"));
        answers.put("/CreateImage", ok("{\"imageBuildVersionArn\":\"" + PREFIX + "image/atelier-b-01hx7/3.0.0/1\"}"));
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request());
            }

            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                wireBodies.add(context.requestBody().map(b -> {
                    try {
                        return new String(b.contentStreamProvider().newStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).orElse(""));
            }
        };
        ImagebuilderClient client = ImagebuilderClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(URI.create("https://imagebuilder.us-east-1.amazonaws.com"))
                .httpClient(new CannedHttpClient())
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder))
                .build();
        this.client = client;
        adapter = new SdkImageBuilder(client, new ImageBuilderSettings("atelier-build-profile", "subnet-0abc", List.of("sg-1"), null, "acme-blobs"));
    }

    private ImagebuilderClient client;

    @Test
    void create_shouldCreateComponentsRecipeInfrastructureAndImage_inThatOrder() {
        ImageBuilder.Created created = adapter.create(spec(new BuildSpec.Gpu("nvidia-t4", 1)));

        assertThat(requests).extracting(r -> r.getClass().getSimpleName()).containsExactly(
                "CreateComponentRequest", "CreateComponentRequest", "CreateComponentRequest", "CreateComponentRequest",
                "CreateImageRecipeRequest", "CreateInfrastructureConfigurationRequest", "CreateImageRequest");
        assertThat(created.imageArn()).isEqualTo(PREFIX + "image/atelier-b-01hx7/3.0.0/1");
        assertThat(created.componentArns()).hasSize(4);
    }

    @Test
    void createComponent_shouldSendTheGeneratedDocumentNamedAndVersionedAfterTheBuild() {
        BuildSpec spec = spec(null);

        adapter.create(spec);

        List<CreateComponentRequest> components = of(CreateComponentRequest.class);
        assertThat(components).extracting(CreateComponentRequest::name).containsExactly(
                "atelier-b-01hx7-pre-build", "atelier-b-01hx7-python", "atelier-b-01hx7-post-build");
        List<ComponentDocuments.Document> documents = ComponentDocuments.forBuild(spec);
        for (int i = 0; i < components.size(); i++) {
            CreateComponentRequest request = components.get(i);
            assertThat(request.semanticVersion()).isEqualTo("3.0.0");
            assertThat(request.platform()).isEqualTo(Platform.LINUX);
            assertThat(request.data()).isEqualTo(documents.get(i).yaml());
            assertThat(request.uri()).isNull();
            assertThat(request.tags()).isEqualTo(TAGS);
            assertThat(request.clientToken()).hasSizeBetween(1, 36);
        }
        assertThat(components).extracting(CreateComponentRequest::clientToken).doesNotHaveDuplicates();
        // The documented wire names.
        assertThat(wireBodies.get(0)).contains("\"name\":\"atelier-b-01hx7-pre-build\"", "\"semanticVersion\":\"3.0.0\"",
                "\"platform\":\"Linux\"", "\"data\":", "\"clientToken\":", "\"tags\":{");
    }

    @Test
    void createImageRecipe_shouldUseTheParentImageAndTheComponentsInRunOrder() {
        BuildSpec spec = spec(null);

        ImageBuilder.Created created = adapter.create(spec);

        CreateImageRecipeRequest recipe = of(CreateImageRecipeRequest.class).get(0);
        assertThat(recipe.name()).isEqualTo("atelier-b-01hx7");
        assertThat(recipe.semanticVersion()).isEqualTo("3.0.0");
        assertThat(recipe.parentImage()).isEqualTo("arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x");
        assertThat(recipe.components()).extracting(ComponentConfiguration::componentArn)
                .containsExactlyElementsOf(created.componentArns());
        assertThat(recipe.tags()).isEqualTo(TAGS);
        assertThat(wireBodies.get(3)).contains("\"parentImage\":", "\"components\":[{\"componentArn\":");
    }

    @Test
    void createInfrastructureConfiguration_shouldFitTheInstanceAndTerminateItOnFailure() {
        adapter.create(spec(new BuildSpec.Gpu("nvidia-a10g", 1)));

        CreateInfrastructureConfigurationRequest infrastructure = of(CreateInfrastructureConfigurationRequest.class).get(0);
        assertThat(infrastructure.name()).isEqualTo("atelier-b-01hx7");
        assertThat(infrastructure.instanceTypes()).containsExactly("g5.xlarge");
        assertThat(infrastructure.terminateInstanceOnFailure()).isTrue();
        assertThat(infrastructure.instanceProfileName()).isEqualTo("atelier-build-profile");
        assertThat(infrastructure.subnetId()).isEqualTo("subnet-0abc");
        assertThat(infrastructure.securityGroupIds()).containsExactly("sg-1");
        assertThat(infrastructure.instanceMetadataOptions().httpTokens()).isEqualTo("required");
        assertThat(infrastructure.resourceTags()).isEqualTo(TAGS);
        assertThat(infrastructure.tags()).isEqualTo(TAGS);
        assertThat(wireBodies.get(5)).contains("\"instanceTypes\":[\"g5.xlarge\"]", "\"terminateInstanceOnFailure\":true",
                "\"instanceProfileName\":\"atelier-build-profile\"");
    }

    @Test
    void createImage_shouldJoinRecipeAndInfrastructure_withTestsOnAndTags() {
        ImageBuilder.Created created = adapter.create(spec(null));

        CreateImageRequest image = of(CreateImageRequest.class).get(0);
        assertThat(image.imageRecipeArn()).isEqualTo(created.imageRecipeArn());
        assertThat(image.infrastructureConfigurationArn()).isEqualTo(created.infrastructureConfigurationArn());
        assertThat(image.imageTestsConfiguration().imageTestsEnabled()).isTrue();
        assertThat(image.tags()).isEqualTo(TAGS);
    }

    @Test
    void create_shouldSendTheSameClientTokens_whenRetriedForTheSameBuild() {
        // GIVEN a create that was retried (e.g. the step ran twice)
        adapter.create(spec(null));
        List<String> first = tokens();
        requests.clear();

        adapter.create(spec(null));

        // THEN the service sees the same idempotency tokens and creates nothing twice
        assertThat(tokens()).isEqualTo(first);
    }

    @Test
    void status_shouldReadStateReasonAndAmisPerRegion() {
        answers.put("/GetImage", ok("{\"image\":{\"arn\":\"" + PREFIX + "image/x/3.0.0/1\",\"state\":{\"status\":\"AVAILABLE\"},"
                + "\"outputResources\":{\"amis\":[{\"region\":\"us-east-1\",\"image\":\"ami-0123456789abcdef0\"},"
                + "{\"region\":\"eu-west-1\",\"image\":\"ami-0fedcba9876543210\"}]}}}"));

        ImageBuilder.ImageState state = adapter.status(PREFIX + "image/x/3.0.0/1");

        assertThat(state.status()).isEqualTo(ImageBuilder.Status.AVAILABLE);
        assertThat(state.amis()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "us-east-1", "ami-0123456789abcdef0", "eu-west-1", "ami-0fedcba9876543210"));
        assertThat(state.reason()).isNull();
    }

    @Test
    void status_shouldThrowUnknownImage_whenTheServiceDoesNotKnowIt() {
        answers.put("/GetImage", new Answer(404, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"gone\"}"));

        assertThatThrownBy(() -> adapter.status(PREFIX + "image/x/3.0.0/1"))
                .isInstanceOf(ImageBuilder.UnknownImageException.class);
    }

    @Test
    void cancel_shouldCancelTheImageBuildVersion() {
        answers.put("/CancelImageCreation", ok("{\"imageBuildVersionArn\":\"" + PREFIX + "image/x/3.0.0/1\"}"));

        adapter.cancel(PREFIX + "image/x/3.0.0/1");

        CancelImageCreationRequest cancel = of(CancelImageCreationRequest.class).get(0);
        assertThat(cancel.imageBuildVersionArn()).isEqualTo(PREFIX + "image/x/3.0.0/1");
        assertThat(cancel.clientToken()).hasSizeBetween(1, 36);
    }

    @Test
    void cancel_shouldDoNothing_whenTheImageHasEnded() {
        // GIVEN an image that has ended: the service refuses to cancel it
        answers.put("/CancelImageCreation", new Answer(400,
                "{\"__type\":\"ResourceDependencyException\",\"message\":\"image is AVAILABLE\"}"));
        answers.put("/GetImage", ok("{\"image\":{\"state\":{\"status\":\"AVAILABLE\"}}}"));

        // WHEN it is cancelled THEN that is no error
        assertThatCode(() -> adapter.cancel(PREFIX + "image/x/3.0.0/1")).doesNotThrowAnyException();

        // AND the adapter asked once, then looked the image up once to learn it had ended — no retry
        assertThat(sent).containsExactly("/CancelImageCreation", "/GetImage");
        assertThat(of(GetImageRequest.class)).extracting(GetImageRequest::imageBuildVersionArn)
                .containsExactly(PREFIX + "image/x/3.0.0/1");
    }

    @Test
    void cancel_shouldThrowTheServicesMessage_whenRefusedWhileTheImageIsInProgress() {
        // GIVEN an image still building, whose cancellation the service refuses
        answers.put("/CancelImageCreation", new Answer(400,
                "{\"__type\":\"ResourceDependencyException\",\"message\":\"The image cannot be cancelled while its build instance is launching\"}"));
        answers.put("/GetImage", ok("{\"image\":{\"state\":{\"status\":\"BUILDING\"}}}"));

        // WHEN it is cancelled THEN the refusal reaches the caller, with the service's message
        assertThatThrownBy(() -> adapter.cancel(PREFIX + "image/x/3.0.0/1"))
                .isInstanceOf(ImageBuilder.ImageBuilderException.class)
                .isNotInstanceOf(ImageBuilder.UnknownImageException.class)
                .hasMessageContaining("cancel image " + PREFIX + "image/x/3.0.0/1")
                .hasMessageContaining("The image cannot be cancelled while its build instance is launching");
        assertThat(sent).containsExactly("/CancelImageCreation", "/GetImage");
    }

    @Test
    void cancel_shouldThrowUnknownImage_whenTheServiceDoesNotKnowIt() {
        answers.put("/CancelImageCreation", new Answer(404,
                "{\"__type\":\"ResourceNotFoundException\",\"message\":\"The image does not exist\"}"));

        assertThatThrownBy(() -> adapter.cancel(PREFIX + "image/x/3.0.0/1"))
                .isInstanceOf(ImageBuilder.UnknownImageException.class)
                .hasMessageContaining(PREFIX + "image/x/3.0.0/1");
        assertThat(sent).containsExactly("/CancelImageCreation");
    }

    @Test
    void cleanUp_shouldDeleteImageRecipeInfrastructureAndComponents_skippingWhatIsGone() {
        answers.put("/DeleteImage", ok("{}"));
        answers.put("/DeleteImageRecipe", new Answer(404, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"gone\"}"));
        answers.put("/DeleteInfrastructureConfiguration", ok("{}"));
        answers.put("/DeleteComponent", ok("{}"));
        ImageBuilder.Created created = new ImageBuilder.Created(PREFIX + "image/x/3.0.0/1", PREFIX + "image-recipe/x/3.0.0",
                PREFIX + "infrastructure-configuration/x", List.of(PREFIX + "component/a/3.0.0/1", PREFIX + "component/b/3.0.0/1"));

        adapter.cleanUp(created);

        assertThat(requests).extracting(r -> r.getClass().getSimpleName()).containsExactly(
                "DeleteImageRequest", "DeleteImageRecipeRequest", "DeleteInfrastructureConfigurationRequest",
                "DeleteComponentRequest", "DeleteComponentRequest");
        assertThat(of(DeleteImageRequest.class).get(0).imageBuildVersionArn()).isEqualTo(created.imageArn());
        assertThat(of(DeleteImageRecipeRequest.class).get(0).imageRecipeArn()).isEqualTo(created.imageRecipeArn());
        assertThat(of(DeleteInfrastructureConfigurationRequest.class).get(0).infrastructureConfigurationArn())
                .isEqualTo(created.infrastructureConfigurationArn());
        assertThat(of(DeleteComponentRequest.class)).extracting(DeleteComponentRequest::componentBuildVersionArn)
                .containsExactlyElementsOf(created.componentArns());
    }

    @Test
    void create_shouldDistributeTheAmiToEachRegion_taggedLikeTheBuild() {
        answers.put("/CreateDistributionConfiguration", ok("{\"distributionConfigurationArn\":\""
                + PREFIX + "distribution-configuration/atelier-b-01hx7\"}"));
        adapter = new SdkImageBuilder(client, new ImageBuilderSettings("atelier-build-profile", null, null,
                List.of("us-east-1", " eu-west-1", "us-east-1"), null));

        ImageBuilder.Created created = adapter.create(spec(null));

        CreateDistributionConfigurationRequest distribution = of(CreateDistributionConfigurationRequest.class).get(0);
        assertThat(distribution.name()).isEqualTo("atelier-b-01hx7");
        assertThat(distribution.distributions()).extracting(Distribution::region).containsExactly("us-east-1", "eu-west-1");
        assertThat(distribution.distributions()).allSatisfy(d -> {
            assertThat(d.amiDistributionConfiguration().name()).isEqualTo("atelier-b-01hx7-{{ imagebuilder:buildDate }}");
            assertThat(d.amiDistributionConfiguration().amiTags()).isEqualTo(TAGS);
        });
        assertThat(distribution.tags()).isEqualTo(TAGS);
        assertThat(distribution.clientToken()).hasSizeBetween(1, 36);
        assertThat(of(CreateImageRequest.class).get(0).distributionConfigurationArn())
                .isEqualTo(PREFIX + "distribution-configuration/atelier-b-01hx7")
                .isEqualTo(created.distributionConfigurationArn());
    }

    @Test
    void create_shouldSendNoDistributionConfiguration_whenNoRegionsAreSet() {
        ImageBuilder.Created created = adapter.create(spec(null));

        assertThat(of(CreateDistributionConfigurationRequest.class)).isEmpty();
        assertThat(of(CreateImageRequest.class).get(0).distributionConfigurationArn()).isNull();
        assertThat(created.distributionConfigurationArn()).isNull();
    }

    @Test
    void create_shouldDeleteWhatItMade_whenALaterRequestIsRefused() {
        // GIVEN the service refuses the image itself, after components, recipe and infrastructure
        answers.put("/CreateImage", new Answer(400,
                "{\"__type\":\"ServiceQuotaExceededException\",\"message\":\"Too many images in progress\"}"));
        answers.put("/DeleteImageRecipe", ok("{}"));
        answers.put("/DeleteInfrastructureConfiguration", ok("{}"));
        answers.put("/DeleteComponent", ok("{}"));

        assertThatThrownBy(() -> adapter.create(spec(null)))
                .isInstanceOf(ImageBuilder.ImageBuilderException.class)
                .hasMessageContaining("Too many images in progress");

        // THEN nothing it made is left: recipe, infrastructure and every component are deleted
        assertThat(of(DeleteImageRecipeRequest.class)).extracting(DeleteImageRecipeRequest::imageRecipeArn)
                .containsExactly(PREFIX + "image-recipe/atelier-b-01hx7/3.0.0");
        assertThat(of(DeleteInfrastructureConfigurationRequest.class)).hasSize(1);
        assertThat(of(DeleteComponentRequest.class)).hasSize(of(CreateComponentRequest.class).size());
        assertThat(of(DeleteImageRequest.class)).isEmpty();
    }

    @Test
    void createInfrastructureConfiguration_shouldSendBuildLogsToTheBuildsPrefix_whenALogBucketIsSet() {
        adapter.create(spec(null));

        CreateInfrastructureConfigurationRequest infrastructure = of(CreateInfrastructureConfigurationRequest.class).get(0);
        assertThat(infrastructure.logging().s3Logs().s3BucketName()).isEqualTo("acme-blobs");
        assertThat(infrastructure.logging().s3Logs().s3KeyPrefix()).isEqualTo("image-builder-logs/atelier-b-01hx7");

        // AND without a log bucket, no S3 logging is asked for
        requests.clear();
        adapter = new SdkImageBuilder(client, new ImageBuilderSettings("atelier-build-profile", null, null, null, null));
        adapter.create(spec(null));
        assertThat(of(CreateInfrastructureConfigurationRequest.class).get(0).logging()).isNull();
    }

    @Test
    void settings_shouldRefuseARegionThatIsNotOne() {
        assertThatThrownBy(() -> new ImageBuilderSettings("p", null, null, List.of("eu-west-1; rm -rf"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("regions");
    }

    @Test
    void create_shouldReportTheServicesMessage_whenRefused() {
        answers.put("/CreateImageRecipe", new Answer(400,
                "{\"__type\":\"InvalidParameterValueException\",\"message\":\"The parent image does not exist\"}"));

        assertThatThrownBy(() -> adapter.create(spec(null)))
                .isInstanceOf(ImageBuilder.ImageBuilderException.class)
                .hasMessageContaining("The parent image does not exist");
    }

    private static BuildSpec spec(BuildSpec.Gpu gpu) {
        return BuildSpecs.spec(BuildSpec.Os.LINUX, gpu, "echo pre", "numpy", "echo post");
    }

    private List<String> tokens() {
        return requests.stream().map(r -> r.getValueForField("clientToken", String.class).orElseThrow()).toList();
    }

    private <T> List<T> of(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Answer ok(String body) {
        return new Answer(200, body);
    }

    /** Answers each operation (Image Builder's REST path) with its canned response. */
    private final class CannedHttpClient implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            sent.add(request.httpRequest().encodedPath());
            Answer answer = answers.getOrDefault(request.httpRequest().encodedPath(),
                    new Answer(500, "{\"__type\":\"ServiceException\",\"message\":\"no canned answer\"}"));
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(answer.status())
                                    .putHeader("Content-Type", "application/json")
                                    .putHeader("x-amzn-ErrorType", answer.status() >= 400
                                            ? answer.body().replaceAll(".*\"__type\":\"([^\"]+)\".*", "$1") : "")
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
