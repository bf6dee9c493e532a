package dev.atelier.identity;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atelier.testing.DynamoDbRequests;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.atelier.testing.Workspaces.unique;
import static dev.atelier.testing.ApiAssertions.assertInvalidField;
import static dev.atelier.testing.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The caller's own access tokens: create, list, revoke — over real HTTP. */
class TokenApiTest {

    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Map<String, Object> create(String token, String name, int days) {
        HttpResponse<String> response = app.send("POST", "/api/v1/me/tokens", token,
                Json.write(Map.of("name", name, "expiresInDays", days)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.object(response.body());
    }

    private static List<String[]> routes() {
        return List.of(new String[]{"POST", "/api/v1/me/tokens", "{\"name\":\"n\",\"expiresInDays\":1}"},
                new String[]{"GET", "/api/v1/me/tokens", null},
                new String[]{"DELETE", "/api/v1/me/tokens/" + UUID.randomUUID(), null});
    }

    // --- who may ---------------------------------------------------------------------------

    @Test
    void everyRoute_shouldAnswer401_withoutAToken_orWithAnExpiredOne() {
        String expired = app.issueToken("someone", "someone@example.com", Instant.now().minusSeconds(1));
        for (String[] route : routes()) {
            assertProblem(app.send(route[0], route[1], null, route[2]), 401);
            assertProblem(app.send(route[0], route[1], expired, route[2]), 401);
        }
    }

    @Test
    void everyRoute_shouldAnswer401_withARevokedToken() {
        RunningApp.TestUser user = app.newUser(unique("revoked") + "@example.com");
        Map<String, Object> token = create(user.token(), "soon revoked", 1);
        assertThat(app.send("DELETE", "/api/v1/me/tokens/" + token.get("id"), user.token(), null).statusCode())
                .isEqualTo(204);
        for (String[] route : routes()) {
            assertProblem(app.send(route[0], route[1], token.get("token").toString(), route[2]), 401);
        }
    }

    // --- create and list -------------------------------------------------------------------

    @Test
    void create_shouldIssueAWorkingTokenOfTheCaller() {
        RunningApp.TestUser user = app.newUser(unique("own") + "@example.com");
        Map<String, Object> token = create(user.token(), "cli", 30);

        assertThat(token).containsOnlyKeys("id", "name", "token", "expiresAt").containsEntry("name", "cli");
        Map<String, Object> me = Json.object(app.send("GET", "/api/v1/me", token.get("token").toString(), null).body());
        assertThat(me).containsEntry("id", user.id()).containsEntry("email", user.email());
    }

    @Test
    void create_shouldKeepTheSiteAdministratorFlag_onTheNewToken() {
        Map<String, Object> token = create(app.bootstrapToken(), "admin cli", 1);
        assertThat(app.send("GET", "/api/v1/users", token.get("token").toString(), null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{}'|name",
            "'{}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": 0}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": 366}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": -3}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": 2.5}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": null}'|expiresInDays",
            "'{\"name\": \"\", \"expiresInDays\": 1}'|name",
            "'{\"name\": [], \"expiresInDays\": 1}'|name",
            "'{\"name\": \"x\", \"expiresInDays\": 1, \"token\": \"atl_mine\"}'|token",
    })
    void create_shouldAnswer400NamingTheField_andWriteNothing(String body, String field) {
        String user = app.newUserToken(unique("invalid") + "@example.com");
        int before = app.itemCount();
        assertInvalidField(app.send("POST", "/api/v1/me/tokens", user, body), field);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void create_shouldAcceptTheLongestNameAndLifetime_andRefuseLonger() {
        String user = app.newUserToken(unique("limits") + "@example.com");
        create(user, "n".repeat(64), 365);
        assertInvalidField(app.send("POST", "/api/v1/me/tokens", user,
                Json.write(Map.of("name", "n".repeat(65), "expiresInDays", 1))), "name");
    }

    @Test
    void list_shouldShowTheCallersTokens_withoutSecrets() {
        RunningApp.TestUser user = app.newUser(unique("lister") + "@example.com");
        Map<String, Object> first = create(user.token(), "first", 1);
        Map<String, Object> second = create(user.token(), "second", 2);
        RunningApp.TestUser other = app.newUser(unique("other") + "@example.com");
        create(other.token(), "not yours", 1);

        HttpResponse<String> response = app.send("GET", "/api/v1/me/tokens", user.token(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        List<Map<String, Object>> items = Json.items(response.body());
        assertThat(items).extracting(t -> t.get("id")).containsExactlyInAnyOrder(first.get("id"), second.get("id"));
        assertThat(items).allSatisfy(t -> assertThat(t).containsOnlyKeys("id", "name", "createdAt", "expiresAt"));
        assertThat(response.body()).doesNotContain(first.get("token").toString())
                .doesNotContain(TokenSecrets.hash(first.get("token").toString()));
    }

    // --- revoke ----------------------------------------------------------------------------

    @Test
    void revoke_shouldTakeEffectOnTheVeryNextRequest() {
        RunningApp.TestUser user = app.newUser(unique("revoker") + "@example.com");
        Map<String, Object> token = create(user.token(), "to revoke", 1);
        String secret = token.get("token").toString();
        assertThat(app.send("GET", "/api/v1/me", secret, null).statusCode()).isEqualTo(200);

        HttpResponse<String> deleted = app.send("DELETE", "/api/v1/me/tokens/" + token.get("id"), secret, null);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertProblem(app.send("GET", "/api/v1/me", secret, null), 401);
        assertThat(Json.items(app.send("GET", "/api/v1/me/tokens", user.token(), null).body()))
                .extracting(t -> t.get("id")).doesNotContain(token.get("id"));
    }

    @Test
    void revoke_shouldWork_rightAfterTheTokenWasCreated() {
        // Many create-then-delete pairs without pause: the delete must find what was just written.
        String user = app.newUserToken(unique("quick") + "@example.com");
        for (int i = 0; i < 10; i++) {
            Map<String, Object> token = create(user, "quick " + i, 1);
            assertThat(app.send("DELETE", "/api/v1/me/tokens/" + token.get("id"), user, null).statusCode()).isEqualTo(204);
            assertProblem(app.send("GET", "/api/v1/me", token.get("token").toString(), null), 401);
        }
    }

    @Test
    void revoke_shouldAnswer404AndKeepTheToken_whenItIsAnotherUsersToken() {
        RunningApp.TestUser owner = app.newUser(unique("owner") + "@example.com");
        Map<String, Object> token = create(owner.token(), "mine", 1);
        String thief = app.newUserToken(unique("thief") + "@example.com");
        int before = app.itemCount();

        assertProblem(app.send("DELETE", "/api/v1/me/tokens/" + token.get("id"), thief, null), 404);

        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(app.send("GET", "/api/v1/me", token.get("token").toString(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void revoke_shouldAnswer404_forAnUnknownOrAlreadyRevokedToken() {
        String user = app.newUserToken(unique("twice") + "@example.com");
        Map<String, Object> token = create(user, "twice", 1);
        assertThat(app.send("DELETE", "/api/v1/me/tokens/" + token.get("id"), user, null).statusCode()).isEqualTo(204);
        assertProblem(app.send("DELETE", "/api/v1/me/tokens/" + token.get("id"), user, null), 404);
        assertProblem(app.send("DELETE", "/api/v1/me/tokens/" + UUID.randomUUID(), user, null), 404);
    }

    // --- secrets ---------------------------------------------------------------------------

    @Test
    void aCreatedToken_shouldNeverAppearAgain_inAnswersStoredItemsOrLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Level level = root.getLevel();
        root.setLevel(Level.DEBUG);
        List<String> answers = new ArrayList<>();
        String secret;
        try {
            // GIVEN a token created through the API, then used and listed
            RunningApp.TestUser user = app.newUser(unique("secret") + "@example.com");
            Map<String, Object> token = create(user.token(), "secret keeper", 1);
            secret = token.get("token").toString();
            answers.add(app.send("GET", "/api/v1/me", secret, null).body());
            answers.add(app.send("GET", "/api/v1/me/tokens", secret, null).body());
            answers.add(app.send("POST", "/api/v1/workspaces", secret, Json.write(Map.of("name", unique("Secretive")))).body());
            answers.add(app.send("GET", "/api/v1/workspaces", secret, null).body());
            answers.add(app.send("GET", "/api/v1/audit", app.bootstrapToken(), null).body());
            answers.add(app.send("GET", "/api/v1/users", app.bootstrapToken(), null).body());
            answers.add(app.send("DELETE", "/api/v1/me/tokens/" + token.get("id"), secret, null).body());
            answers.add(app.send("GET", "/api/v1/me", secret, null).body());
        } finally {
            root.setLevel(level);
            root.detachAppender(logs);
        }
        // WHEN everything that left the application is read
        String stored = app.context().getBean(DynamoDbClient.class).scan(r -> r.tableName(app.tableName())).items().toString();
        String logged = String.join("\n", logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList());
        String randomPart = secret.substring(secret.indexOf('.') + 1);

        // THEN the secret (and its random part alone) is nowhere
        assertThat(String.join("\n", answers)).doesNotContain(randomPart);
        assertThat(stored).doesNotContain(randomPart);
        assertThat(logged).doesNotContain(randomPart);
    }

    // --- request budget --------------------------------------------------------------------

    @Test
    void everyRoute_shouldStayWithinItsDynamoDbRequestBudget() {
        String user = app.newUserToken(unique("budget") + "@example.com");
        var create = DynamoDbRequests.during(app, () -> app.send("POST", "/api/v1/me/tokens", user,
                "{\"name\":\"b\",\"expiresInDays\":1}"));
        assertThat(create.result().statusCode()).isEqualTo(201);
        assertThat(create.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "TransactWriteItems", 1L));

        var list = DynamoDbRequests.during(app, () -> app.send("GET", "/api/v1/me/tokens", user, null));
        assertThat(list.result().statusCode()).isEqualTo(200);
        assertThat(list.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "Query", 1L));

        String id = Json.object(create.result().body()).get("id").toString();
        var revoke = DynamoDbRequests.during(app, () -> app.send("DELETE", "/api/v1/me/tokens/" + id, user, null));
        assertThat(revoke.result().statusCode()).isEqualTo(204);
        assertThat(revoke.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "GetItem", 1L, "TransactWriteItems", 1L));
    }
}
