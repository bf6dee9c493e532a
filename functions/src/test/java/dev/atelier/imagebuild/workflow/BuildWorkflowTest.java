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
        Build build = newBuild(Map.of("displayName", unique("Cloud box")));
        DescribeExecutionResponse execution = execution(build.id());
        assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(Json.object(execution.input())).containsEntry("buildId", build.id())
                .containsEntry("slug", build.ws().slug()).containsEntry("definitionId", build.definitionId());
        Map<String, Object> handedOver = tokenFor(build.id());

        // WHEN the tasks run: start, then the wait with the execution's real task token
        Map<String, Object> started = build.step("start");
        assertThat(started).containsEntry("status", "building").containsEntry("id", build.id());
        String token = (String) handedOver.get("taskToken");
        build.step("await", Map.of("taskToken", token));

        // THEN the token is kept, sealed: not in plain text in the build record
        Map<String, AttributeValue> stored = build.stored();
        assertThat(stored.get("taskToken").s()).isNotBlank().doesNotContain(token);
        assertThat(stored.toString()).doesNotContain(token);

        // AND once the state changes are handled, the execution resumes with the build's outcome
        DescribeExecutionResponse done = pumpEventsUntil(build.id(), e -> e.status() != ExecutionStatus.RUNNING);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Map<String, Object> output = Json.object(done.output());
        assertThat(output).containsEntry("status", "available").containsEntry("id", build.id());
        assertThat((String) output.get("amiId")).matches("ami-[0-9a-f]{17}");
        assertThat(build.stored()).doesNotContainKey("taskToken");
        assertThat(map(build.definition().get("currentImage"))).containsEntry("buildId", build.id())
                .containsEntry("version", 1).containsEntry("amiId", output.get("amiId"));
    }

    @Test
    void await_shouldAnswerAtOnce_whenTheBuildEndedBeforeTheWaitBegan() {
        // GIVEN a build that fails and whose end is recorded before the wait task runs
        Build build = newBuild(Map.of("displayName", unique("Quick fail"),
                "preBuildScript", LocalImageBuilder.FAIL_MARKER + "\n"));
        Map<String, Object> handedOver = tokenFor(build.id());
        build.step("start");
        pumpEventsUntilEnded(build);

        // WHEN the wait task hands its token over
        build.step("await", Map.of("taskToken", handedOver.get("taskToken")));

        // THEN the execution goes on at once with the failure, and no token is kept
        DescribeExecutionResponse done = awaitExecution(build.id(), e -> e.status() != ExecutionStatus.RUNNING);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Json.object(done.output())).containsEntry("status", "failed");
        assertThat((String) Json.object(done.output()).get("failureReason")).contains("pre-build");
        assertThat(build.stored()).doesNotContainKey("taskToken");
    }

    @Test
    void check_shouldRecordAnImageThatEnded_whenItsEventsWereLost() {
        // GIVEN a started build whose state changes never reach us
        Build build = startedBuild(unique("Lost events"));
        String imageArn = build.imageArn();
        ImageBuilder imageBuilder = app.context().getBean(ImageBuilder.class);
        Eventually.until(Duration.ofSeconds(10), () -> imageBuilder.status(imageArn).status(),
                status -> status == ImageBuilder.Status.AVAILABLE, "image " + imageArn + " becoming available");

        // WHEN the wait times out and the fallback check runs
        Map<String, Object> checked = build.step("check");

        // THEN the build is recorded available with its AMI, as the event would have done
        assertThat(checked).containsEntry("status", "available");
        assertThat(checked.get("amiId")).isEqualTo(imageBuilder.status(imageArn).amis().values().iterator().next());
        assertThat(build.read().statusHistory()).extracting(BuildItem.HistoryEntry::status)
                .containsExactly("pending", "building", "available");
    }

    @Test
    void check_shouldCancelAndFail_aBuildStillInProgress_andRemoveWhatItMade() {
        // GIVEN a started build whose image is still being made
        Build build = startedBuild(unique("Too slow"));
        String imageArn = build.imageArn();

        // WHEN the fallback check runs
        Map<String, Object> checked = build.step("check");

        // THEN the build ends failed, its image is gone, and running the check again changes nothing
        assertThat(checked).containsEntry("status", "failed");
        assertThat((String) checked.get("failureReason")).contains("did not finish in time");
        assertThatThrownBy(() -> app.context().getBean(ImageBuilder.class).status(imageArn))
                .isInstanceOf(ImageBuilder.UnknownImageException.class);
        assertThat(build.step("check")).isEqualTo(checked);
    }

    @Test
    void cleanup_shouldEndTheBuildFailed_withTheWorkflowsError() {
        // GIVEN a started build
        Build build = startedBuild(unique("Broken workflow"));
        String imageArn = build.imageArn();

        // WHEN the workflow's error handler runs the clean-up step with the task's error
        Map<String, Object> cleaned = build.step("cleanup",
                Map.of("error", Map.of("Error", "Lambda.Unknown", "Cause", "the task ran out of memory")));

        // THEN the build ends failed with that error, its image is gone, and the definition has no image
        assertThat(cleaned).containsEntry("status", "failed");
        assertThat((String) cleaned.get("failureReason")).contains("Lambda.Unknown").contains("ran out of memory");
        assertThatThrownBy(() -> app.context().getBean(ImageBuilder.class).status(imageArn))
                .isInstanceOf(ImageBuilder.UnknownImageException.class);
        Map<String, Object> definition = build.definition();
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
        Build saved = newBuild(Map.of("displayName", unique("Orphan")));
        Workspaces.Workspace ws = saved.ws();
        BuildService builds = app.context().getBean(BuildService.class);
        BuildItem pending = builds.newBuild(ws.slug(), saved.definitionId(), 1, ws.owner().id());
        dynamoDb.putItem(r -> r.tableName(app.tableName()).item(pending.toItem()));
        BuildStore store = app.context().getBean(BuildStore.class);
        StepFunctionsPipeline broken = new StepFunctionsPipeline(sfn, () -> app.context().getBean(BuildLifecycle.class),
                app.context().getBean(io.micronaut.json.JsonMapper.class),
                stateMachineArn.replace("atelier-builds-", "missing-"));

        broken.start(new dev.atelier.imagebuild.BuildPipeline.BuildRef(ws.slug(), saved.definitionId(), pending.id()));

        // THEN the build does not stay pending: it ends failed, saying why
        BuildItem after = store.read(ws.slug(), saved.definitionId(), pending.id());
        assertThat(after.status().wireName()).isEqualTo("failed");
        assertThat(after.failureReason()).contains("could not be started");
    }

    // --- helpers ------------------------------------------------------------------------

    /** A definition saved through the API (which starts its first version's execution), and that build. */
    private record Build(Workspaces.Workspace ws, String definitionId, String id) {

        /** Runs one step of the workflow for this build, as the state machine's Lambda task would. */
        Map<String, Object> step(String step, Map<String, Object> more) {
            Map<String, Object> input = new HashMap<>(more);
            input.put("step", step);
            input.put("slug", ws.slug());
            input.put("definitionId", definitionId);
            input.put("buildId", id);
            return steps.handleRequest(input, new MockLambdaContext());
        }

        Map<String, Object> step(String step) {
            return step(step, Map.of());
        }

        /** The build's item as stored. */
        Map<String, AttributeValue> stored() {
            return dynamoDb.getItem(r -> r.tableName(app.tableName()).consistentRead(true).key(Map.of(
                    TableDefinition.PK, AttributeValue.fromS(Keys.workspace(ws.slug())),
                    TableDefinition.SK, AttributeValue.fromS(Keys.build(definitionId, id))))).item();
        }

        String imageArn() {
            return stored().get("imageArn").s();
        }

        BuildItem read() {
            return app.context().getBean(BuildStore.class).read(ws.slug(), definitionId, id);
        }

        /** The definition as the API answers it. */
        Map<String, Object> definition() {
            return Json.object(app.send("GET", ws.path("/definitions/" + definitionId), ws.owner().token(), null).body());
        }
    }

    /** A new workspace's definition saved through the API with {@code body}, and its first build. */
    private static Build newBuild(Map<String, ?> body) {
        Workspaces.Workspace ws = workspaces.create();
        HttpResponse<String> response = app.send("POST", ws.path("/definitions"), ws.owner().token(), Json.write(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Map<String, Object> definition = Json.object(response.body());
        return new Build(ws, (String) definition.get("id"), (String) map(definition.get("currentBuild")).get("id"));
    }

    /** A new definition's first build, after the workflow's start step. */
    private static Build startedBuild(String displayName) {
        Build build = newBuild(Map.of("displayName", displayName));
        build.step("start");
        return build;
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

    private static void pumpEventsUntilEnded(Build build) {
        Eventually.until(Duration.ofSeconds(20), build::read, b -> b.status().ended(),
                BuildWorkflowTest::pumpEventsOnce, "build " + build.id() + " ending");
    }

    private static DescribeExecutionResponse awaitExecution(String buildId, Predicate<DescribeExecutionResponse> done) {
        return Eventually.until(Duration.ofSeconds(10), () -> execution(buildId), done,
                "execution of build " + buildId + " getting there");
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
