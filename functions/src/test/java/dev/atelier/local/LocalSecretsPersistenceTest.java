package dev.atelier.local;

import dev.atelier.secrets.Secrets;
import dev.atelier.secrets.UnreadableSecretException;
import dev.atelier.settings.AiSettingsItem;
import dev.atelier.store.Keys;
import dev.atelier.testing.Json;
import dev.atelier.testing.LocalEngine;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Locally, a secret stored before a restart can be decrypted after it, though the restarted
 * engine's KMS key is another one (the engine keeps no keys, and cannot be given one).
 */
class LocalSecretsPersistenceTest {

    private static AiSettingsItem stored(RunningApp app, String slug) {
        return app.context().getBean(DynamoDbEnhancedClient.class).table(app.tableName(), AiSettingsItem.SCHEMA)
                .getItem(Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.AI_SETTINGS).build());
    }

    @Test
    void aSecretEncryptedBeforeARestart_shouldDecryptAfterIt() throws Exception {
        // GIVEN an API key stored in a first run
        String apiKey = "sk-restart-" + UUID.randomUUID();
        Map<String, Object> properties;
        String slug;
        String before;
        try (RunningApp first = RunningApp.start()) {
            properties = new HashMap<>(first.properties());
            Workspaces.Team team = new Workspaces(first).team();
            slug = team.slug();
            assertThat(first.send("PUT", "/api/v1/workspaces/" + slug + "/ai-settings", team.owner().token(),
                    Json.write(Map.of("provider", "openai", "model", "gpt", "apiKey", apiKey))).statusCode()).isEqualTo(200);
            before = stored(first, slug).apiKeyCiphertext();
        }
        Path dataDir = Path.of((String) properties.get("atelier.data-dir"));
        Path keyFile = dataDir.resolve("local-secrets.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(dataDir.resolve("snapshot/table.jsonl"))).doesNotContain(apiKey)
                .contains(LocalSecretCarrier.PREFIX);

        // WHEN it starts again on the same data directory with a fresh engine: new table, bucket and KMS key
        Map<String, Object> restarted = new HashMap<>(properties);
        Map<String, Object> fresh = LocalEngine.freshResources();
        restarted.put("atelier.table-name", fresh.get("atelier.table-name"));
        restarted.put("atelier.blob-bucket", fresh.get("atelier.blob-bucket"));
        restarted.put("atelier.kms-key-id", fresh.get("atelier.kms-key-id"));
        try (RunningApp second = RunningApp.start(restarted)) {
            Secrets secrets = second.context().getBean(Secrets.class);
            // THEN the old ciphertext is useless under the new key …
            assertThatThrownBy(() -> secrets.decrypt(before, Secrets.workspaceContext(slug)))
                    .isInstanceOf(UnreadableSecretException.class);
            // … but the restored item holds one that decrypts to the same key
            String after = stored(second, slug).apiKeyCiphertext();
            assertThat(after).isNotEqualTo(before);
            assertThat(secrets.decrypt(after, Secrets.workspaceContext(slug))).isEqualTo(apiKey);
        }
        assertThat(Files.readString(keyFile).strip()).isNotBlank();
    }
}
