package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The two workstation rules' patterns, tried the way events travel on the local AWS engine: the
 * synthesised patterns as rules on a bus of their own, one queue as their target, events put, the
 * queue read (the engine's EventBridge has no TestEventPattern).
 */
class WorkstationEventsRouteTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void rules_shouldRouteInstanceVolumeAndIdleAlarmEvents_butNotOtherAlarmsOrEc2ApiCalls() throws IOException {
        // GIVEN the two synthesised patterns and five events, two of which no rule should match
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        if (endpoint == null || endpoint.isBlank()) {
            fail("AWS_ENDPOINT_URL is not set: run the tests with bin/test, which starts the local AWS engine");
        }
        SynthesizedStack synth = SynthesizedStack.get();
        Workstations workstations = synth.stack.getWorkstations();
        List<String> patterns = new ArrayList<>();
        for (var rule : List.of(workstations.getEc2EventsRule(), workstations.getAlarmEventsRule())) {
            patterns.add(MAPPER.writeValueAsString(synth.properties(synth.logicalId(rule)).get("EventPattern")));
        }
        List<Event> events = List.of(
                new Event("aws.ec2", Workstations.INSTANCE_STATE_CHANGE,
                        Map.of("instance-id", "i-0123456789abcdef0", "state", "stopped")),
                new Event("aws.ec2", Workstations.VOLUME_NOTIFICATION,
                        Map.of("event", "attachVolume", "result", "available")),
                new Event("aws.cloudwatch", Workstations.ALARM_STATE_CHANGE,
                        Map.of("alarmName", "atelier-ws-7f3a", "state", Map.of("value", "ALARM"))),
                new Event("aws.cloudwatch", Workstations.ALARM_STATE_CHANGE,
                        Map.of("alarmName", "billing-alarm", "state", Map.of("value", "ALARM"))),
                new Event("aws.ec2", "AWS API Call via CloudTrail", Map.of("eventName", "RunInstances")));
        String name = "atelier-ws-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (EventBridgeClient bridge = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
             SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            bridge.createEventBus(r -> r.name(name));
            for (int i = 0; i < patterns.size(); i++) {
                String rule = name + "-" + i;
                String pattern = patterns.get(i);
                bridge.putRule(r -> r.name(rule).eventBusName(name).eventPattern(pattern));
                bridge.putTargets(r -> r.rule(rule).eventBusName(name).targets(t -> t.id("queue").arn(queueArn)));
            }
            // WHEN the events are put on the bus
            for (Event event : events) {
                String detail = MAPPER.writeValueAsString(event.detail());
                assertThat(bridge.putEvents(r -> r.entries(e -> e.eventBusName(name).source(event.source())
                        .detailType(event.detailType()).detail(detail))).failedEntryCount()).isZero();
            }
            List<Message> received = new ArrayList<>();
            for (int attempt = 0; attempt < 3 && received.size() < 3; attempt++) {
                received.addAll(sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages());
            }
            // THEN the instance state change, the volume notification and the idle alarm arrived, nothing else
            List<String> arrived = new ArrayList<>();
            for (Message message : received) {
                JsonNode body = MAPPER.readTree(message.body());
                arrived.add(body.get("detail-type").asText() + " " + body.get("detail").path("alarmName").asText(""));
            }
            assertThat(arrived).containsExactlyInAnyOrder(Workstations.INSTANCE_STATE_CHANGE + " ",
                    Workstations.VOLUME_NOTIFICATION + " ", Workstations.ALARM_STATE_CHANGE + " atelier-ws-7f3a");
            for (int i = 0; i < patterns.size(); i++) {
                String rule = name + "-" + i;
                bridge.removeTargets(r -> r.rule(rule).eventBusName(name).ids("queue"));
                bridge.deleteRule(r -> r.name(rule).eventBusName(name));
            }
            bridge.deleteEventBus(r -> r.name(name));
            sqs.deleteQueue(r -> r.queueUrl(queueUrl));
        }
    }

    private record Event(String source, String detailType, Map<String, Object> detail) { }
}
