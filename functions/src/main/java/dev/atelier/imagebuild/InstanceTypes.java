package dev.atelier.imagebuild;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    public static final List<InstanceType> TABLE = Stream.of(
            family("t3", null, size("small", 2, 2, 0.0208), size("medium", 2, 4, 0.0416), size("large", 2, 8, 0.0832),
                    size("xlarge", 4, 16, 0.1664), size("2xlarge", 8, 32, 0.3328)),
            family("m6i", null, size("large", 2, 8, 0.096), size("xlarge", 4, 16, 0.192), size("2xlarge", 8, 32, 0.384),
                    size("4xlarge", 16, 64, 0.768), size("8xlarge", 32, 128, 1.536), size("12xlarge", 48, 192, 2.304),
                    size("16xlarge", 64, 256, 3.072), size("24xlarge", 96, 384, 4.608), size("32xlarge", 128, 512, 6.144)),
            family("r6i", null, size("large", 2, 16, 0.126), size("xlarge", 4, 32, 0.252), size("2xlarge", 8, 64, 0.504),
                    size("4xlarge", 16, 128, 1.008), size("8xlarge", 32, 256, 2.016), size("12xlarge", 48, 384, 3.024),
                    size("16xlarge", 64, 512, 4.032), size("24xlarge", 96, 768, 6.048), size("32xlarge", 128, 1024, 8.064)),
            family("g4dn", NVIDIA_T4, size("xlarge", 4, 16, 1, 0.526), size("2xlarge", 8, 32, 1, 0.752),
                    size("4xlarge", 16, 64, 1, 1.204), size("8xlarge", 32, 128, 1, 2.176),
                    size("12xlarge", 48, 192, 4, 3.912), size("16xlarge", 64, 256, 1, 4.352),
                    size("metal", 96, 384, 8, 7.824)),
            family("g5", NVIDIA_A10G, size("xlarge", 4, 16, 1, 1.006), size("2xlarge", 8, 32, 1, 1.212),
                    size("4xlarge", 16, 64, 1, 1.624), size("8xlarge", 32, 128, 1, 2.448),
                    size("16xlarge", 64, 256, 1, 4.096), size("12xlarge", 48, 192, 4, 5.672),
                    size("24xlarge", 96, 384, 4, 8.144), size("48xlarge", 192, 768, 8, 16.288)),
            family("p3", NVIDIA_V100, size("2xlarge", 8, 61, 1, 3.06), size("8xlarge", 32, 244, 4, 12.24),
                    size("16xlarge", 64, 488, 8, 24.48)),
            family("g6", NVIDIA_L4, size("xlarge", 4, 16, 1, 0.805), size("2xlarge", 8, 32, 1, 0.978),
                    size("4xlarge", 16, 64, 1, 1.323), size("8xlarge", 32, 128, 1, 2.014),
                    size("16xlarge", 64, 256, 1, 3.397), size("12xlarge", 48, 192, 4, 4.602),
                    size("24xlarge", 96, 384, 4, 6.675), size("48xlarge", 192, 768, 8, 13.35)),
            family("p4d", NVIDIA_A100, size("24xlarge", 96, 1152, 8, 32.77)))
            .flatMap(List::stream).toList();

    /** The GPU types of the table, in order. */
    private static final Set<String> GPU_TYPES = TABLE.stream().map(InstanceType::gpuType).filter(Objects::nonNull)
            .collect(Collectors.toCollection(LinkedHashSet::new));

    private InstanceTypes() { }

    /** The GPU types Atelier knows. */
    public static boolean knownGpu(String type) {
        return GPU_TYPES.contains(type);
    }

    /**
     * The cheapest fitting type.
     *
     * @throws NoFittingInstanceTypeException when the GPU type is unknown or nothing is large enough
     */
    public static InstanceType choose(BuildSpec.Os os, int cpuCores, int memoryGb, BuildSpec.Gpu gpu) {
        if (gpu != null && !knownGpu(gpu.type())) {
            throw new NoFittingInstanceTypeException("unknown GPU type " + gpu.type() + "; known: " + GPU_TYPES);
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

    /** One size of a family: {@code <family>.<size>} with its vCPUs, memory, GPUs and price. */
    private record Size(String size, int vcpus, int memoryGib, int gpus, double hourlyUsd) { }

    private static Size size(String size, int vcpus, int memoryGib, double hourlyUsd) {
        return new Size(size, vcpus, memoryGib, 0, hourlyUsd);
    }

    private static Size size(String size, int vcpus, int memoryGib, int gpus, double hourlyUsd) {
        return new Size(size, vcpus, memoryGib, gpus, hourlyUsd);
    }

    /** The sizes of one family, whose GPUs (if any) are all of {@code gpuType}. */
    private static List<InstanceType> family(String family, String gpuType, Size... sizes) {
        return Arrays.stream(sizes).map(s -> new InstanceType(family + "." + s.size(), s.vcpus(), s.memoryGib(),
                gpuType, s.gpus(), s.hourlyUsd())).toList();
    }
}
