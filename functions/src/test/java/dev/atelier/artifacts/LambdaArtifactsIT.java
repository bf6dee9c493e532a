package dev.atelier.artifacts;

import dev.atelier.local.LocalResources;
import dev.atelier.testing.ApiGatewayEvents;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each Lambda artifact, as packaged, runs its handlers: a fresh JVM on the artifact alone
 * ({@link HandlerProbe}) constructs each handler class of the function and answers a sample event
 * ({@code events/}) against the local AWS engine, so a class an artifact lacks fails here. Runs
 * after {@code package} (Failsafe, in {@code verify}); needs {@code AWS_ENDPOINT_URL} as bin/test sets it.
 */
class LambdaArtifactsIT {

    private static final double MIB = 1024 * 1024;
    private static final String SQS_EVENT = "com.amazonaws.services.lambda.runtime.events.SQSEvent";

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static Path work;
    private static Path probeClasses;
    private static String tableName;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void prepare() throws IOException, URISyntaxException {
        assertThat(System.getenv("AWS_ENDPOINT_URL")).as("AWS_ENDPOINT_URL (the local engine; run through bin/test)")
                .isNotBlank();
        work = Files.createTempDirectory("atelier-artifacts");
        // The probe alone, next to the artifact: nothing else of the test class path.
        Path testClasses = Path.of(HandlerProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        probeClasses = work.resolve("probe");
        Path packageDir = probeClasses.resolve("dev/atelier/artifacts");
        Files.createDirectories(packageDir);
        try (DirectoryStream<Path> classes = Files.newDirectoryStream(testClasses.resolve("dev/atelier/artifacts"),
                "HandlerProbe*.class")) {
            for (Path c : classes) {
                Files.copy(c, packageDir.resolve(c.getFileName()));
            }
        }
        tableName = "atelier-artifacts-" + UUID.randomUUID().toString().substring(0, 8);
        dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        dynamoDb.createTable(LocalResources.createTableRequest(tableName));
    }

    @AfterAll
    static void cleanUp() {
        if (dynamoDb != null) {
            dynamoDb.deleteTable(r -> r.tableName(tableName));
            dynamoDb.close();
        }
    }

    @Test
    void apiArtifact_shouldAnswerHealth_andRefuseACallWithoutToken() throws Exception {
        // GIVEN the API's artifact; WHEN its handler gets GET /health, then a call without a token
        List<Map<String, Object>> answers = run("api", "dev.atelier.LambdaHandler",
                "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent", Map.of(),
                fixture("apigw-v2-health.json", Map.of()), fixture("apigw-v2-no-token.json", Map.of()));
        // THEN 200, then 401: answered by the application, not by a failed start
        assertThat(answers).extracting(a -> a.get("statusCode")).containsExactly(200, 401);
    }

    @Test
    void apiArtifact_shouldCreateTheFirstAdministrator_fromTheStacksSecret() throws Exception {
        // GIVEN the bootstrap secret the stack makes, and the first-administrator handler of the API's artifact
        String arn;
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            arn = secrets.createSecret(r -> r.name("atelier-artifacts-bootstrap-" + UUID.randomUUID())
                    .secretString("bootstrap-" + UUID.randomUUID())).arn();
        }
        Path event = work.resolve("bootstrap-create.json");
        Files.writeString(event, "{\"RequestType\":\"Create\",\"ResourceProperties\":{}}");

        // WHEN CloudFormation creates the custom resource
        List<Map<String, Object>> answers = run("api", "dev.atelier.identity.BootstrapAdminResource",
                "java.util.Map", Map.of("ATELIER_BOOTSTRAP_SECRET_ARN", arn), event);

        // THEN it answers its resource id, and the administrator is in the table
        assertThat(answers).singleElement().satisfies(a ->
                assertThat(a).containsEntry("PhysicalResourceId", "atelier-bootstrap-admin"));
        assertThat(dynamoDb.scan(r -> r.tableName(tableName).select(Select.COUNT)).count()).isPositive();
    }

    @Test
    void buildsArtifact_shouldAnswerABuildStep_forABuildNoLongerRecorded() throws Exception {
        // GIVEN the build workflow's artifact; WHEN Step Functions starts a build that is not recorded
        List<Map<String, Object>> answers = run("builds", "dev.atelier.BuildStepHandler", "java.util.Map", Map.of(),
                fixture("stepfunctions-build-step-start.json",
                        Map.of("{{SLUG}}", "nowhere", "{{DEFINITION_ID}}", "d-none", "{{BUILD_ID}}", "b-none")));
        // THEN the step answers that the build is gone
        assertThat(answers).singleElement().satisfies(a -> assertThat(a).containsEntry("status", "gone"));
    }

    @Test
    void buildsArtifact_shouldAskAgain_forAnImageStateChangeOfABuildNotRecordedYet() throws Exception {
        // GIVEN the build workflow's artifact; WHEN a state change of one of our images arrives before its build
        List<Map<String, Object>> answers = run("builds", "dev.atelier.BuildEventsHandler", SQS_EVENT, Map.of(),
                fixture("sqs-imagebuilder-state-change.json", Map.of("{{IMAGE_ARN}}",
                        "arn:aws:imagebuilder:us-east-1:123456789012:image/atelier-20260101000000000-0badf00d/1.0.0/1")));
        // THEN that message is reported as a batch item failure, to come again
        assertThat(answers).singleElement().satisfies(a -> assertThat(failures(a))
                .containsExactly("059f36b4-87a3-44ab-83d2-661975830a7d"));
    }

    @Test
    void workstationsArtifact_shouldTakeAStateChange_ofAnInstanceItDoesNotKnow() throws Exception {
        // GIVEN the workstation worker's artifact; WHEN EC2 reports a state change of an instance not ours
        List<Map<String, Object>> answers = run("workstations", "dev.atelier.WorkstationEventsHandler", SQS_EVENT,
                Map.of(), fixture("sqs-ec2-instance-state-change.json", Map.of("{{INSTANCE_ID}}", "i-0123456789abcdef0")));
        // THEN the batch is done with: no item failure
        assertThat(answers).singleElement().satisfies(a -> assertThat(failures(a)).isEmpty());
    }

    @Test
    void apiArtifact_shouldCarryNoEc2Module() throws IOException {
        // GIVEN the API's artifact; WHEN its entries are listed; THEN none is of the EC2 module
        try (ZipFile jar = new ZipFile(artifact("api").toFile())) {
            assertThat(jar.stream().map(e -> e.getName()))
                    .noneMatch(name -> name.startsWith("software/amazon/awssdk/services/ec2/"));
        }
    }

    @Test
    void everyArtifact_shouldStayUnder50MiB() throws IOException {
        // GIVEN the three Lambda artifacts; WHEN measured; THEN each is under Lambda's 50 MiB upload
        for (String classifier : List.of("api", "builds", "workstations")) {
            assertThat(Files.size(artifact(classifier)) / MIB).as(classifier).isLessThan(50.0);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A sample event of events/, its placeholders filled, written to a file of its own. */
    private static Path fixture(String name, Map<String, String> fill) throws IOException {
        String text = ApiGatewayEvents.read(name);
        for (Map.Entry<String, String> e : fill.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        Path file = work.resolve(UUID.randomUUID() + "-" + name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static Path artifact(String classifier) throws IOException {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(Path.of("target"), "functions-*-" + classifier + ".jar")) {
            for (Path p : found) {
                return p;
            }
        }
        throw new IllegalStateException("No " + classifier + " artifact in target/: run mvn package first");
    }

    /** Runs the probe on one artifact in a fresh JVM; the answers, one per event, in order. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> run(String classifier, String handler, String inputClass,
                                                 Map<String, String> env, Path... events) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", artifact(classifier).toAbsolutePath() + java.io.File.pathSeparator + probeClasses,
                HandlerProbe.class.getName(), handler, inputClass));
        for (Path e : events) {
            command.add(e.toString());
        }
        Path log = work.resolve(classifier + "-" + handler.substring(handler.lastIndexOf('.') + 1) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("MICRONAUT_ENVIRONMENTS");
        builder.environment().put("ATELIER_TABLE_NAME", tableName);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(handler + " on the " + classifier + " artifact did not answer within 120 s:\n"
                    + Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(handler + " on the " + classifier + " artifact:\n" + output).isZero();
        List<Map<String, Object>> answers = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("ANSWER ")) {
                answers.add(JSON.readValue(line.substring("ANSWER ".length()), Map.class));
            }
        }
        assertThat(answers).as(output).hasSize(events.length);
        return answers;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> failures(Map<String, Object> batchResponse) {
        Object failures = batchResponse.get("batchItemFailures");
        return failures == null ? List.of() : ((List<Map<String, Object>>) failures).stream()
                .map(f -> f.get("itemIdentifier")).toList();
    }
}
