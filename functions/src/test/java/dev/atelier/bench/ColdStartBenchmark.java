package dev.atelier.bench;

import dev.atelier.identity.BootstrapAdmin;
import dev.atelier.identity.Caller;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.local.LocalResources;
import dev.atelier.workspace.WorkspaceService;
import io.micronaut.context.ApplicationContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Cold start of the Lambda handler: fresh JVMs ({@link ColdStartProbe}) from process launch to
 * the first API Gateway event answered, for a bare handler and for Atelier, under four sets of
 * JVM flags. Prints figures; asserts nothing.
 *
 * <p>Usage: {@code ColdStartBenchmark <lambda jar> <probe jar> <events dir> <work dir> [runs]},
 * with {@code AWS_ENDPOINT_URL} pointing at the local AWS engine.
 */
public final class ColdStartBenchmark {

    private record Configuration(String name, String handler, String event) { }

    private record FlagSet(String name, boolean appCds, List<String> flags) { }

    private record Run(double wallMs, double inJvmMs) { }

    private ColdStartBenchmark() { }

    public static void main(String[] args) throws Exception {
        Path lambdaJar = Path.of(args[0]).toAbsolutePath();
        Path probeJar = Path.of(args[1]).toAbsolutePath();
        Path events = Path.of(args[2]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[3]).toAbsolutePath());
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        String classpath = lambdaJar + java.io.File.pathSeparator + probeJar;

        Map<String, String> environment = setUp();

        List<Configuration> configurations = List.of(
                new Configuration("(a) bare handler, GET /health", BareHandler.class.getName(), "apigw-v2-health.json"),
                new Configuration("(b) Atelier, GET /health", "dev.atelier.LambdaHandler", "apigw-v2-health.json"),
                new Configuration("(c) Atelier, GET /api/v1/workspaces", "dev.atelier.LambdaHandler",
                        "apigw-v2-list-workspaces.json"));
        Map<Configuration, Map<String, List<Run>>> results = new LinkedHashMap<>();

        for (Configuration configuration : configurations) {
            Path archive = work.resolve("appcds-" + configurations.indexOf(configuration) + ".jsa");
            Files.deleteIfExists(archive);
            // The training run also warms the file cache; it is not counted.
            run(classpath, List.of("-XX:ArchiveClassesAtExit=" + archive), configuration, events, environment);
            List<FlagSet> flagSets = List.of(
                    new FlagSet("default", false, List.of()),
                    new FlagSet("-XX:TieredStopAtLevel=1", false, List.of("-XX:TieredStopAtLevel=1")),
                    new FlagSet("AppCDS", true, List.of("-XX:SharedArchiveFile=" + archive)),
                    new FlagSet("AppCDS + TieredStopAtLevel=1", true,
                            List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1")));
            Map<String, List<Run>> byFlags = new LinkedHashMap<>();
            flagSets.forEach(f -> byFlags.put(f.name(), new ArrayList<>()));
            // Round-robin over the flag sets, so drift on the machine spreads evenly.
            for (int i = 0; i < runs; i++) {
                for (FlagSet flagSet : flagSets) {
                    byFlags.get(flagSet.name()).add(run(classpath, flagSet.flags(), configuration, events, environment));
                }
            }
            results.put(configuration, byFlags);
        }
        report(results, runs, lambdaJar);
    }

    /** Once, before any measured JVM: the table, the site administrator, three workspaces. */
    private static Map<String, String> setUp() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String token = TokenSecrets.newSecret();
        Map<String, String> environment = new HashMap<>();
        environment.put("ATELIER_TABLE_NAME", "atelier-bench-" + suffix);
        environment.put("ATELIER_BLOB_BUCKET", "atelier-bench-" + suffix);
        environment.put("ATELIER_KMS_KEY_ID", "alias/atelier-bench-" + suffix);
        environment.put("ATELIER_BENCH_TOKEN", token);
        Map<String, Object> properties = new HashMap<>();
        properties.put("atelier.table-name", environment.get("ATELIER_TABLE_NAME"));
        properties.put("atelier.blob-bucket", environment.get("ATELIER_BLOB_BUCKET"));
        properties.put("atelier.kms-key-id", environment.get("ATELIER_KMS_KEY_ID"));
        try (ApplicationContext context = ApplicationContext.run(properties, "test")) {
            context.getBean(LocalResources.class).ensureAll();
            context.getBean(BootstrapAdmin.class).ensure(token);
            Caller admin = new Caller(BootstrapAdmin.USER_ID, true, BootstrapAdmin.TOKEN_ID);
            for (String name : List.of("Render Farm", "Data Science", "Build Machines")) {
                String slug = name.toLowerCase(Locale.ROOT).replace(' ', '-');
                context.getBean(WorkspaceService.class).create(admin, new WorkspaceService.NewWorkspace(name, slug), null);
            }
        }
        return environment;
    }

    private static Run run(String classpath, List<String> flags, Configuration configuration, Path events,
                           Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", classpath, ColdStartProbe.class.getName(), configuration.handler(),
                events.resolve(configuration.event()).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("MICRONAUT_ENVIRONMENTS"); // as on Lambda: never the local site
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);

        long start = System.nanoTime();
        Process process = builder.start();
        double wallMs = -1;
        double inJvmMs = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("ANSWERED ")) {
                    wallMs = (System.nanoTime() - start) / 1e6;
                } else if (line.startsWith("IN_JVM_MS ")) {
                    inJvmMs = Double.parseDouble(line.substring("IN_JVM_MS ".length()));
                }
                output.append(line).append('\n');
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || wallMs < 0) {
            throw new IllegalStateException("The probe failed (exit " + exit + ") for " + configuration.name()
                    + " with " + flags + ":\n" + output);
        }
        return new Run(wallMs, inJvmMs);
    }

    private static void report(Map<Configuration, Map<String, List<Run>>> results, int runs, Path lambdaJar) {
        System.out.println("Cold start: fresh JVM until the first API Gateway event is answered");
        System.out.printf("  %s, %d runs per cell after one unmeasured (AppCDS training) run; %d cores%n",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), runs,
                Runtime.getRuntime().availableProcessors());
        System.out.println("  wall = measured by the parent from just before ProcessBuilder.start() to the probe's");
        System.out.println("         \"ANSWERED\" line (process launch, JVM boot, handler init, event read, handling)");
        System.out.println("  jvm  = inside the probe, from RuntimeMXBean.getStartTime() to the answer");
        System.out.println("  jar  = " + lambdaJar.getFileName());
        System.out.println();
        System.out.printf("  %-38s %-30s %8s %8s %8s %8s%n", "configuration", "JVM flags", "median", "min", "max",
                "jvm med");
        Map<String, Double> bare = new HashMap<>();
        for (var entry : results.entrySet()) {
            for (var byFlags : entry.getValue().entrySet()) {
                List<Double> wall = byFlags.getValue().stream().map(Run::wallMs).sorted().toList();
                List<Double> inJvm = byFlags.getValue().stream().map(Run::inJvmMs).sorted().toList();
                double median = median(wall);
                if (entry.getKey().handler().equals(BareHandler.class.getName())) {
                    bare.put(byFlags.getKey(), median);
                }
                System.out.printf("  %-38s %-30s %8s %8s %8s %8s%n", entry.getKey().name(), byFlags.getKey(),
                        seconds(median), seconds(wall.get(0)), seconds(wall.get(wall.size() - 1)), seconds(median(inJvm)));
            }
        }
        System.out.println();
        System.out.println("  Ratio Atelier / bare handler (medians, wall)");
        for (var entry : results.entrySet()) {
            if (entry.getKey().handler().equals(BareHandler.class.getName())) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format("  %-38s", entry.getKey().name()));
            for (var byFlags : entry.getValue().entrySet()) {
                double median = median(byFlags.getValue().stream().map(Run::wallMs).sorted().toList());
                line.append(String.format("  %s %.1fx", shortName(byFlags.getKey()), median / bare.get(byFlags.getKey())));
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("  Target: <= 1.500 s with default flags for (b) and (c)");
    }

    private static String shortName(String flags) {
        return switch (flags) {
            case "default" -> "default";
            case "-XX:TieredStopAtLevel=1" -> "C1";
            case "AppCDS" -> "AppCDS";
            default -> "AppCDS+C1";
        };
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String seconds(double ms) {
        return String.format(Locale.ROOT, "%.3f s", ms / 1000);
    }
}
