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
 * <p>Usage: {@code ColdStartBenchmark <API artifact jar> <probe jar> <events dir> <work dir> [runs]},
 * with {@code AWS_ENDPOINT_URL} pointing at the local AWS engine.
 */
public final class ColdStartBenchmark {

    private record Configuration(String name, String handler, String event, boolean allFlags) { }

    private record FlagSet(String name, boolean appCds, List<String> flags) { }

    private record Cell(Configuration configuration, FlagSet flagSet) { }

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

        String atelier = "dev.atelier.LambdaHandler";
        String eager = EagerLambdaHandler.class.getName();
        List<Configuration> configurations = List.of(
                new Configuration("(a) bare handler, GET /health", BareHandler.class.getName(), "apigw-v2-health.json", true),
                new Configuration("(b) Atelier, GET /health", atelier, "apigw-v2-health.json", true),
                new Configuration("(c) Atelier, GET /api/v1/workspaces", atelier, "apigw-v2-list-workspaces.json", true),
                new Configuration("(b') as (b), all singletons at init", eager, "apigw-v2-health.json", false),
                new Configuration("(c') as (c), all singletons at init", eager, "apigw-v2-list-workspaces.json", false));

        // One AppCDS archive per configuration; the training runs also warm the file cache.
        List<Cell> cells = new ArrayList<>();
        for (Configuration configuration : configurations) {
            Path archive = work.resolve("appcds-" + configurations.indexOf(configuration) + ".jsa");
            Files.deleteIfExists(archive);
            run(classpath, List.of("-XX:ArchiveClassesAtExit=" + archive), configuration, events, environment);
            List<FlagSet> flagSets = List.of(
                    new FlagSet("default", false, List.of()),
                    new FlagSet("-XX:TieredStopAtLevel=1", false, List.of("-XX:TieredStopAtLevel=1")),
                    new FlagSet("AppCDS", true, List.of("-XX:SharedArchiveFile=" + archive)),
                    new FlagSet("AppCDS + TieredStopAtLevel=1", true,
                            List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1")));
            for (FlagSet flagSet : flagSets) {
                if (configuration.allFlags() || flagSet.flags().isEmpty()) {
                    cells.add(new Cell(configuration, flagSet));
                }
            }
        }
        // Round-robin over every cell, so drift on the (shared) machine spreads evenly.
        Map<Cell, List<Run>> results = new LinkedHashMap<>();
        cells.forEach(cell -> results.put(cell, new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            for (Cell cell : cells) {
                results.get(cell).add(run(classpath, cell.flagSet().flags(), cell.configuration(), events, environment));
            }
        }
        report(results, runs, lambdaJar);
    }

    /** Once, before any measured JVM: the table, the site administrator, three workspaces. */
    private static Map<String, String> setUp() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String token = TokenSecrets.newSecret(BootstrapAdmin.USER_ID);
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
            Caller admin = new Caller(BootstrapAdmin.USER_ID, BootstrapAdmin.EMAIL, true, BootstrapAdmin.TOKEN_ID);
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

    private static void report(Map<Cell, List<Run>> results, int runs, Path lambdaJar) {
        System.out.println("Cold start: fresh JVM until the first API Gateway event is answered");
        System.out.printf("  %s, %d runs per cell (cells interleaved) after one unmeasured AppCDS training run; %d cores%n",
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
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        Configuration previous = null;
        for (var entry : results.entrySet()) {
            Configuration configuration = entry.getKey().configuration();
            String flags = entry.getKey().flagSet().name();
            if (previous != null && previous != configuration) {
                System.out.println();
            }
            previous = configuration;
            List<Double> wall = entry.getValue().stream().map(Run::wallMs).sorted().toList();
            List<Double> inJvm = entry.getValue().stream().map(Run::inJvmMs).sorted().toList();
            double median = median(wall);
            if (configuration.handler().equals(BareHandler.class.getName())) {
                bare.put(flags, median);
            } else {
                medians.computeIfAbsent(configuration.name(), k -> new LinkedHashMap<>()).put(flags, median);
            }
            System.out.printf("  %-38s %-30s %8s %8s %8s %8s%n", configuration.name(), flags,
                    seconds(median), seconds(wall.get(0)), seconds(wall.get(wall.size() - 1)), seconds(median(inJvm)));
        }
        System.out.println();
        System.out.println("  Ratio Atelier / bare handler (medians, wall)");
        medians.forEach((name, byFlags) -> {
            StringBuilder line = new StringBuilder(String.format("  %-38s", name));
            byFlags.forEach((flags, median) ->
                    line.append(String.format(Locale.ROOT, "  %s %.1fx", shortName(flags), median / bare.get(flags))));
            System.out.println(line);
        });
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
