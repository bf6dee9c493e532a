package dev.atelier.workstation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What travels on the workstation queue: a command or check of the product
 * ({@code {"atelier": "workstation", "command", "slug", "id"}}), or EC2's "EC2 Instance
 * State-change Notification" as EventBridge delivers it (events/eventbridge-ec2-instance-state-change.json
 * is a sample).
 */
public final class WorkstationMessages {

    public static final String EC2_SOURCE = "aws.ec2";
    public static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    /** The event pattern of the rule that routes EC2's state changes to the workstation queue. */
    public static final String STATE_CHANGE_PATTERN = "{\"source\":[\"" + EC2_SOURCE + "\"],\"detail-type\":[\""
            + STATE_CHANGE + "\"]}";

    /** Commands: the API's requests, and the worker's own fallback check. */
    public enum Command { LAUNCH, START, STOP, RESTART, UPDATE, TERMINATE, CHECK }

    /** A message read. */
    public sealed interface Message permits CommandMessage, StateChange, Unknown { }

    public record CommandMessage(Command command, String slug, String id) implements Message { }

    /** An instance reached {@code state} at {@code time}. */
    public record StateChange(String instanceId, String state, Instant time) implements Message { }

    /** Not a message the worker handles. */
    public record Unknown(String why) implements Message { }

    private WorkstationMessages() { }

    public static String command(JsonMapper json, Command command, String slug, String id) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("atelier", "workstation");
        body.put("command", command.name().toLowerCase(java.util.Locale.ROOT));
        body.put("slug", slug);
        body.put("id", id);
        return write(json, body);
    }

    /** The "detail" of EC2's state-change event. */
    public static String stateChangeDetail(JsonMapper json, String instanceId, String state) {
        return write(json, Map.of("instance-id", instanceId, "state", state));
    }

    @SuppressWarnings("unchecked")
    public static Message read(JsonMapper json, @Nullable String body) {
        Map<String, Object> m;
        try {
            m = body == null ? null : json.readValue(body, Map.class);
        } catch (IOException | RuntimeException e) {
            return new Unknown("unreadable");
        }
        if (m == null) {
            return new Unknown("empty");
        }
        if ("workstation".equals(m.get("atelier"))) {
            Command command;
            try {
                command = Command.valueOf(String.valueOf(m.get("command")).toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return new Unknown("unknown command");
            }
            if (!(m.get("slug") instanceof String slug) || !(m.get("id") instanceof String id)) {
                return new Unknown("command without workstation");
            }
            return new CommandMessage(command, slug, id);
        }
        if (STATE_CHANGE.equals(m.get("detail-type")) && m.get("detail") instanceof Map<?, ?> detail
                && detail.get("instance-id") instanceof String instanceId && detail.get("state") instanceof String state) {
            Instant time;
            try {
                time = Instant.parse(String.valueOf(m.get("time")));
            } catch (DateTimeParseException e) {
                return new Unknown("state change without time");
            }
            return new StateChange(instanceId, state, time);
        }
        return new Unknown("not a workstation message");
    }

    private static String write(JsonMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For tests and samples: the resources list EventBridge puts on the event. */
    public static List<String> resources(String region, String account, String instanceId) {
        return List.of("arn:aws:ec2:" + region + ":" + account + ":instance/" + instanceId);
    }
}
