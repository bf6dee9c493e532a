package dev.atelier;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.atelier.imagebuild.BuildPipeline;
import dev.atelier.imagebuild.BuildService;
import dev.atelier.imagebuild.BuildStore;
import dev.atelier.imagebuild.workflow.StepFunctionsPipeline;
import dev.atelier.imagebuild.workflow.TaskTokens;
import dev.atelier.identity.BootstrapAdmin;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.local.LocalBuildPipeline;
import dev.atelier.local.LocalResources;
import dev.atelier.testing.ApiGatewayEvents;
import dev.atelier.testing.Json;
import dev.atelier.testing.LocalEngine;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build workflow's Lambda entry points configured as on Lambda (not local mode: the Image
 * Builder adapter is the SDK one, the pipeline is Step Functions), replaying the samples in
 * {@code events/} against the local AWS engine. The engine has no Image Builder, so a build's
 * start step meets a refusal — which must end the build failed with the reason, as a refusal in
 * AWS would.
 */
class BuildHandlersLambdaTest {

    private static final String ADMIN_TOKEN = TokenSecrets.newSecret(BootstrapAdmin.USER_ID);

    private static ApplicationContext context;
    private static SfnClient sfn;
    private static String stateMachineArn;

    @BeforeAll
    static void start() {
        sfn = SfnClient.create();
        stateMachineArn = sfn.createStateMachine(r -> r.name("atelier-builds-" + UUID.randomUUID().toString().substring(0, 8))
                .definition("{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Pass\",\"End\":true}}}")
                .roleArn("arn:aws:iam::123456789012:role/atelier-builds")).stateMachineArn();
        Map<String, Object> properties = new HashMap<>(LocalEngine.freshResources());
        properties.put("atelier.bootstrap-token", ADMIN_TOKEN);
        properties.put("atelier.build-state-machine-arn", stateMachineArn);
        context = ApplicationContext.run(properties, "test");
        context.getBean(LocalResources.class).ensureAll();
        context.getBean(BootstrapAdmin.class).ensure(ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        context.close();
        sfn.close();
    }

    @Test
    void lambdaConfiguration_shouldRunBuildsThroughStepFunctions() {
        assertThat(context.getBean(BuildPipeline.class)).isInstanceOf(StepFunctionsPipeline.class);
        assertThat(context.containsBean(TaskTokens.class)).isTrue();
        assertThat(context.containsBean(LocalBuildPipeline.class)).isFalse();
    }

    @Test
    void aDefinitionSavedThroughTheApi_shouldStartItsExecution_andItsStartStepRecordTheRefusal() {
        // GIVEN a workspace and a definition created through the API handler
        String slug = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        LambdaHandler api = new LambdaHandler(context);
        APIGatewayV2HTTPResponse workspace = api.handleRequest(apiEvent("apigw-v2-create-workspace.json", slug, null, null),
                new MockLambdaContext());
        assertThat(workspace.getStatusCode()).as(workspace.getBody()).isEqualTo(201);
        APIGatewayV2HTTPResponse created = api.handleRequest(apiEvent("apigw-v2-create-workspace.json", slug,
                "/api/v1/workspaces/" + slug + "/definitions", "{\"displayName\":\"Lambda box\"}"), new MockLambdaContext());
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        Map<String, Object> definition = Json.object(created.getBody());
        @SuppressWarnings("unchecked")
        String buildId = (String) ((Map<String, Object>) definition.get("currentBuild")).get("id");

        // THEN its build's execution exists, named after the build
        String executionArn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + buildId;
        assertThat(Json.object(sfn.describeExecution(r -> r.executionArn(executionArn)).input()))
                .containsEntry("buildId", buildId).containsEntry("slug", slug);

        // WHEN the state machine's first task runs (the sample task input)
        String input = ApiGatewayEvents.read("stepfunctions-build-step-start.json").replace("{{SLUG}}", slug)
                .replace("{{DEFINITION_ID}}", (String) definition.get("id")).replace("{{BUILD_ID}}", buildId);
        Map<String, Object> outcome = new BuildStepHandler(context).handleRequest(Json.object(input), new MockLambdaContext());

        // THEN the refused image ends the build failed, saying what Image Builder answered
        assertThat(outcome).containsEntry("status", "failed").containsEntry("id", buildId);
        assertThat((String) outcome.get("failureReason")).startsWith("The build could not start: ");
        assertThat(context.getBean(BuildStore.class).read(slug, (String) definition.get("id"), buildId)
                .status().wireName()).isEqualTo("failed");
    }

    @Test
    void stateChangeBatch_shouldAskForTheMessageAgain_onlyWhenItIsOneOfOursNotRecordedYet() throws IOException {
        BuildEventsHandler handler = new BuildEventsHandler(context);
        JsonMapper json = context.getBean(JsonMapper.class);

        SQSEvent ours = json.readValue(ApiGatewayEvents.read("sqs-imagebuilder-state-change.json").replace("{{IMAGE_ARN}}",
                "arn:aws:imagebuilder:us-west-2:111122223333:image/atelier-20260101000000000-0badf00d/1.0.0/1"), SQSEvent.class);
        SQSEvent theirs = json.readValue(ApiGatewayEvents.read("sqs-imagebuilder-state-change.json").replace("{{IMAGE_ARN}}",
                "arn:aws:imagebuilder:us-west-2:111122223333:image/cmkencryptedworkflowtest/1.0.0/1"), SQSEvent.class);

        SQSBatchResponse oursResponse = handler.handleRequest(ours, new MockLambdaContext());
        SQSBatchResponse theirsResponse = handler.handleRequest(theirs, new MockLambdaContext());

        assertThat(oursResponse.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("059f36b4-87a3-44ab-83d2-661975830a7d");
        assertThat(theirsResponse.getBatchItemFailures()).isEmpty();
    }

    private static APIGatewayV2HTTPEvent apiEvent(String file, String slug, String path, String body) {
        try {
            APIGatewayV2HTTPEvent event = context.getBean(JsonMapper.class)
                    .readValue(ApiGatewayEvents.read(file), APIGatewayV2HTTPEvent.class);
            if (path != null) {
                event.setRawPath(path);
                event.getRequestContext().getHttp().setPath(path);
                event.setPathParameters(Map.of("proxy", path.substring("/api/".length())));
                event.setBody(body);
                event.setIsBase64Encoded(false);
                event.setRouteKey("ANY /api/{proxy+}");
            }
            return ApiGatewayEvents.fill(event, ADMIN_TOKEN, slug);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
