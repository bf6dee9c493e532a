package dev.atelier.definition;

import dev.atelier.imagebuild.BuildSpec;
import dev.atelier.imagebuild.InstanceTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every GPU a definition may ask for can be built: the instance table has a type for it. */
class DefinitionGpuTypesTest {

    @Test
    void everyAcceptedGpuType_shouldHaveAnInstanceTypeForOneGpuOnEitherOs() {
        for (String type : DefinitionRequests.GPU_TYPES) {
            assertThat(InstanceTypes.knownGpu(type)).as(type).isTrue();
            for (BuildSpec.Os os : BuildSpec.Os.values()) {
                assertThat(InstanceTypes.choose(os, 4, 16, new BuildSpec.Gpu(type, 1)).gpuType()).isEqualTo(type);
            }
        }
    }
}
