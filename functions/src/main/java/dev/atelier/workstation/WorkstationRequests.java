package dev.atelier.workstation;

import dev.atelier.imagebuild.InstanceTypes;
import dev.atelier.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the bodies of workstation requests (API.md, "Workstations"). */
final class WorkstationRequests {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9]+\\.[a-z0-9]+");

    /** A launch, checked for form (whether it fits the definition is checked against it). */
    record Launch(@Nullable String definitionId, @Nullable String imageId, @Nullable String name,
                  @Nullable String instanceType, @Nullable String gpuType, int gpuCount) {
        @Override
        public String toString() {
            return definitionId + "|" + imageId + "|" + name + "|" + instanceType + "|" + gpuType + "|" + gpuCount;
        }
    }

    private WorkstationRequests() { }

    static Launch launch(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("definitionId", "imageId", "name", "instanceType", "gpu"));
        String definitionId = body.optionalString("definitionId");
        String imageId = body.optionalString("imageId");
        String name = body.optionalString("name");
        String instanceType = body.optionalString("instanceType");
        if (definitionId == null && imageId == null && !body.hasError("definitionId") && !body.hasError("imageId")) {
            body.reject("definitionId", "one of definitionId and imageId is required");
        } else if (definitionId != null && imageId != null) {
            body.reject("imageId", "give either definitionId or imageId, not both");
        }
        if (definitionId != null && !ID.matcher(definitionId).matches()) {
            body.reject("definitionId", "is not a definition id");
        }
        if (imageId != null && !ID.matcher(imageId).matches()) {
            body.reject("imageId", "is not an image id");
        }
        if (name != null && !NAME.matcher(name).matches()) {
            body.reject("name", "1–64 characters: letters, digits, space, '.', '_', '-', starting with a letter or digit");
        }
        if (instanceType != null && (!INSTANCE_TYPE.matcher(instanceType).matches()
                || InstanceTypes.find(instanceType).isEmpty())) {
            body.reject("instanceType", "'" + instanceType + "' is not an instance type Atelier offers");
        }
        String gpuType = null;
        int gpuCount = 0;
        JsonNode gpu = body.node("gpu");
        if (gpu != null && !gpu.isNull()) {
            if (!gpu.isObject()) {
                body.reject("gpu", "must be an object {type, count} or null");
            } else {
                JsonNode type = gpu.get("type");
                JsonNode count = gpu.get("count");
                if (type == null || !type.isString() || !InstanceTypes.knownGpu(type.getStringValue())) {
                    body.reject("gpu.type", "must be one of the GPU types Atelier knows");
                } else {
                    gpuType = type.getStringValue();
                }
                if (count == null) {
                    gpuCount = 1;
                } else if (!count.isNumber() || !(count.getNumberValue() instanceof Integer)
                        || count.getIntValue() < 1 || count.getIntValue() > 8) {
                    body.reject("gpu.count", "must be a whole number from 1 to 8");
                } else {
                    gpuCount = count.getIntValue();
                }
                for (var entry : gpu.entries()) {
                    if (!entry.getKey().equals("type") && !entry.getKey().equals("count")) {
                        body.reject("gpu." + entry.getKey(), "unknown field");
                    }
                }
            }
        }
        body.validate();
        return new Launch(definitionId, imageId, name, instanceType, gpuType, gpuCount);
    }
}
