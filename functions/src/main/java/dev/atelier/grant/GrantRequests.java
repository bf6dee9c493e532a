package dev.atelier.grant;

import dev.atelier.access.Grant;
import dev.atelier.access.Level;
import dev.atelier.access.Principal;
import dev.atelier.web.ApiException;
import dev.atelier.web.EchoedFields;
import dev.atelier.web.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code [{principal, levels?, preset?}]}: each entry names a user or group and gives either
 * levels or a preset (full, editor, viewer), not both. A replacement may be what GET answered with
 * its changes: each entry's {@code groupName} is read-only.
 */
public final class GrantRequests {

    /** Principals in one request: the transaction also writes the grants and the audit entry. */
    static final int MAX_GRANTS = 90;

    private static final Set<String> FIELDS = Set.of("principal", "levels", "preset");
    /** What {@link GrantView} shows that the grant does not give: the group's name. */
    static final String READ_ONLY = "groupName";

    private GrantRequests() { }

    /**
     * The grants of a replacement, in the order given, and the group names sent with them (as
     * {@code [i].groupName}), to check against the names the answer shows.
     */
    record Replacement(List<Grant> grants, EchoedFields echoed) { }

    /** @throws ApiException 400 naming each invalid field */
    static Replacement parse(JsonMapper json, @Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.invalid("body", "a JSON array of grants is required");
        }
        JsonNode root;
        try {
            root = json.readValue(raw.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalid("body", "malformed JSON");
        }
        if (root == null || !root.isArray()) {
            throw ApiException.invalid("body", "must be a JSON array of grants");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        EchoedFields echoed = EchoedFields.empty(json);
        List<Grant> grants = parse(root, "", errors, echoed);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Replacement(grants, echoed);
    }

    /**
     * Reads an array of grants found inside another body; problems are added to {@code errors}
     * with field names starting with {@code prefix} (e.g. {@code grants}).
     */
    public static List<Grant> parse(JsonNode root, String prefix, List<Problem.FieldError> errors) {
        return parse(root, prefix, errors, null);
    }

    /** @param echoed where the read-only fields go; null where there are none (grants given at creation) */
    private static List<Grant> parse(JsonNode root, String prefix, List<Problem.FieldError> errors,
                                     @Nullable EchoedFields echoed) {
        if (!root.isArray()) {
            errors.add(new Problem.FieldError(prefix.isEmpty() ? "body" : prefix, "must be an array of grants"));
            return List.of();
        }
        List<Grant> grants = new ArrayList<>();
        Set<Principal> seen = new HashSet<>();
        int i = 0;
        for (JsonNode element : root.values()) {
            String at = prefix + "[" + i++ + "]";
            if (!element.isObject()) {
                errors.add(new Problem.FieldError(at, "must be an object"));
                continue;
            }
            for (var field : element.entries()) {
                if (echoed != null && field.getKey().equals(READ_ONLY)) {
                    echoed.add(at + "." + READ_ONLY, field.getValue());
                } else if (!FIELDS.contains(field.getKey())) {
                    errors.add(new Problem.FieldError(at + "." + field.getKey(), "unknown field"));
                }
            }
            JsonNode principalNode = element.get("principal");
            Principal principal = principalNode != null && principalNode.isString()
                    ? Principal.parse(principalNode.getStringValue()).orElse(null) : null;
            if (principal == null) {
                errors.add(new Problem.FieldError(at + ".principal", "must be user:<id> or group:<id>"));
            } else if (!seen.add(principal)) {
                errors.add(new Problem.FieldError(at + ".principal", "appears more than once"));
            }
            Set<Level> levels = levels(element, at, errors);
            if (principal != null && levels != null) {
                grants.add(new Grant(principal, levels));
            }
        }
        if (i > MAX_GRANTS) {
            errors.add(new Problem.FieldError(prefix.isEmpty() ? "body" : prefix, "at most " + MAX_GRANTS + " grants"));
        }
        return grants;
    }

    @Nullable
    private static Set<Level> levels(JsonNode element, String at, List<Problem.FieldError> errors) {
        JsonNode levels = element.get("levels");
        JsonNode preset = element.get("preset");
        boolean hasLevels = levels != null && !levels.isNull();
        boolean hasPreset = preset != null && !preset.isNull();
        if (hasLevels == hasPreset) {
            errors.add(new Problem.FieldError(at, "give either levels or preset"));
            return null;
        }
        if (hasPreset) {
            Level.Preset p = preset.isString() ? Level.Preset.parse(preset.getStringValue()).orElse(null) : null;
            if (p == null) {
                errors.add(new Problem.FieldError(at + ".preset", "must be one of full, editor, viewer"));
                return null;
            }
            return p.levels();
        }
        if (!levels.isArray() || levels.size() == 0) {
            errors.add(new Problem.FieldError(at + ".levels", "must be a non-empty array of levels"));
            return null;
        }
        Set<Level> out = EnumSet.noneOf(Level.class);
        int j = 0;
        for (JsonNode level : levels.values()) {
            Level parsed = level.isString() ? Level.parse(level.getStringValue()).orElse(null) : null;
            if (parsed == null) {
                errors.add(new Problem.FieldError(at + ".levels[" + j + "]",
                        "must be one of read, write, operate, access, promote"));
            } else {
                out.add(parsed);
            }
            j++;
        }
        return out;
    }
}
