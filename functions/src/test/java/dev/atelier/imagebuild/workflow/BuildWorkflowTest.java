package dev.atelier.imagebuild.workflow;

import dev.atelier.imagebuild.BuildLifecycle;

import dev.atelier.imagebuild.BuildStore;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.atelier.BuildEventsHandler;
import dev.atelier.BuildStepHandler;
import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildService;
import dev.atelier.imagebuild.ImageBuilder;
import dev.atelier.local.LocalImageBuilder;
import dev.atelier.local.LocalResources;
import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.LocalEngine;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS build workflow's moving parts against the local engine: the API starts one Step
 * Functions execution per build; the test plays the state machine's Lambda tasks by calling
 * {@link BuildStepHandler} and {@link BuildEventsHandler} as Lambda would, while the engine's
 * Step Functions runs a real {@code .waitForTaskToken} task (an SQS callback, which the engine
 * can run) so the task token is a real one and {@code SendTaskSuccess} must really resume it.
 * Image Builder is the local simulator; its state changes travel EventBridge → SQS.
 */
class BuildWorkflowTest {

    private static RunningApp app;
    private static Workspaces workspaces;
    private static SfnClient sfn;
    private static SqsClient sqs;
    private static DynamoDbClient dynamoDb;
    private static String stateMachineArn;
    private static String tokenQueueUrl;
    private static String eventsQueueUrl;
    private static BuildStepHandler steps;
    private static BuildEventsHandler events;

    @BeforeAll
    static void start() throws Exception {
        HttpResponse<String> configured = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(LocalEngine.endpoint() + "/moto-api/config"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"stepfunctions\":{\"execute_state_machine\":true}}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(configured.statusCode()).isBetween(200, 299);
        sfn = SfnClient.create();
        sqs = SqsClient.create();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        tokenQueueUrl = sqs.createQueue(r -> r.queueName("workflow-tokens-" + suffix)).queueUrl();
        // The waiting task as in the build state machine, with the token handed over by SQS
        // rather than by a Lambda invocation (which the engine cannot run).
        String definition = Json.write(Map.of("StartAt", "Wait for image", "States", Map.of("Wait for image", Map.of(
                "Type", "Task", "Resource", "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters", Map.of("QueueUrl", tokenQueueUrl, "MessageBody", Map.of(
                        "taskToken.$", "$$.Task.Token", "buildId.$", "$.buildId", "slug.$", "$.slug",
                        "definitionId.$", "$.definitionId")),
                "TimeoutSeconds", 120, "End", true))));
        stateMachineArn = sfn.createStateMachine(r -> r.name("atelier-builds-" + suffix).definition(definition)
                .roleArn("arn:aws:iam::123456789012:role/atelier-builds")).stateMachineArn();
        app = RunningApp.start(Map.of(
                "atelier.builds.workflow", "step-functions",
                "atelier.build-state-machine-arn", stateMachineArn,
                "atelier.local.image-builder.step-millis", 150));
        workspaces = new Workspaces(app);
        dynamoDb = app.context().getBean(DynamoDbClient.class);
        eventsQueueUrl = sqs.getQueueUrl(r -> r.queueName(LocalResources.imageBuilderEventsQueueName(
                app.context().getBean(AtelierConfig.class)))).queueUrl();
        steps = new BuildStepHandler(app.context());
        events = new BuildEventsHandler(app.context());
    }

    @AfterAll
    static void stop() {
        app.close();
        sfn.close();
        sqs.close();
    }

    @Test
    void build_shouldRunStartAwaitAndEnd_resumingTheExecutionWithItsOutcome() {
        // GIVEN a definition saved through the API: its build's execution is started, named after the build
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Cloud box")));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        DescribeExecutionResponse execution = execution(buildId);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(Json.object(execution.input())).containsEntry("buildId", buildId).containsEntry("slug", ws.slug())
                .containsEntry("definitionId", d.get("id"));
        Map<String, Object> handedOver = tokenFor(buildId);

        // WHEN the tasks run: start, then the wait with the execution's real task token
        Map<String, Object> started = step("start", ws.slug(), (String) d.get("id"), buildId, null);
        assertThat(started).containsEntry("status", "building").containsEntry("id", buildId);
        String token = (String) handedOver.get("taskToken");
        step("await", ws.slug(), (String) d.get("id"), buildId, Map.of("taskToken", token));

        // THEN the token is kept, sealed: not in plain text in the build record
        Map<String, AttributeValue> stored = storedBuild(ws.slug(), (String) d.get("id"), buildId);
        assertThat(stored.get("taskToken").s()).isNotBlank().doesNotContain(token);
        assertThat(stored.toString()).doesNotContain(token);

        // AND once the state changes are handled, the execution resumes with the build's outcome
        DescribeExecutionResponse done = pumpEventsUntil(buildId, e -> e.status() != ExecutionStatus.RUNNING);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Map<String, Object> output = Json.object(done.output());
        assertThat(output).containsEntry("status", "available").containsEntry("id", buildId);
        assertThat((String) output.get("amiId")).matches("ami-[0-9a-f]{17}");
        assertThat(storedBuild(ws.slug(), (String) d.get("id"), buildId)).doesNotContainKey("taskToken");
        Map<String, Object> definition = Json.object(app.send("GET", ws.path("/definitions/" + d.get("id")),
                ws.owner().token(), null).body());
        assertThat(map(definition.get("currentImage"))).containsEntry("buildId", buildId).containsEntry("version", 1)
                .containsEntry("amiId", output.get("amiId"));
    }

    @Test
    void await_shouldAnswerAtOnce_whenTheBuildEndedBeforeTheWaitBegan() {
        // GIVEN a build that fails and whose end is recorded before the wait task runs
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Quick fail"),
                "preBuildScript", LocalImageBuilder.FAIL_MARKER + "\n"));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        Map<String, Object> handedOver = tokenFor(buildId);
        step("start", ws.slug(), (String) d.get("id"), buildId, null);
        pumpEventsUntilBuild(ws.slug(), (String) d.get("id"), buildId, b -> b.status().ended());

        // WHEN the wait task hands its token over
        step("await", ws.slug(), (String) d.get("id"), buildId, Map.of("taskToken", handedOver.get("taskToken")));

        // THEN the execution goes on at once with the failure, and no token is kept
        DescribeExecutionResponse done = awaitExecution(buildId, e -> e.status() != ExecutionStatus.RUNNING);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Json.object(done.output())).containsEntry("status", "failed");
        assertThat((String) Json.object(done.output()).get("failureReason")).contains("pre-build");
        assertThat(storedBuild(ws.slug(), (String) d.get("id"), buildId)).doesNotContainKey("taskToken");
    }

    @Test
    void check_shouldRecordAnImageThatEnded_whenItsEventsWereLost() {
        // GIVEN a started build whose state changes never reach us
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Lost events")));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        step("start", ws.slug(), (String) d.get("id"), buildId, null);
        String imageArn = storedBuild(ws.slug(), (String) d.get("id"), buildId).get("imageArn").s();
        ImageBuilder imageBuilder = app.context().getBean(ImageBuilder.class);
        Eventually.until(Duration.ofSeconds(10), () -> imageBuilder.status(imageArn).status(),
                status -> status == ImageBuilder.Status.AVAILABLE, "image " + imageArn + " becoming available");

        // WHEN the wait times out and the fallback check runs
        Map<String, Object> checked = step("check", ws.slug(), (String) d.get("id"), buildId, null);

        // THEN the build is recorded available with its AMI, as the event would have done
        assertThat(checked).containsEntry("status", "available");
        assertThat(checked.get("amiId")).isEqualTo(imageBuilder.status(imageArn).amis().values().iterator().next());
        BuildItem build = app.context().getBean(BuildStore.class).read(ws.slug(), (String) d.get("id"), buildId);
        assertThat(build.statusHistory()).extracting(BuildItem.HistoryEntry::status).containsExactly("pending", "building", "available");
    }

    @Test
    void check_shouldCancelAndFail_aBuildStillInProgress_andRemoveWhatItMade() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Too slow")));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        step("start", ws.slug(), (String) d.get("id"), buildId, null);
        String imageArn = storedBuild(ws.slug(), (String) d.get("id"), buildId).get("imageArn").s();

        Map<String, Object> checked = step("check", ws.slug(), (String) d.get("id"), buildId, null);

        assertThat(checked).containsEntry("status", "failed");
        assertThat((String) checked.get("failureReason")).contains("did not finish in time");
        assertThatThrownBy(() -> app.context().getBean(ImageBuilder.class).status(imageArn))
                .isInstanceOf(ImageBuilder.UnknownImageException.class);
        // AND running it again changes nothing
        assertThat(step("check", ws.slug(), (String) d.get("id"), buildId, null)).isEqualTo(checked);
    }

    @Test
    void cleanup_shouldEndTheBuildFailed_withTheWorkflowsError() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Broken workflow")));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        step("start", ws.slug(), (String) d.get("id"), buildId, null);
        String imageArn = storedBuild(ws.slug(), (String) d.get("id"), buildId).get("imageArn").s();

        Map<String, Object> cleaned = step("cleanup", ws.slug(), (String) d.get("id"), buildId,
                Map.of("error", Map.of("Error", "Lambda.Unknown", "Cause", "the task ran out of memory")));

        assertThat(cleaned).containsEntry("status", "failed");
        assertThat((String) cleaned.get("failureReason")).contains("Lambda.Unknown").contains("ran out of memory");
        assertThatThrownBy(() -> app.context().getBean(ImageBuilder.class).status(imageArn))
                .isInstanceOf(ImageBuilder.UnknownImageException.class);
        Map<String, Object> definition = Json.object(app.send("GET", ws.path("/definitions/" + d.get("id")),
                ws.owner().token(), null).body());
        assertThat(map(definition.get("currentBuild"))).containsEntry("status", "failed");
        assertThat(definition.get("currentImage")).isNull();
    }

    @Test
    void steps_shouldRefuseInputWithoutTheBuild() {
        assertThatThrownBy(() -> steps.execute(Map.of("step", "start", "slug", "acme", "definitionId", "d")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buildId");
        assertThatThrownBy(() -> steps.execute(Map.of("step", "explode", "slug", "a", "definitionId", "d", "buildId", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("explode");
        // a build that does not exist is no error: the workflow ends as failed
        assertThat(steps.execute(Map.of("step", "start", "slug", "nowhere", "definitionId", "d", "buildId", "b")))
                .containsEntry("status", "gone");
    }

    @Test
    void events_shouldReportOnlyChangesOfOurImagesNotRecordedYet_asBatchItemFailures() {
        String ours = "arn:aws:imagebuilder:us-east-1:123456789012:image/atelier-20260101000000000-deadbeef/1.0.0/1";
        String theirs = "arn:aws:imagebuilder:us-east-1:123456789012:image/someone-elses/1.0.0/1";
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message("m1", "not json"), message("m2", change(theirs, "BUILDING")),
                message("m3", change(ours, "BUILDING")), message("m4", "{\"detail-type\":\"Something else\"}")));

        SQSBatchResponse response = events.handleRequest(event, new MockLambdaContext());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m3");
    }

    @Test
    void pipeline_shouldFailTheBuild_whenTheExecutionCannotStart() {
        // GIVEN a pending build and a state machine that does not exist
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Orphan")));
        BuildService builds = app.context().getBean(BuildService.class);
        BuildItem pending = builds.newBuild(ws.slug(), (String) d.get("id"), 1, ws.owner().id());
        dynamoDb.putItem(r -> r.tableName(app.tableName()).item(pending.toItem()));
        BuildStore store = app.context().getBean(BuildStore.class);
        StepFunctionsPipeline broken = new StepFunctionsPipeline(sfn, () -> app.context().getBean(BuildLifecycle.class),
                app.context().getBean(io.micronaut.json.JsonMapper.class),
                stateMachineArn.replace("atelier-builds-", "missing-"));

        broken.start(new dev.atelier.imagebuild.BuildPipeline.BuildRef(ws.slug(), (String) d.get("id"), pending.id()));

        // THEN the build does not stay pending: it ends failed, saying why
        BuildItem after = store.read(ws.slug(), (String) d.get("id"), pending.id());
        assertThat(after.status().wireName()).isEqualTo("failed");
        assertThat(after.failureReason()).contains("could not be started");
    }

    // --- helpers ------------------------------------------------------------------------

    private static Map<String, Object> step(String step, String slug, String definitionId, String buildId,
                                            Map<String, Object> more) {
        Map<String, Object> input = new HashMap<>();
        input.put("step", step);
        input.put("slug", slug);
        input.put("definitionId", definitionId);
        input.put("buildId", buildId);
        if (more != null) {
            input.putAll(more);
        }
        return steps.handleRequest(input, new MockLambdaContext());
    }

    private static Map<String, Object> create(Workspaces.Workspace ws, Map<String, ?> body) {
        HttpResponse<String> response = app.send("POST", ws.path("/definitions"), ws.owner().token(), Json.write(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.object(response.body());
    }

    private static DescribeExecutionResponse execution(String buildId) {
        String executionArn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + buildId;
        return sfn.describeExecution(r -> r.executionArn(executionArn));
    }

    /** The message the waiting task sent for this build (its task token), read off the queue. */
    private static Map<String, Object> tokenFor(String buildId) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(tokenQueueUrl).waitTimeSeconds(1).maxNumberOfMessages(10))
                    .messages()) {
                Map<String, Object> body = Json.object(m.body());
                if (buildId.equals(body.get("buildId"))) {
                    sqs.deleteMessage(r -> r.queueUrl(tokenQueueUrl).receiptHandle(m.receiptHandle()));
                    return body;
                }
                sqs.changeMessageVisibility(r -> r.queueUrl(tokenQueueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            }
        }
        throw new AssertionError("No task token was handed over for build " + buildId);
    }

    /** Delivers the engine's queued state changes to the events handler, as Lambda's SQS poller would. */
    private static void pumpEventsOnce() {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(eventsQueueUrl).waitTimeSeconds(1)
                .maxNumberOfMessages(10).visibilityTimeout(1)).messages();
        if (messages.isEmpty()) {
            return;
        }
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            records.add(message(m.messageId(), m.body()));
        }
        event.setRecords(records);
        SQSBatchResponse response = events.handleRequest(event, new MockLambdaContext());
        List<String> failed = response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                sqs.deleteMessage(r -> r.queueUrl(eventsQueueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private static DescribeExecutionResponse pumpEventsUntil(String buildId, Predicate<DescribeExecutionResponse> done) {
        return Eventually.until(Duration.ofSeconds(20), () -> execution(buildId), done,
                BuildWorkflowTest::pumpEventsOnce, "execution of build " + buildId + " getting there");
    }

    private static void pumpEventsUntilBuild(String slug, String definitionId, String buildId, Predicate<BuildItem> done) {
        BuildStore builds = app.context().getBean(BuildStore.class);
        Eventually.until(Duration.ofSeconds(20), () -> builds.read(slug, definitionId, buildId), done,
                BuildWorkflowTest::pumpEventsOnce, "build " + buildId + " getting there");
    }

    private static DescribeExecutionResponse awaitExecution(String buildId, Predicate<DescribeExecutionResponse> done) {
        return Eventually.until(Duration.ofSeconds(10), () -> execution(buildId), done,
                "execution of build " + buildId + " getting there");
    }

    private static Map<String, AttributeValue> storedBuild(String slug, String definitionId, String buildId) {
        return dynamoDb.getItem(r -> r.tableName(app.tableName()).consistentRead(true).key(Map.of(
                TableDefinition.PK, AttributeValue.fromS(Keys.workspace(slug)),
                TableDefinition.SK, AttributeValue.fromS(Keys.build(definitionId, buildId))))).item();
    }

    private static SQSEvent.SQSMessage message(String id, String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        return m;
    }

    private static String change(String imageArn, String status) {
        return Json.write(Map.of("version", "0", "id", UUID.randomUUID().toString(),
                "detail-type", "EC2 Image Builder Image State Change", "source", "aws.imagebuilder",
                "region", "us-east-1", "resources", List.of(imageArn),
                "detail", Map.of("previous-state", Map.of("status", "PENDING"), "state", Map.of("status", status))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
