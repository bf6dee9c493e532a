package dev.atelier.imagebuild;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chooses the build instance: the cheapest EC2 instance type of a small table that has at least
 * the vCPUs, memory and GPUs a definition asks for. Prices are us-east-1 on-demand Linux list
 * prices (USD/hour), used only to order the table (docs/image-builds.md lists it).
 * <ul>
 *   <li>Without a GPU: t3 (burstable, smallest sizes), m6i (4 GiB per vCPU), r6i (8 GiB per vCPU).</li>
 *   <li>{@code nvidia-t4}: g4dn; {@code nvidia-a10g}: g5; {@code nvidia-l4}: g6; {@code nvidia-v100}: p3;
 *       {@code nvidia-a100}: p4d.</li>
 *   <li>Windows needs at least 4 GiB to build, so its smallest choice is t3.medium.</li>
 * </ul>
 */
public final class InstanceTypes {

    /** One row of the table. */
    public record InstanceType(String name, int vcpus, int memoryGib, String gpuType, int gpus, double hourlyUsd) { }

    /** No instance type of the table fits the request. */
    public static class NoFittingInstanceTypeException extends IllegalArgumentException {
        public NoFittingInstanceTypeException(String message) {
            super(message);
        }
    }

    public static final String NVIDIA_T4 = "nvidia-t4";
    public static final String NVIDIA_A10G = "nvidia-a10g";
    public static final String NVIDIA_V100 = "nvidia-v100";
    public static final String NVIDIA_L4 = "nvidia-l4";
    public static final String NVIDIA_A100 = "nvidia-a100";

    private static final int WINDOWS_MIN_MEMORY_GIB = 4;

    public static final List<InstanceType> TABLE = List.of(
            cpu("t3.small", 2, 2, 0.0208), cpu("t3.medium", 2, 4, 0.0416), cpu("t3.large", 2, 8, 0.0832),
            cpu("t3.xlarge", 4, 16, 0.1664), cpu("t3.2xlarge", 8, 32, 0.3328),
            cpu("m6i.large", 2, 8, 0.096), cpu("m6i.xlarge", 4, 16, 0.192), cpu("m6i.2xlarge", 8, 32, 0.384),
            cpu("m6i.4xlarge", 16, 64, 0.768), cpu("m6i.8xlarge", 32, 128, 1.536), cpu("m6i.12xlarge", 48, 192, 2.304),
            cpu("m6i.16xlarge", 64, 256, 3.072), cpu("m6i.24xlarge", 96, 384, 4.608), cpu("m6i.32xlarge", 128, 512, 6.144),
            cpu("r6i.large", 2, 16, 0.126), cpu("r6i.xlarge", 4, 32, 0.252), cpu("r6i.2xlarge", 8, 64, 0.504),
            cpu("r6i.4xlarge", 16, 128, 1.008), cpu("r6i.8xlarge", 32, 256, 2.016), cpu("r6i.12xlarge", 48, 384, 3.024),
            cpu("r6i.16xlarge", 64, 512, 4.032), cpu("r6i.24xlarge", 96, 768, 6.048), cpu("r6i.32xlarge", 128, 1024, 8.064),
            gpu("g4dn.xlarge", 4, 16, NVIDIA_T4, 1, 0.526), gpu("g4dn.2xlarge", 8, 32, NVIDIA_T4, 1, 0.752),
            gpu("g4dn.4xlarge", 16, 64, NVIDIA_T4, 1, 1.204), gpu("g4dn.8xlarge", 32, 128, NVIDIA_T4, 1, 2.176),
            gpu("g4dn.12xlarge", 48, 192, NVIDIA_T4, 4, 3.912), gpu("g4dn.16xlarge", 64, 256, NVIDIA_T4, 1, 4.352),
            gpu("g4dn.metal", 96, 384, NVIDIA_T4, 8, 7.824),
            gpu("g5.xlarge", 4, 16, NVIDIA_A10G, 1, 1.006), gpu("g5.2xlarge", 8, 32, NVIDIA_A10G, 1, 1.212),
            gpu("g5.4xlarge", 16, 64, NVIDIA_A10G, 1, 1.624), gpu("g5.8xlarge", 32, 128, NVIDIA_A10G, 1, 2.448),
            gpu("g5.16xlarge", 64, 256, NVIDIA_A10G, 1, 4.096), gpu("g5.12xlarge", 48, 192, NVIDIA_A10G, 4, 5.672),
            gpu("g5.24xlarge", 96, 384, NVIDIA_A10G, 4, 8.144), gpu("g5.48xlarge", 192, 768, NVIDIA_A10G, 8, 16.288),
            gpu("p3.2xlarge", 8, 61, NVIDIA_V100, 1, 3.06), gpu("p3.8xlarge", 32, 244, NVIDIA_V100, 4, 12.24),
            gpu("p3.16xlarge", 64, 488, NVIDIA_V100, 8, 24.48),
            gpu("g6.xlarge", 4, 16, NVIDIA_L4, 1, 0.805), gpu("g6.2xlarge", 8, 32, NVIDIA_L4, 1, 0.978),
            gpu("g6.4xlarge", 16, 64, NVIDIA_L4, 1, 1.323), gpu("g6.8xlarge", 32, 128, NVIDIA_L4, 1, 2.014),
            gpu("g6.16xlarge", 64, 256, NVIDIA_L4, 1, 3.397), gpu("g6.12xlarge", 48, 192, NVIDIA_L4, 4, 4.602),
            gpu("g6.24xlarge", 96, 384, NVIDIA_L4, 4, 6.675), gpu("g6.48xlarge", 192, 768, NVIDIA_L4, 8, 13.35),
            gpu("p4d.24xlarge", 96, 1152, NVIDIA_A100, 8, 32.77));

    private static final Map<String, String> GPU_FAMILY = Map.of(NVIDIA_T4, "g4dn", NVIDIA_A10G, "g5",
            NVIDIA_V100, "p3", NVIDIA_L4, "g6", NVIDIA_A100, "p4d");

    private InstanceTypes() { }

    /** The GPU types Atelier knows. */
    public static boolean knownGpu(String type) {
        return GPU_FAMILY.containsKey(type);
    }

    /**
     * The cheapest fitting type.
     *
     * @throws NoFittingInstanceTypeException when the GPU type is unknown or nothing is large enough
     */
    public static InstanceType choose(BuildSpec.Os os, int cpuCores, int memoryGb, BuildSpec.Gpu gpu) {
        if (gpu != null && !knownGpu(gpu.type())) {
            throw new NoFittingInstanceTypeException("unknown GPU type " + gpu.type() + "; known: " + GPU_FAMILY.keySet());
        }
        int memory = os == BuildSpec.Os.WINDOWS ? Math.max(memoryGb, WINDOWS_MIN_MEMORY_GIB) : memoryGb;
        return TABLE.stream()
                .filter(t -> t.vcpus() >= cpuCores && t.memoryGib() >= memory)
                .filter(t -> gpu == null ? t.gpus() == 0 : gpu.type().equals(t.gpuType()) && t.gpus() >= gpu.count())
                .min(Comparator.comparingDouble(InstanceType::hourlyUsd))
                .orElseThrow(() -> new NoFittingInstanceTypeException("no instance type has " + cpuCores + " vCPUs, "
                        + memoryGb + " GiB" + (gpu == null ? "" : " and " + gpu.count() + " × " + gpu.type())));
    }

    /** The row of the table named {@code name}. */
    public static java.util.Optional<InstanceType> find(String name) {
        return TABLE.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Whether {@code type} has the vCPUs, memory and GPUs asked for (the GPU type too). */
    public static boolean fits(InstanceType type, int cpuCores, int memoryGb, BuildSpec.Gpu gpu) {
        return type.vcpus() >= cpuCores && type.memoryGib() >= memoryGb
                && (gpu == null || gpu.type().equals(type.gpuType()) && type.gpus() >= gpu.count());
    }

    public static InstanceType choose(BuildSpec spec) {
        return choose(spec.os(), spec.cpuCores(), spec.memoryGb(), spec.gpu());
    }

    private static InstanceType cpu(String name, int vcpus, int memory, double price) {
        return new InstanceType(name, vcpus, memory, null, 0, price);
    }

    private static InstanceType gpu(String name, int vcpus, int memory, String type, int gpus, double price) {
        return new InstanceType(name, vcpus, memory, type, gpus, price);
    }
}
