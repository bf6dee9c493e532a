package dev.atelier.workstation;

import dev.atelier.web.ApiException;
import dev.atelier.web.JsonBody;
import dev.atelier.web.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks auto-stop settings: a workspace's default, or a workstation's {@code autoStop}. */
final class AutoStopRequests {

    /** The longest idle time and warning: a day. */
    static final long MAX_MINUTES = 1440;
    private static final Pattern STOP_AT = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final Set<String> FIELDS = Set.of("idleMinutes", "warnMinutes", "schedule");

    private AutoStopRequests() { }

    /** {@code PUT /auto-stop}: the whole default (absent fields: none). */
    static AutoStop workspaceDefault(JsonMapper json, @Nullable String raw, long minIdleMinutes) {
        JsonBody body = JsonBody.parse(json, raw, FIELDS);
        List<Problem.FieldError> errors = new ArrayList<>(body.errors());
        AutoStop settings = settings(body::node, "", minIdleMinutes, errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return settings;
    }

    /** {@code PATCH …/workstations/{id}}: {@code {autoStop}}, null to follow the workspace's default again. */
    static Patch patch(JsonMapper json, @Nullable String raw, long minIdleMinutes) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("autoStop"));
        List<Problem.FieldError> errors = new ArrayList<>(body.errors());
        JsonNode node = body.node("autoStop");
        AutoStop settings = null;
        if (node == null) {
            errors.add(new Problem.FieldError("autoStop", "is required (null: follow the workspace's default)"));
        } else if (!node.isNull()) {
            if (!node.isObject()) {
                errors.add(new Problem.FieldError("autoStop", "must be an object or null"));
            } else {
                for (var entry : node.entries()) {
                    if (!FIELDS.contains(entry.getKey())) {
                        errors.add(new Problem.FieldError("autoStop." + entry.getKey(), "unknown field"));
                    }
                }
                settings = settings(node::get, "autoStop.", minIdleMinutes, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Patch(settings);
    }

    /** A workstation's own settings, or null to follow the default. */
    record Patch(@Nullable AutoStop autoStop) { }

    private interface Fields {
        @Nullable
        JsonNode get(String name);
    }

    private static AutoStop settings(Fields fields, String prefix, long minIdle, List<Problem.FieldError> errors) {
        Long idle = minutes(fields.get("idleMinutes"), prefix + "idleMinutes", minIdle, errors);
        Long warn = minutes(fields.get("warnMinutes"), prefix + "warnMinutes", 0, errors);
        if (warn != null && idle == null && !has(errors, prefix + "idleMinutes")) {
            errors.add(new Problem.FieldError(prefix + "warnMinutes", "needs idleMinutes"));
        } else if (warn != null && idle != null && warn >= idle) {
            errors.add(new Problem.FieldError(prefix + "warnMinutes", "must be less than idleMinutes (" + idle + ")"));
        }
        AutoStop.Schedule schedule = schedule(fields.get("schedule"), prefix + "schedule", errors);
        return new AutoStop(idle, warn, schedule);
    }

    @Nullable
    private static Long minutes(@Nullable JsonNode node, String field, long min, List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        Number n = node.isNumber() ? node.getNumberValue() : null;
        if (!(n instanceof Integer || n instanceof Long) || n.longValue() < min || n.longValue() > MAX_MINUTES) {
            errors.add(new Problem.FieldError(field, "must be a whole number of minutes from " + min + " to " + MAX_MINUTES));
            return null;
        }
        return n.longValue();
    }

    @Nullable
    private static AutoStop.Schedule schedule(@Nullable JsonNode node, String field, List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new Problem.FieldError(field, "must be {days, stopAt, timezone} or null"));
            return null;
        }
        for (var entry : node.entries()) {
            if (!Set.of("days", "stopAt", "timezone").contains(entry.getKey())) {
                errors.add(new Problem.FieldError(field + "." + entry.getKey(), "unknown field"));
            }
        }
        int before = errors.size();
        Set<String> days = new LinkedHashSet<>();
        JsonNode d = node.get("days");
        if (d == null || !d.isArray() || d.size() == 0) {
            errors.add(new Problem.FieldError(field + ".days", "must list at least one of " + AutoStop.Schedule.DAYS));
        } else {
            for (JsonNode day : d.values()) {
                if (!day.isString() || !AutoStop.Schedule.DAYS.contains(day.getStringValue())) {
                    errors.add(new Problem.FieldError(field + ".days", "must list days among " + AutoStop.Schedule.DAYS));
                    break;
                }
                days.add(day.getStringValue());
            }
        }
        JsonNode stopAt = node.get("stopAt");
        if (stopAt == null || !stopAt.isString() || !STOP_AT.matcher(stopAt.getStringValue()).matches()) {
            errors.add(new Problem.FieldError(field + ".stopAt", "must be a time of day HH:MM (24 h)"));
        }
        JsonNode zone = node.get("timezone");
        if (zone == null || !zone.isString() || !zoneOk(zone.getStringValue())) {
            errors.add(new Problem.FieldError(field + ".timezone", "must be a time zone such as Europe/Paris or UTC"));
        }
        if (errors.size() > before) {
            return null;
        }
        List<String> ordered = AutoStop.Schedule.DAYS.stream().filter(days::contains).toList();
        return new AutoStop.Schedule(ordered, stopAt.getStringValue(), zone.getStringValue());
    }

    private static boolean zoneOk(String zone) {
        if (!zone.contains("/") && !zone.equals("UTC")) {
            return false; // offsets like +02:00 do not follow summer time: a named zone is asked for
        }
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean has(List<Problem.FieldError> errors, String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }
}
