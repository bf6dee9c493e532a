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
 * ({@code {"atelier": "workstation", "command", "slug", "id"}}; RELEASE_IMAGES also carries
 * {@code "amis"}, AMI id by region, and its id is the build's), or EC2's "EC2 Instance
 * State-change Notification" as EventBridge delivers it (events/eventbridge-ec2-instance-state-change.json
 * is a sample).
 */
public final class WorkstationMessages {

    public static final String EC2_SOURCE = "aws.ec2";
    public static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    /** The event pattern of the rule that routes EC2's state changes to the workstation queue. */
    public static final String STATE_CHANGE_PATTERN = "{\"source\":[\"" + EC2_SOURCE + "\"],\"detail-type\":[\""
            + STATE_CHANGE + "\"]}";

    public static final String ALARM_SOURCE = "aws.cloudwatch";
    public static final String ALARM_CHANGE = "CloudWatch Alarm State Change";
    /** The event pattern of the rule that routes the idle alarms' state changes to the workstation queue. */
    public static final String ALARM_CHANGE_PATTERN = "{\"source\":[\"" + ALARM_SOURCE + "\"],\"detail-type\":[\""
            + ALARM_CHANGE + "\"],\"detail\":{\"alarmName\":[{\"prefix\":\"" + IdleAlarms.PREFIX + "\"}]}}";

    /**
     * Commands: the API's requests, the worker's own fallback check, ARM (auto-stop settings
     * changed: arm the idle alarm again), and the workspace-wide ARM_WORKSPACE and SCHEDULED_STOP
     * (the end of working hours), whose id is {@value #WORKSPACE}, and RELEASE_IMAGES (a deleted
     * workspace's build left AMIs: deregister them and delete their snapshots).
     */
    public enum Command { LAUNCH, START, STOP, RESTART, UPDATE, TERMINATE, CHECK, ARM, ARM_WORKSPACE, SCHEDULED_STOP,
        RELEASE_IMAGES }

    /** The id of a workspace-wide command. */
    public static final String WORKSPACE = "*";

    /** A message read. */
    public sealed interface Message permits CommandMessage, ReleaseImages, StateChange, AlarmChange, Unknown { }

    /** An idle alarm changed to {@code state} (ALARM: the workstation is about to be stopped). */
    public record AlarmChange(String slug, String id, String state, Instant time) implements Message { }

    public record CommandMessage(Command command, String slug, String id) implements Message { }

    /** Release the AMIs (id by region) build {@code buildId} of workspace {@code slug} made, and their snapshots. */
    public record ReleaseImages(String slug, String buildId, Map<String, String> amiIdsByRegion) implements Message {
        public ReleaseImages {
            amiIdsByRegion = Map.copyOf(amiIdsByRegion);
        }
    }

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

    /** The RELEASE_IMAGES command for the AMIs (id by region) a build of a deleted workspace made. */
    public static String releaseImages(JsonMapper json, String slug, String buildId, Map<String, String> amiIdsByRegion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("atelier", "workstation");
        body.put("command", Command.RELEASE_IMAGES.name().toLowerCase(java.util.Locale.ROOT));
        body.put("slug", slug);
        body.put("id", buildId);
        body.put("amis", new LinkedHashMap<>(amiIdsByRegion));
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
            if (command == Command.RELEASE_IMAGES) {
                if (!(m.get("amis") instanceof Map<?, ?> amis)) {
                    return new Unknown("release without images");
                }
                Map<String, String> byRegion = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : amis.entrySet()) {
                    if (!(e.getKey() instanceof String region) || !(e.getValue() instanceof String ami)) {
                        return new Unknown("release with a malformed image");
                    }
                    byRegion.put(region, ami);
                }
                return new ReleaseImages(slug, id, byRegion);
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
        if (ALARM_CHANGE.equals(m.get("detail-type")) && m.get("detail") instanceof Map<?, ?> detail
                && detail.get("state") instanceof Map<?, ?> state && state.get("value") instanceof String value) {
            String[] workstation = IdleAlarms.parse(String.valueOf(detail.get("alarmName")));
            if (workstation == null) {
                return new Unknown("not an idle alarm");
            }
            Instant time;
            try {
                time = Instant.parse(String.valueOf(m.get("time")));
            } catch (DateTimeParseException e) {
                time = Instant.EPOCH;
            }
            return new AlarmChange(workstation[0], workstation[1], value, time);
        }
        return new Unknown("not a workstation message");
    }

    /** The "detail" of CloudWatch's alarm state change event (the fields the worker reads, and a few more). */
    public static String alarmChangeDetail(JsonMapper json, String alarmName, String state, String previous, String reason) {
        return write(json, Map.of("alarmName", alarmName,
                "state", Map.of("value", state, "reason", reason),
                "previousState", Map.of("value", previous)));
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
