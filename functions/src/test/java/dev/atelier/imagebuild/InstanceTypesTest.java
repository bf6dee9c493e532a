package dev.atelier.imagebuild;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceTypesTest {

    @ParameterizedTest(name = "{0} {1} vCPU {2} GiB {3}x{4} -> {5}")
    @CsvSource({
            "LINUX, 1, 1, , 0, t3.small",
            "LINUX, 2, 8, , 0, t3.large",
            "LINUX, 4, 16, , 0, t3.xlarge",
            "LINUX, 2, 16, , 0, r6i.large",
            "LINUX, 16, 64, , 0, m6i.4xlarge",
            "LINUX, 16, 100, , 0, r6i.4xlarge",
            "LINUX, 128, 1024, , 0, r6i.32xlarge",
            "WINDOWS, 1, 1, , 0, t3.medium",
            "LINUX, 2, 8, nvidia-t4, 1, g4dn.xlarge",
            "LINUX, 8, 32, nvidia-t4, 4, g4dn.12xlarge",
            "WINDOWS, 4, 16, nvidia-a10g, 1, g5.xlarge",
            "LINUX, 4, 16, nvidia-a10g, 8, g5.48xlarge",
            "LINUX, 2, 8, nvidia-v100, 1, p3.2xlarge",
            "LINUX, 8, 100, nvidia-v100, 1, p3.8xlarge",
    })
    void choose_shouldPickTheCheapestFittingType(BuildSpec.Os os, int cores, int memory, String gpuType, int gpus,
                                                 String expected) {
        BuildSpec.Gpu gpu = gpuType == null ? null : new BuildSpec.Gpu(gpuType, gpus);

        assertThat(InstanceTypes.choose(os, cores, memory, gpu).name()).isEqualTo(expected);
    }

    @Test
    void choose_shouldNeverPickAGpuType_whenNoGpuIsAsked() {
        assertThat(InstanceTypes.choose(BuildSpec.Os.LINUX, 48, 192, null).gpus()).isZero();
    }

    @Test
    void choose_shouldRefuse_whenNothingIsLargeEnough() {
        assertThatThrownBy(() -> InstanceTypes.choose(BuildSpec.Os.LINUX, 192, 1024, null))
                .isInstanceOf(InstanceTypes.NoFittingInstanceTypeException.class);
        assertThatThrownBy(() -> InstanceTypes.choose(BuildSpec.Os.LINUX, 2, 8, new BuildSpec.Gpu("nvidia-h100", 1)))
                .isInstanceOf(InstanceTypes.NoFittingInstanceTypeException.class);
    }
}
