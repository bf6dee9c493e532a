package dev.atelier.secrets;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atelier.local.LocalSite;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A planted API key must never leave the request that sets it, except as ciphertext: not in an
 * answer, not in the table, not in the local snapshot, not in a log line. Only its last four
 * characters may show.
 */
class SecretsCanaryTest {

    private RunningApp app;
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void start() {
        app = RunningApp.start();
        // Attached after start: the framework configures logging as it starts.
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.atelier")).setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        root().detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.atelier")).setLevel(null);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void aPlantedKey_shouldAppearNowhereButAsItsLastFourCharacters() throws IOException {
        // GIVEN a canary key set through the API, then used by every route around it
        String canary = "sk-canary-" + UUID.randomUUID();
        String last4 = canary.substring(canary.length() - 4);
        Workspaces.Team team = new Workspaces(app).team();
        String path = "/api/v1/workspaces/" + team.slug();
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(app.send("PUT", path + "/ai-settings", team.owner().token(),
                Json.write(Map.of("provider", "openai", "model", "gpt", "apiKey", canary))));
        answers.add(app.send("PUT", path + "/ai-settings", team.owner().token(),
                Json.write(Map.of("provider", "skynet", "model", "gpt", "apiKey", canary))));
        answers.add(app.send("PUT", path + "/ai-settings", team.member().token(),
                Json.write(Map.of("provider", "openai", "model", "gpt", "apiKey", canary))));
        answers.add(app.send("PUT", path + "/ai-settings", team.owner().token(),
                "{\"provider\": \"openai\", \"apiKey\": \"" + canary + "\", \"model\": "));
        answers.add(app.send("PUT", path + "/ai-settings", team.owner().token(),
                Json.write(Map.of("provider", "openai", "model", "gpt-2"))));
        answers.add(app.send("GET", path + "/ai-settings", team.owner().token(), null));
        answers.add(app.send("GET", path, team.owner().token(), null));
        answers.add(app.send("PATCH", path, team.owner().token(), Json.write(Map.of("name", "Canary"))));
        answers.add(app.send("GET", path + "/audit", team.owner().token(), null));
        answers.add(app.send("GET", "/api/v1/workspaces", team.owner().token(), null));
        assertThat(answers.get(0).statusCode()).isEqualTo(200);
        assertThat(Json.object(answers.get(5).body())).containsEntry("apiKeyLast4", last4);

        // THEN no answer holds it (headers included)
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.body()).doesNotContain(canary).doesNotContain(base64(canary));
            assertThat(answer.headers().map().toString()).doesNotContain(canary);
        }
        // AND no stored item holds it, only the ciphertext and the last four characters
        StringBuilder table = new StringBuilder();
        app.context().getBean(DynamoDbClient.class).scanPaginator(r -> r.tableName(app.tableName()))
                .items().forEach(item -> table.append(item).append('\n'));
        assertThat(table).doesNotContain(canary).doesNotContain(base64(canary)).contains(last4);
        // AND the local snapshot does not hold it
        app.context().getBean(LocalSite.class).snapshot().save();
        Path dataDir = Path.of((String) app.properties().get("atelier.data-dir"));
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(content).as(file.toString()).doesNotContain(canary).doesNotContain(base64(canary));
            }
        }
        assertThat(Files.readString(dataDir.resolve("snapshot/table.jsonl"))).contains(last4);
        // AND no log line holds it, up to and including shutdown (which logs where data went)
        app.close();
        app = null;
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            assertThat(line).doesNotContain(canary).doesNotContain(base64(canary));
        }
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
