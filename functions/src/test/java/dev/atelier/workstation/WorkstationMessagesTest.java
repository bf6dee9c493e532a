package dev.atelier.workstation;

import dev.atelier.testing.ApiGatewayEvents;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What the worker makes of the messages on its queue. */
class WorkstationMessagesTest {

    private final JsonMapper json = JsonMapper.createDefault();

    @Test
    void read_shouldTakeEc2sSampleEvent_asTheStateChangeItIs() {
        // GIVEN the state-change event as EventBridge delivers it (events/); WHEN read
        WorkstationMessages.Message message = WorkstationMessages.read(json,
                ApiGatewayEvents.read("eventbridge-ec2-instance-state-change.json"));
        // THEN the instance, its new state and the event's time
        assertThat(message).isEqualTo(new WorkstationMessages.StateChange("i-abcd1111", "pending",
                Instant.parse("2021-11-11T21:29:54Z")));
    }

    @Test
    void read_shouldTakeBackACommandItWrote() {
        String body = WorkstationMessages.command(json, WorkstationMessages.Command.RESTART, "acme", "w-1");
        assertThat(WorkstationMessages.read(json, body))
                .isEqualTo(new WorkstationMessages.CommandMessage(WorkstationMessages.Command.RESTART, "acme", "w-1"));
    }

    @Test
    void read_shouldTakeBackAReleaseOfImagesItWrote_withEachRegionsAmi() {
        // GIVEN the release of a build's AMIs in two regions, as the API writes it; WHEN read
        String body = WorkstationMessages.releaseImages(json, "acme", "b-1",
                java.util.Map.of("eu-west-1", "ami-0aaa", "us-east-1", "ami-0bbb"));
        // THEN the same workspace, build and AMIs by region
        assertThat(WorkstationMessages.read(json, body)).isEqualTo(new WorkstationMessages.ReleaseImages("acme", "b-1",
                java.util.Map.of("eu-west-1", "ami-0aaa", "us-east-1", "ami-0bbb")));
    }

    @Test
    void read_shouldCallAReleaseWithoutImagesUnknown() {
        assertThat(WorkstationMessages.read(json,
                "{\"atelier\":\"workstation\",\"command\":\"release_images\",\"slug\":\"a\",\"id\":\"b\"}"))
                .isInstanceOf(WorkstationMessages.Unknown.class);
    }

    @Test
    void read_shouldCallAnythingElseUnknown() {
        assertThat(WorkstationMessages.read(json, "{\"detail-type\":\"EBS Volume Notification\",\"detail\":{}}"))
                .isInstanceOf(WorkstationMessages.Unknown.class);
        assertThat(WorkstationMessages.read(json, "{\"atelier\":\"workstation\",\"command\":\"explode\",\"slug\":\"a\",\"id\":\"b\"}"))
                .isInstanceOf(WorkstationMessages.Unknown.class);
        assertThat(WorkstationMessages.read(json, "[1,2")).isInstanceOf(WorkstationMessages.Unknown.class);
    }
}
