package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.getAttArn;
import static dev.atelier.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.imagebuild.ImageBuilderEvents;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Image Builder state changes: EventBridge rule -> SQS queue (with its dead-letter queue) -> events function. */
class BuildEventsRouteTest {

    static final Path SAMPLE_EVENT = Paths.get("..", "events", "eventbridge-imagebuilder-state-change.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static SynthesizedStack synth;
    private static BuildWorkflow workflow;
    private static String ruleId;
    private static String queueId;
    private static String deadLetterQueueId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        workflow = synth.stack.getBuildWorkflow();
        ruleId = synth.logicalId(workflow.getEventsRule());
        queueId = synth.logicalId(workflow.getEventsQueue());
        deadLetterQueueId = synth.logicalId(workflow.getEventsDeadLetterQueue());
    }

    @Test
    void rule_shouldUseThePatternOfTheApplication() throws IOException {
        // GIVEN the pattern the application's local route uses
        Object expected = MAPPER.readValue(ImageBuilderEvents.PATTERN, Map.class);
        // WHEN the rule's pattern is read from the template
        Map<String, Object> rule = synth.properties(ruleId);
        // THEN it is the same pattern, on the default bus, enabled
        assertThat(rule.get("EventPattern")).isEqualTo(expected);
        assertThat(rule).doesNotContainKey("EventBusName").containsEntry("State", "ENABLED");
    }

    /**
     * The engine's EventBridge has no TestEventPattern, so the pattern is tried the way events
     * travel: a rule with the synthesised pattern on a bus of its own, an SQS queue as its target,
     * events put on the bus (delivered by the engine during PutEvents), the queue read.
     */
    @Test
    void rule_shouldRouteTheSampleStateChangeAndNothingElse_onTheEngine() throws IOException {
        // GIVEN the rule's pattern as synthesised, the captured sample, and events of another detail-type and source
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        if (endpoint == null || endpoint.isBlank()) {
            fail("AWS_ENDPOINT_URL is not set: run the tests with bin/test, which starts the local AWS engine");
        }
        String pattern = MAPPER.writeValueAsString(synth.properties(ruleId).get("EventPattern"));
        JsonNode sample = MAPPER.readTree(Files.readString(SAMPLE_EVENT));
        ObjectNode otherType = sample.deepCopy();
        otherType.put("detail-type", "EC2 Image Builder Workflow Step Waiting");
        ObjectNode otherSource = sample.deepCopy();
        otherSource.put("source", "aws.ec2");
        String name = "atelier-cdk-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (EventBridgeClient events = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
             SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            events.createEventBus(r -> r.name(name));
            events.putRule(r -> r.name(name).eventBusName(name).eventPattern(pattern));
            events.putTargets(r -> r.rule(name).eventBusName(name).targets(t -> t.id("queue").arn(queueArn)));
            // WHEN the three events are put on the bus (the state change last)
            for (JsonNode event : List.of(otherType, otherSource, sample)) {
                PutEventsResponse put = events.putEvents(r -> r.entries(e -> e.eventBusName(name)
                        .source(event.get("source").asText())
                        .detailType(event.get("detail-type").asText())
                        .resources(event.get("resources").get(0).asText())
                        .detail(event.get("detail").toString())));
                assertThat(put.failedEntryCount()).isZero();
            }
            List<Message> received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            // THEN only the state change reached the queue
            assertThat(received).singleElement().satisfies(message -> {
                JsonNode body = MAPPER.readTree(message.body());
                assertThat(body.get("detail-type").asText()).isEqualTo(ImageBuilderEvents.DETAIL_TYPE);
                assertThat(body.get("source").asText()).isEqualTo(ImageBuilderEvents.SOURCE);
                assertThat(body.get("detail")).isEqualTo(sample.get("detail"));
            });
            events.removeTargets(r -> r.rule(name).eventBusName(name).ids("queue"));
            events.deleteRule(r -> r.name(name).eventBusName(name));
            events.deleteEventBus(r -> r.name(name));
            sqs.deleteQueue(r -> r.queueUrl(queueUrl));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void rule_shouldTargetTheQueueWhichOnlyThisRuleMayWriteTo() {
        // GIVEN the rule's targets and the queue's policy
        List<Map<String, Object>> targets = (List<Map<String, Object>>) synth.properties(ruleId).get("Targets");
        Map<String, Object> policy = synth.resourcesOfType("AWS::SQS::QueuePolicy").values().stream()
                .map(resource -> (Map<String, Object>) resource.get("Properties"))
                .filter(props -> ((List<Object>) props.get("Queues")).contains(ref(queueId)))
                .findFirst().orElseThrow();
        List<Map<String, Object>> statements = (List<Map<String, Object>>)
                ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
        // WHEN they are read
        // THEN the one target is the queue; EventBridge may send to it (and look it up), from this rule
        // only, over TLS only
        assertThat(targets).singleElement().satisfies(target -> assertThat(target.get("Arn")).isEqualTo(getAttArn(queueId)));
        List<Map<String, Object>> allows = statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
        assertThat(allows).singleElement().satisfies(allow -> {
            assertThat(allow.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
            assertThat(SynthesizedStack.actions(allow)).contains("sqs:SendMessage")
                    .allMatch(action -> action.equals("sqs:SendMessage") || action.startsWith("sqs:GetQueue"));
            assertThat(allow.get("Condition")).isEqualTo(Map.of("ArnEquals", Map.of("aws:SourceArn", getAttArn(ruleId))));
        });
        assertThat(statements).anySatisfy(deny -> {
            assertThat(deny.get("Effect")).isEqualTo("Deny");
            assertThat(deny.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void queue_shouldOutliveRetriesOfTheFunctionAndKeepFailuresFourteenDays() {
        // GIVEN the queue, its dead-letter queue and the events function
        Map<String, Object> queue = synth.properties(queueId);
        Map<String, Object> function = synth.properties(synth.logicalId(workflow.getEventsFunction()));
        // WHEN their settings are read
        int functionTimeout = (Integer) function.get("Timeout");
        // THEN messages stay invisible six times the function's timeout, move to the DLQ after 20
        // receives, are kept 14 days, and both queues are encrypted
        assertThat(functionTimeout).isEqualTo(60);
        assertThat((Integer) queue.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * functionTimeout);
        assertThat(queue.get("RedrivePolicy")).isEqualTo(Map.of(
                "deadLetterTargetArn", getAttArn(deadLetterQueueId), "maxReceiveCount", 20));
        assertThat(queue).containsEntry("MessageRetentionPeriod", 14 * 24 * 3600).containsEntry("SqsManagedSseEnabled", true);
        assertThat(synth.properties(deadLetterQueueId))
                .containsEntry("MessageRetentionPeriod", 14 * 24 * 3600).containsEntry("SqsManagedSseEnabled", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eventsFunction_shouldConsumeTheQueueInBatchesReportingItemFailures() {
        // GIVEN the event source mappings
        // WHEN the one of the events function is read
        Map<String, Object> mapping = synth.resourcesOfType("AWS::Lambda::EventSourceMapping").values().stream()
                .map(resource -> (Map<String, Object>) resource.get("Properties"))
                .filter(props -> ref(synth.logicalId(workflow.getEventsFunction())).equals(props.get("FunctionName")))
                .findFirst().orElseThrow();
        // THEN it reads the queue 10 messages at a time and retries only the failed ones
        assertThat(mapping).containsEntry("EventSourceArn", getAttArn(queueId))
                .containsEntry("BatchSize", 10)
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
    }
}
