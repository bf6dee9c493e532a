package dev.atelier.identity;

import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BootstrapAdminTest {

    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void ensure_shouldRevokeThePreviousToken_whenTheBootstrapTokenChanges() {
        // GIVEN the site administrator signed in with the configured token
        String old = app.bootstrapToken();
        assertThat(app.send("GET", "/api/v1/me", old, null).statusCode()).isEqualTo(200);

        // WHEN the bootstrap token is changed (as by a new ATELIER_BOOTSTRAP_TOKEN)
        String replacement = TokenSecrets.newSecret(BootstrapAdmin.USER_ID);
        app.context().getBean(BootstrapAdmin.class).ensure(replacement);

        // THEN the new token works and the old one answers 401
        assertThat(app.send("GET", "/api/v1/me", replacement, null).statusCode()).isEqualTo(200);
        assertThat(app.send("GET", "/api/v1/me", old, null).statusCode()).isEqualTo(401);
        app.context().getBean(BootstrapAdmin.class).ensure(old);
    }

    @Test
    void ensure_shouldRefuseATooShortToken() {
        assertThatThrownBy(() -> app.context().getBean(BootstrapAdmin.class).ensure("short"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void me_shouldDescribeTheSiteAdministrator() {
        var response = app.send("GET", "/api/v1/me", app.bootstrapToken(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"siteAdmin\":true").contains("\"workspaces\":[");
    }

    @Test
    void storedItems_shouldNeverHoldATokenInPlainText() {
        // GIVEN a token in use
        String token = app.bootstrapToken();
        app.send("POST", "/api/v1/workspaces", token, "{\"name\":\"Secret Keeping\"}");
        // WHEN every stored item and the local snapshot are read
        String everything = app.context().getBean(DynamoDbClient.class)
                .scan(r -> r.tableName(app.tableName())).items().toString();
        // THEN the secret is nowhere, only its hash
        assertThat(everything).doesNotContain(token).contains(TokenSecrets.hash(token));
    }

    @Test
    void firstStart_shouldGenerateAndKeepATokenReadableOnlyByItsOwner_whenNoneIsConfigured() throws Exception {
        // GIVEN no ATELIER_BOOTSTRAP_TOKEN
        Map<String, Object> properties = new HashMap<>();
        properties.put("atelier.bootstrap-token", "");
        Path dataDir = Files.createTempDirectory("atelier-first-start");
        properties.put("atelier.data-dir", dataDir.toString());
        String generated;
        // WHEN the site starts THEN the generated token is saved with owner-only permissions and works
        try (RunningApp fresh = RunningApp.start(properties)) {
            Path file = dataDir.resolve("bootstrap-token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            generated = Files.readString(file).strip();
            assertThat(generated).startsWith(TokenSecrets.PREFIX);
            assertThat(fresh.send("GET", "/api/v1/me", generated, null).statusCode()).isEqualTo(200);
        }
        // AND a second start keeps the same token
        properties.putAll(Map.of("atelier.data-dir", dataDir.toString()));
        try (RunningApp again = RunningApp.start(properties)) {
            assertThat(Files.readString(dataDir.resolve("bootstrap-token")).strip()).isEqualTo(generated);
        }
    }
}
