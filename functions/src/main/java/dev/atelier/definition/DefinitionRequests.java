package dev.atelier.definition;

import dev.atelier.access.Grant;
import dev.atelier.grant.GrantRequests;
import dev.atelier.web.JsonBody;
import dev.atelier.workspace.Slug;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks definition bodies; every problem is reported at once, naming its field. */
final class DefinitionRequests {

    static final Set<String> PYTHON_VERSIONS = Set.of("3.10", "3.11", "3.12");
    static final Set<String> OPERATING_SYSTEMS = Set.of("linux", "windows");
    static final Set<String> GPU_TYPES = Set.of("nvidia-t4", "nvidia-a10g", "nvidia-l4", "nvidia-v100", "nvidia-a100");
    static final int SCRIPT_MAX_BYTES = 64 * 1024;
    static final int DISPLAY_NAME_MAX = 64;

    private static final Set<String> FIELDS = Set.of("displayName", "cliName", "memoryGb", "cpuCores", "pythonVersion",
            "requirements", "preBuildScript", "postBuildScript", "os", "gpu", "baseImage", "grants");
    /** What {@link DefinitionView} shows that only the service sets: an edit may send it back unchanged. */
    static final Set<String> READ_ONLY = Set.of("id", "version", "currentBuild", "currentImage", "createdAt",
            "updatedAt", "etag");
    private static final Pattern IMAGE_REFERENCE = Pattern.compile("image:([A-Za-z0-9_-]{1,64})");

    private DefinitionRequests() { }

    /** What a definition is made of; {@code cliName} may be null (derived), grants are for creates. */
    record Spec(String displayName, @Nullable String cliName, long memoryGb, long cpuCores, String pythonVersion,
                String requirements, String preBuildScript, String postBuildScript, String os,
                @Nullable String gpuType, long gpuCount, @Nullable String baseImageId, List<Grant> grants) { }

    /**
     * A new definition's body (create, copy); grants are allowed.
     *
     * @throws dev.atelier.web.ApiException 400 naming each invalid field
     */
    static Spec create(JsonMapper json, @Nullable String raw) {
        return parse(json, raw, null);
    }

    /**
     * A new version's body: what GET answered may be sent back with changes; its read-only
     * fields must keep the values of {@code current}.
     *
     * @throws dev.atelier.web.ApiException 400 naming each invalid field, each read-only field changed
     */
    static Spec edit(JsonMapper json, @Nullable String raw, DefinitionView current) {
        return parse(json, raw, current);
    }

    /** @param current null for a new definition (grants allowed, no read-only fields), the definition for an edit */
    private static Spec parse(JsonMapper json, @Nullable String raw, @Nullable DefinitionView current) {
        JsonBody body = JsonBody.parse(json, raw, FIELDS, current == null ? Set.of() : READ_ONLY);
        if (current != null) {
            body.rejectChangedReadOnly(current);
        }
        String displayName = body.requiredString("displayName");
        if (displayName != null) {
            displayName = displayName.strip();
            if (displayName.isEmpty() || displayName.length() > DISPLAY_NAME_MAX
                    || displayName.chars().anyMatch(Character::isISOControl)) {
                body.reject("displayName", "must be 1 to " + DISPLAY_NAME_MAX + " characters without control characters");
            }
        }
        String cliName = body.optionalString("cliName");
        if (cliName != null) {
            Slug.problem(cliName).ifPresent(p -> body.reject("cliName", p));
        } else if (displayName != null && !body.hasError("displayName")) {
            cliName = Slug.derive(displayName);
            if (Slug.problem(cliName).isPresent()) {
                body.reject("cliName", "could not be derived from the display name; choose one");
            }
        }
        long memoryGb = integer(body, "memoryGb", 8, 1, 1024);
        long cpuCores = integer(body, "cpuCores", 2, 1, 192);
        String python = oneOf(body, "pythonVersion", "3.12", PYTHON_VERSIONS);
        String os = oneOf(body, "os", "linux", OPERATING_SYSTEMS);
        String requirements = text(body, "requirements");
        if (requirements != null) {
            Requirements.problems(requirements).forEach(p -> body.reject("requirements", p));
        }
        String preBuild = text(body, "preBuildScript");
        String postBuild = text(body, "postBuildScript");

        String gpuType = null;
        long gpuCount = 0;
        JsonNode gpu = body.node("gpu");
        if (gpu != null && !gpu.isNull()) {
            if (!gpu.isObject()) {
                body.reject("gpu", "must be null or {type, count}");
            } else {
                JsonNode type = gpu.get("type");
                JsonNode count = gpu.get("count");
                for (var field : gpu.entries()) {
                    if (!Set.of("type", "count").contains(field.getKey())) {
                        body.reject("gpu." + field.getKey(), "unknown field");
                    }
                }
                if (type == null || !type.isString() || !GPU_TYPES.contains(type.getStringValue())) {
                    body.reject("gpu.type", "must be one of " + String.join(", ", GPU_TYPES.stream().sorted().toList()));
                } else {
                    gpuType = type.getStringValue();
                }
                if (count == null || !count.isNumber() || !isWhole(count) || count.getLongValue() < 1 || count.getLongValue() > 8) {
                    body.reject("gpu.count", "must be a whole number from 1 to 8");
                } else {
                    gpuCount = count.getLongValue();
                }
            }
        }
        String baseImageId = null;
        String baseImage = body.optionalString("baseImage");
        if (baseImage != null) {
            var matcher = IMAGE_REFERENCE.matcher(baseImage);
            if (matcher.matches()) {
                baseImageId = matcher.group(1);
            } else {
                body.reject("baseImage", "must be null or image:<id>");
            }
        }
        List<Grant> grants = List.of();
        JsonNode grantsNode = body.node("grants");
        if (grantsNode != null && !grantsNode.isNull()) {
            if (current != null) {
                body.reject("grants", "change grants through …/grants");
            } else {
                grants = GrantRequests.parse(grantsNode, "grants", body.errors());
            }
        }
        body.validate();
        return new Spec(displayName, cliName, memoryGb, cpuCores, python, requirements == null ? "" : requirements,
                preBuild == null ? "" : preBuild, postBuild == null ? "" : postBuild, os, gpuType, gpuCount,
                baseImageId, grants);
    }

    private static long integer(JsonBody body, String field, long fallback, long min, long max) {
        JsonNode node = body.node(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || !isWhole(node) || node.getLongValue() < min || node.getLongValue() > max) {
            body.reject(field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return node.getLongValue();
    }

    private static boolean isWhole(JsonNode node) {
        Number n = node.getNumberValue();
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }

    private static String oneOf(JsonBody body, String field, String fallback, Set<String> allowed) {
        String value = body.optionalString(field);
        if (value == null) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            body.reject(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
            return fallback;
        }
        return value;
    }

    @Nullable
    private static String text(JsonBody body, String field) {
        String value = body.optionalString(field);
        if (value == null) {
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            body.reject(field, "must not contain NUL characters");
        } else if (value.getBytes(StandardCharsets.UTF_8).length > SCRIPT_MAX_BYTES) {
            body.reject(field, "must be at most 64 KiB");
        }
        return value;
    }
}
