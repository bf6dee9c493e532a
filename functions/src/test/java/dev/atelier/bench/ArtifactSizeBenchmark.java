package dev.atelier.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Lambda artifacts' sizes and what fills each: every artifact against the target (Lambda
 * takes a deployment package of up to 50 MiB), then, per artifact, each entry of the shaded jar
 * attributed to the dependency jar it came from (the first on the runtime class path holding that
 * name, as the shade plugin does), the compressed sizes summed per origin.
 *
 * <p>Usage: {@code ArtifactSizeBenchmark <file with the runtime class path> <artifact jar>...}
 */
public final class ArtifactSizeBenchmark {

    private static final double MIB = 1024 * 1024;
    /** Lambda's limit on a deployment package uploaded directly. */
    private static final double TARGET_MIB = 50;

    private ArtifactSizeBenchmark() { }

    public static void main(String[] args) throws IOException {
        String classpath = Files.readString(Path.of(args[0])).strip();
        Map<String, String> origin = origins(classpath);

        System.out.println("Artifact size (target < 50 MiB each)");
        for (int i = 1; i < args.length; i++) {
            Path jar = Path.of(args[i]);
            long size = Files.size(jar);
            System.out.printf(Locale.ROOT, "  %-48s %6.1f MiB (%,d bytes)  %s%n", jar.getFileName(), size / MIB, size,
                    size / MIB < TARGET_MIB ? "ok" : "OVER THE TARGET");
        }
        for (int i = 1; i < args.length; i++) {
            System.out.println();
            contents(Path.of(args[i]), origin);
        }
    }

    /** Which dependency jar each entry name comes from (the first holding it). */
    private static Map<String, String> origins(String classpath) throws IOException {
        Map<String, String> origin = new HashMap<>();
        for (String element : classpath.split(File.pathSeparator)) {
            if (!element.endsWith(".jar")) {
                continue;
            }
            String name = Path.of(element).getFileName().toString();
            try (ZipFile jar = new ZipFile(element)) {
                for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (!entry.isDirectory()) {
                        origin.putIfAbsent(entry.getName(), name);
                    }
                }
            }
        }
        return origin;
    }

    private static void contents(Path lambdaJar, Map<String, String> origin) throws IOException {
        Map<String, long[]> byOrigin = new HashMap<>();
        long entries = 0;
        try (ZipFile jar = new ZipFile(lambdaJar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                entries++;
                String from = origin.getOrDefault(entry.getName(),
                        entry.getName().startsWith("dev/atelier/") || !entry.getName().endsWith(".class")
                                ? "(Atelier's own classes and merged resources)" : "(unattributed)");
                long[] sums = byOrigin.computeIfAbsent(from, k -> new long[3]);
                sums[0] += entry.getCompressedSize();
                sums[1] += entry.getSize();
                sums[2]++;
            }
        }
        long size = Files.size(lambdaJar);
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(byOrigin.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));

        System.out.printf(Locale.ROOT, "  %s: %.1f MiB (%,d bytes), %,d files from %d origins; target < 50 MiB%n",
                lambdaJar.getFileName(), size / MIB, size, entries, byOrigin.size());
        System.out.println();
        System.out.println("  The 10 largest contributions (by compressed size in the jar)");
        System.out.printf("  %-62s %10s %12s %6s %7s%n", "origin", "in jar", "uncompressed", "share", "files");
        Map<String, long[]> top = new LinkedHashMap<>();
        sorted.stream().limit(10).forEach(e -> top.put(e.getKey(), e.getValue()));
        top.forEach((name, sums) -> System.out.printf(Locale.ROOT, "  %-62s %6.2f MiB %8.2f MiB %5.1f%% %7d%n",
                name, sums[0] / MIB, sums[1] / MIB, 100.0 * sums[0] / size, sums[2]));
        long rest = sorted.stream().skip(10).mapToLong(e -> e.getValue()[0]).sum();
        System.out.printf(Locale.ROOT, "  %-62s %6.2f MiB %21.1f%%%n", "the other " + Math.max(0, sorted.size() - 10)
                + " origins", rest / MIB, 100.0 * rest / size);
        long compressed = sorted.stream().mapToLong(e -> e.getValue()[0]).sum();
        System.out.printf(Locale.ROOT, "  %-62s %6.2f MiB %21.1f%%%n", "zip headers and central directory",
                (size - compressed) / MIB, 100.0 * (size - compressed) / size);
    }
}
