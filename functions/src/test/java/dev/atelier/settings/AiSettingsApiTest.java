package dev.atelier.settings;

import dev.atelier.secrets.Secrets;
import dev.atelier.store.Keys;
import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Json;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A workspace's AI settings over real HTTP, against the local AWS engine (KMS included). */
class AiSettingsApiTest extends AppUnderTest {

    private static String path(String slug) {
        return "/api/v1/workspaces/" + slug + "/ai-settings";
    }

    private static HttpResponse<String> put(String slug, String token, Map<String, Object> body, String... headers) {
        return app.send("PUT", path(slug), token, Json.write(body), headers);
    }

    private static AiSettingsItem stored(String slug) {
        return app.context().getBean(DynamoDbEnhancedClient.class).table(app.tableName(), AiSettingsItem.SCHEMA)
                .getItem(Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.AI_SETTINGS).build());
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void get_shouldAnswerEmptySettings_whenNeverSet() {
        Workspaces.Team team = workspaces.team();
        HttpResponse<String> response = app.send("GET", path(team.slug()), team.owner().token(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = Json.object(response.body());
        assertThat(body).containsEntry("provider", null).containsEntry("model", null).containsEntry("baseUrl", null)
                .containsEntry("apiKeySet", false).containsEntry("apiKeyLast4", null);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"0\"");
    }

    @Test
    void put_shouldStoreTheKeyEncrypted_andShowOnlyItsLastFourCharacters() {
        // GIVEN a workspace
        Workspaces.Team team = workspaces.team();
        long requestsBefore = app.dynamoDbRequests().total();
        long writesBefore = app.dynamoDbRequests().writes();

        // WHEN a settings manager sets provider, model and key
        HttpResponse<String> response = put(team.slug(), team.manager().token(),
                Map.of("provider", "anthropic", "model", "claude-sonnet", "apiKey", "sk-ant-secret-7890"));

        // THEN the answer shows the settings, that a key is set, and its last four characters only
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.object(response.body())).containsEntry("provider", "anthropic")
                .containsEntry("model", "claude-sonnet").containsEntry("baseUrl", null)
                .containsEntry("apiKeySet", true).containsEntry("apiKeyLast4", "7890");
        assertThat(response.body()).doesNotContain("sk-ant-secret");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"1\"");
        // AND it cost 2 reads (facts, settings) and 1 write
        assertThat(app.dynamoDbRequests().total() - requestsBefore).isEqualTo(3);
        assertThat(app.dynamoDbRequests().writes() - writesBefore).isEqualTo(1);
        // AND the table holds ciphertext that decrypts only with this workspace's context
        AiSettingsItem item = stored(team.slug());
        assertThat(item.apiKeyCiphertext()).doesNotContain("secret");
        Secrets secrets = app.context().getBean(Secrets.class);
        assertThat(secrets.decrypt(item.apiKeyCiphertext(), Secrets.workspaceContext(team.slug())))
                .isEqualTo("sk-ant-secret-7890");
        // AND the owner reads the same view; the audit entry never holds the key
        assertThat(Json.object(app.send("GET", path(team.slug()), team.owner().token(), null).body()))
                .containsEntry("apiKeyLast4", "7890");
        var entry = workspaces.audit(team.slug()).get(0);
        assertThat(entry.action()).isEqualTo("workspace.ai-settings.update");
        assertThat(Json.write(entry)).doesNotContain("sk-ant-secret").doesNotContain(item.apiKeyCiphertext());
    }

    @Test
    void put_shouldKeepTheKey_whenOmitted_andClearIt_whenNull() {
        Workspaces.Team team = workspaces.team();
        put(team.slug(), team.owner().token(), Map.of("provider", "openai", "model", "gpt", "apiKey", "sk-openai-1234"));
        String ciphertext = stored(team.slug()).apiKeyCiphertext();

        HttpResponse<String> kept = put(team.slug(), team.owner().token(), Map.of("provider", "openai", "model", "gpt-2"));
        assertThat(Json.object(kept.body())).containsEntry("apiKeySet", true).containsEntry("apiKeyLast4", "1234")
                .containsEntry("model", "gpt-2");
        assertThat(stored(team.slug()).apiKeyCiphertext()).isEqualTo(ciphertext);

        Map<String, Object> clear = new HashMap<>(Map.of("provider", "openai", "model", "gpt-2"));
        clear.put("apiKey", null);
        HttpResponse<String> cleared = put(team.slug(), team.owner().token(), clear);
        assertThat(Json.object(cleared.body())).containsEntry("apiKeySet", false).containsEntry("apiKeyLast4", null);
        assertThat(stored(team.slug()).apiKeyCiphertext()).isNull();
    }

    @Test
    void put_shouldRefuseToCarryAStoredKeyToAnotherAddress() {
        // GIVEN a key stored for a custom endpoint
        Workspaces.Team team = workspaces.team();
        put(team.slug(), team.owner().token(), Map.of("provider", "custom", "model", "m",
                "baseUrl", "https://llm.example.com/v1", "apiKey", "sk-custom-abcd"));
        int before = app.itemCount();
        // WHEN someone points the settings elsewhere without resending the key THEN 400 naming apiKey
        HttpResponse<String> moved = put(team.slug(), team.manager().token(), Map.of("provider", "custom", "model", "m",
                "baseUrl", "https://attacker.example.net/v1"));
        assertProblem(moved, 400);
        assertThat(Json.errorFields(moved.body())).containsExactly("apiKey");
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(stored(team.slug()).baseUrl()).isEqualTo("https://llm.example.com/v1");
    }

    @Test
    void routes_shouldAnswerEachKindOfCaller() {
        Workspaces.Team team = workspaces.team();
        String body = Json.write(Map.of("provider", "groq", "model", "llama"));
        int before = app.itemCount();
        assertProblem(app.send("PUT", path(team.slug()), null, body), 401);
        assertProblem(app.send("GET", path(team.slug()), null, null), 401);
        assertProblem(app.send("PUT", path(team.slug()), team.outsider().token(), body), 404);
        assertProblem(app.send("GET", path(team.slug()), team.outsider().token(), null), 404);
        assertProblem(app.send("PUT", path(team.slug()), team.member().token(), body), 403);
        assertProblem(app.send("GET", path(team.slug()), team.member().token(), null), 403);
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(app.send("PUT", path(team.slug()), team.manager().token(), body).statusCode()).isEqualTo(200);
        assertThat(app.send("GET", path(team.slug()), team.manager().token(), null).statusCode()).isEqualTo(200);
        assertThat(app.send("PUT", path(team.slug()), team.owner().token(), body).statusCode()).isEqualTo(200);
        assertThat(app.send("GET", path(team.slug()), team.owner().token(), null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{\"model\": \"m\"}'|provider",
            "'{\"provider\": \"skynet\", \"model\": \"m\"}'|provider",
            "'{\"provider\": 3, \"model\": \"m\"}'|provider",
            "'{\"provider\": \"openai\"}'|model",
            "'{\"provider\": \"openai\", \"model\": \"\"}'|model",
            "'{\"provider\": \"ollama\", \"model\": \"m\"}'|baseUrl",
            "'{\"provider\": \"custom\", \"model\": \"m\", \"baseUrl\": \"ftp://x.example\"}'|baseUrl",
            "'{\"provider\": \"custom\", \"model\": \"m\", \"baseUrl\": \"/relative\"}'|baseUrl",
            "'{\"provider\": \"custom\", \"model\": \"m\", \"baseUrl\": \"https://user:pw@x.example\"}'|baseUrl",
            "'{\"provider\": \"custom\", \"model\": \"m\", \"baseUrl\": \"javascript:alert(1)\"}'|baseUrl",
            "'{\"provider\": \"openai\", \"model\": \"m\", \"baseUrl\": \"https://x.example\"}'|baseUrl",
            "'{\"provider\": \"openai\", \"model\": \"m\", \"apiKey\": \"short\"}'|apiKey",
            "'{\"provider\": \"openai\", \"model\": \"m\", \"apiKey\": 12345678}'|apiKey",
            "'{\"provider\": \"openai\", \"model\": \"m\", \"apiKey\": \"has space inside\"}'|apiKey",
            "'{\"provider\": \"openai\", \"model\": \"m\", \"temperature\": 1}'|temperature",
    })
    void put_shouldAnswer400NamingTheField_andWriteNothing(String body, String field) {
        Workspaces.Team team = workspaces.team();
        int before = app.itemCount();
        HttpResponse<String> response = app.send("PUT", path(team.slug()), team.owner().token(), body);
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).contains(field);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void put_shouldAcceptAnOllamaAddressOnTheLocalMachine() {
        Workspaces.Team team = workspaces.team();
        HttpResponse<String> response = put(team.slug(), team.owner().token(), Map.of("provider", "ollama",
                "model", "llama3", "baseUrl", "http://localhost:11434"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.object(response.body())).containsEntry("baseUrl", "http://localhost:11434")
                .containsEntry("apiKeySet", false);
    }

    @Test
    void put_shouldAnswer412_whenIfMatchIsStale() {
        Workspaces.Team team = workspaces.team();
        put(team.slug(), team.owner().token(), Map.of("provider", "groq", "model", "a"));
        int before = app.itemCount();
        assertProblem(put(team.slug(), team.owner().token(), Map.of("provider", "groq", "model", "b"),
                "If-Match", "\"0\""), 412);
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(put(team.slug(), team.owner().token(), Map.of("provider", "groq", "model", "b"),
                "If-Match", "\"1\"").statusCode()).isEqualTo(200);
    }
}
