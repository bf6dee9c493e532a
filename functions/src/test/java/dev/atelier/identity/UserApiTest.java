package dev.atelier.identity;

import dev.atelier.store.TableDefinition;
import dev.atelier.testing.DynamoDbRequests;
import dev.atelier.web.Cursors;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.atelier.testing.Workspaces.unique;
import static dev.atelier.testing.ApiAssertions.assertInvalidField;
import static dev.atelier.testing.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Site users, tokens issued by administrators and the site audit log, over real HTTP. */
class UserApiTest {

    private static final List<String[]> ADMIN_ROUTES = List.of(
            new String[]{"POST", "/api/v1/users", "{\"email\":\"x@example.com\",\"displayName\":\"X\"}"},
            new String[]{"GET", "/api/v1/users", null},
            new String[]{"POST", "/api/v1/users/site-admin/tokens", "{\"name\":\"n\",\"expiresInDays\":1}"},
            new String[]{"GET", "/api/v1/audit", null});

    private static RunningApp app;
    private static String admin;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
        admin = app.bootstrapToken();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> createUser(String token, String email, String displayName) {
        return app.send("POST", "/api/v1/users", token, Json.write(Map.of("email", email, "displayName", displayName)));
    }

    // --- who may ---------------------------------------------------------------------------

    @Test
    void adminRoutes_shouldAnswer401_withoutAToken() {
        for (String[] route : ADMIN_ROUTES) {
            HttpResponse<String> response = app.send(route[0], route[1], null, route[2]);
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void adminRoutes_shouldAnswer401_withAnExpiredToken() {
        String expired = app.issueToken(BootstrapAdmin.USER_ID, BootstrapAdmin.EMAIL, Instant.now().minusSeconds(1));
        for (String[] route : ADMIN_ROUTES) {
            assertProblem(app.send(route[0], route[1], expired, route[2]), 401);
        }
    }

    @Test
    void adminRoutes_shouldAnswer401_withARevokedToken() {
        // GIVEN an administrator's token that was revoked
        Map<String, Object> issued = Json.object(app.send("POST", "/api/v1/me/tokens", admin,
                "{\"name\":\"short-lived\",\"expiresInDays\":1}").body());
        String token = issued.get("token").toString();
        String id = issued.get("id").toString();
        assertThat(app.send("DELETE", "/api/v1/me/tokens/" + id, admin, null).statusCode()).isEqualTo(204);
        // WHEN it is used on each route THEN 401
        for (String[] route : ADMIN_ROUTES) {
            assertProblem(app.send(route[0], route[1], token, route[2]), 401);
        }
    }

    @Test
    void adminRoutes_shouldAnswer403AndWriteNothing_forAUserWhoIsNotSiteAdministrator() {
        String user = app.newUserToken(unique("plain") + "@example.com");
        int before = app.itemCount();
        for (String[] route : ADMIN_ROUTES) {
            assertProblem(app.send(route[0], route[1], user, route[2]), 403);
        }
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void create_shouldAnswer403BeforeLookingAtTheBody_forANonAdministrator() {
        String user = app.newUserToken(unique("plain") + "@example.com");
        assertProblem(app.send("POST", "/api/v1/users", user, "{not json"), 403);
    }

    // --- create ----------------------------------------------------------------------------

    @Test
    void create_shouldAnswer201_withTheEmailInLowerCase() {
        String local = unique("Grace.Hopper");
        HttpResponse<String> response = createUser(admin, "  " + local.toUpperCase() + "@Example.COM ", "Grace Hopper");

        assertThat(response.statusCode()).isEqualTo(201);
        Map<String, Object> body = Json.object(response.body());
        assertThat(body).containsOnlyKeys("id", "email", "displayName")
                .containsEntry("email", local.toLowerCase() + "@example.com")
                .containsEntry("displayName", "Grace Hopper");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/users/" + body.get("id"));
    }

    @Test
    void create_shouldAnswer409AndWriteNothing_whenTheEmailExistsInAnyCase() {
        String email = unique("taken") + "@example.com";
        assertThat(createUser(admin, email, "First").statusCode()).isEqualTo(201);
        int before = app.itemCount();

        HttpResponse<String> again = createUser(admin, email.toUpperCase(), "Second");

        assertProblem(again, 409);
        assertThat(Json.errorFields(again.body())).containsExactly("email");
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void create_shouldLetExactlyOneWin_whenManyCreateTheSameEmailAtOnce() throws Exception {
        String email = unique("race") + "@example.com";
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            attempts.add(() -> createUser(admin, email, "Racer").statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(9);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{\"email\": '|body",
            "'[]'|body",
            "'{}'|email",
            "'{}'|displayName",
            "'{\"email\": 7, \"displayName\": \"A\"}'|email",
            "'{\"email\": \"not-an-address\", \"displayName\": \"A\"}'|email",
            "'{\"email\": \"a@b\", \"displayName\": \"A\"}'|email",
            "'{\"email\": \"a b@example.com\", \"displayName\": \"A\"}'|email",
            "'{\"email\": \"a@@example.com\", \"displayName\": \"A\"}'|email",
            "'{\"email\": \"a..b@example.com\", \"displayName\": \"A\"}'|email",
            "'{\"email\": \"a@example.com\", \"displayName\": \"  \"}'|displayName",
            "'{\"email\": \"a@example.com\", \"displayName\": false}'|displayName",
            "'{\"email\": \"a@example.com\", \"displayName\": \"A\", \"siteAdmin\": true}'|siteAdmin",
    })
    void create_shouldAnswer400NamingTheField_andWriteNothing(String body, String field) {
        int before = app.itemCount();
        assertInvalidField(app.send("POST", "/api/v1/users", admin, body), field);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void create_shouldAnswer400_whenTheEmailOrNameIsTooLong() {
        String longEmail = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".com";
        assertThat(longEmail.length()).isGreaterThan(254);
        assertInvalidField(createUser(admin, longEmail, "A"), "email");
        assertInvalidField(createUser(admin, unique("n") + "@example.com", "n".repeat(65)), "displayName");
        assertThat(createUser(admin, unique("n") + "@example.com", "n".repeat(64)).statusCode()).isEqualTo(201);
    }

    @Test
    void create_shouldReplayTheOriginalResult_whenTheIdempotencyKeyAndBodyRepeat() {
        String key = UUID.randomUUID().toString();
        String body = Json.write(Map.of("email", unique("replay") + "@example.com", "displayName", "Replay"));
        HttpResponse<String> first = app.send("POST", "/api/v1/users", admin, body, "Idempotency-Key", key);
        HttpResponse<String> second = app.send("POST", "/api/v1/users", admin, body, "Idempotency-Key", key);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(Json.object(second.body())).isEqualTo(Json.object(first.body()));
    }

    // --- list and audit ----------------------------------------------------------------------

    @Test
    void list_shouldShowEveryUser_inPagesOrderedByEmail() {
        // GIVEN three new users
        String prefix = unique("zz-list");
        List<String> emails = List.of(prefix + "-a@example.com", prefix + "-b@example.com", prefix + "-c@example.com");
        emails.forEach(e -> assertThat(createUser(admin, e, "Listed").statusCode()).isEqualTo(201));

        // WHEN the administrator pages through all users two at a time
        List<Map<String, Object>> seen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = Json.object(app.send("GET", "/api/v1/users?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), admin, null).body());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            assertThat(items.size()).isLessThanOrEqualTo(2);
            seen.addAll(items);
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);

        // THEN every user is there once, ordered by email, with what the directory shows
        List<String> seenEmails = seen.stream().map(u -> (String) u.get("email")).toList();
        assertThat(seenEmails).isSorted().containsAll(emails).contains(BootstrapAdmin.EMAIL).doesNotHaveDuplicates();
        Map<String, Object> one = seen.stream().filter(u -> u.get("email").equals(emails.get(0))).findFirst().orElseThrow();
        assertThat(one).containsOnlyKeys("id", "email", "displayName", "siteAdmin", "createdAt")
                .containsEntry("siteAdmin", false).containsEntry("displayName", "Listed");
        assertThat(seen.stream().filter(u -> u.get("email").equals(BootstrapAdmin.EMAIL)).findFirst().orElseThrow())
                .containsEntry("siteAdmin", true);
    }

    @Test
    void list_shouldAnswer400_forACursorOfAnotherList() {
        // a cursor of the administrator's workspace list: same key attributes, another partition
        String workspacesCursor = Cursors.encode(Map.of(
                TableDefinition.PK, AttributeValue.fromS("WS#x"), TableDefinition.SK, AttributeValue.fromS("MEMBER#x"),
                TableDefinition.GSI1.partitionKey(), AttributeValue.fromS("USER#site-admin"),
                TableDefinition.GSI1.sortKey(), AttributeValue.fromS("WS#x")));
        assertInvalidField(app.send("GET", "/api/v1/users?cursor=" + workspacesCursor, admin, null), "cursor");
        assertInvalidField(app.send("GET", "/api/v1/users?limit=0", admin, null), "limit");
    }

    @Test
    void audit_shouldRecordUserCreation_andTokensIssuedToOthers_withoutSecrets() {
        // GIVEN a user created by the administrator, who then issues them a token
        String email = unique("audited") + "@example.com";
        String id = Json.object(createUser(admin, email, "Audited").body()).get("id").toString();
        String token = Json.object(app.send("POST", "/api/v1/users/" + id + "/tokens", admin,
                "{\"name\":\"ci\",\"expiresInDays\":30}").body()).get("token").toString();

        // WHEN the administrator reads the site's audit log
        HttpResponse<String> response = app.send("GET", "/api/v1/audit?limit=10", admin, null);

        // THEN both changes are there, newest first, and the token's secret is not
        assertThat(response.statusCode()).isEqualTo(200);
        List<Map<String, Object>> entries = Json.items(response.body());
        assertThat(entries.get(0)).containsEntry("action", "token.issue").containsEntry("target", "user:" + id)
                .containsEntry("actor", BootstrapAdmin.USER_ID);
        assertThat(entries.get(1)).containsEntry("action", "user.create").containsEntry("target", "user:" + id);
        assertThat(response.body()).doesNotContain(token).doesNotContain(TokenSecrets.hash(token));
    }

    // --- tokens issued to a user -----------------------------------------------------------

    @Test
    void issueToken_shouldGiveTheUserATokenThatSignsThemIn() {
        String email = unique("issued") + "@example.com";
        String id = Json.object(createUser(admin, email, "Issued").body()).get("id").toString();

        HttpResponse<String> issued = app.send("POST", "/api/v1/users/" + id + "/tokens", admin,
                "{\"name\":\"laptop\",\"expiresInDays\":7}");

        assertThat(issued.statusCode()).isEqualTo(201);
        Map<String, Object> body = Json.object(issued.body());
        assertThat(body).containsOnlyKeys("id", "name", "token", "expiresAt").containsEntry("name", "laptop");
        assertThat(body.get("token").toString()).startsWith(TokenSecrets.PREFIX + id + ".");
        assertThat(Instant.parse(body.get("expiresAt").toString()))
                .isBetween(Instant.now().plusSeconds(7 * 86400 - 60), Instant.now().plusSeconds(7 * 86400 + 60));
        Map<String, Object> me = Json.object(app.send("GET", "/api/v1/me", body.get("token").toString(), null).body());
        assertThat(me).containsEntry("id", id).containsEntry("email", email).containsEntry("siteAdmin", false);
    }

    @Test
    void issueToken_shouldAnswer404AndWriteNothing_forAnUnknownUser() {
        int before = app.itemCount();
        assertProblem(app.send("POST", "/api/v1/users/" + UUID.randomUUID() + "/tokens", admin,
                "{\"name\":\"x\",\"expiresInDays\":1}"), 404);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "'{\"name\": \"x\"}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": 0}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": 366}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": 1.5}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": \"7\"}'|expiresInDays",
            "'{\"name\": \"x\", \"expiresInDays\": 99999999999999999999999}'|expiresInDays",
            "'{\"expiresInDays\": 7}'|name",
            "'{\"name\": \"\", \"expiresInDays\": 7}'|name",
            "'{\"name\": 5, \"expiresInDays\": 7}'|name",
            "'{\"name\": \"x\", \"expiresInDays\": 7, \"userId\": \"u\"}'|userId",
    })
    void issueToken_shouldAnswer400NamingTheField_andWriteNothing(String body, String field) {
        int before = app.itemCount();
        assertInvalidField(app.send("POST", "/api/v1/users/" + BootstrapAdmin.USER_ID + "/tokens", admin, body), field);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    // --- request budget --------------------------------------------------------------------

    @Test
    void everyRoute_shouldStayWithinItsDynamoDbRequestBudget() {
        String email = unique("budget") + "@example.com";
        var create = DynamoDbRequests.during(app, () -> createUser(admin, email, "Budget"));
        assertThat(create.result().statusCode()).isEqualTo(201);
        assertThat(create.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "TransactWriteItems", 1L));

        var createIdempotent = DynamoDbRequests.during(app, () -> app.send("POST", "/api/v1/users", admin,
                Json.write(Map.of("email", unique("budget") + "@example.com", "displayName", "B")),
                "Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(createIdempotent.result().statusCode()).isEqualTo(201);
        assertThat(createIdempotent.total()).isEqualTo(3);

        var list = DynamoDbRequests.during(app, () -> app.send("GET", "/api/v1/users", admin, null));
        assertThat(list.result().statusCode()).isEqualTo(200);
        assertThat(list.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "Query", 1L));

        String id = Json.object(create.result().body()).get("id").toString();
        var issue = DynamoDbRequests.during(app, () -> app.send("POST", "/api/v1/users/" + id + "/tokens", admin,
                "{\"name\":\"b\",\"expiresInDays\":1}"));
        assertThat(issue.result().statusCode()).isEqualTo(201);
        assertThat(issue.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "GetItem", 1L, "TransactWriteItems", 1L));

        var audit = DynamoDbRequests.during(app, () -> app.send("GET", "/api/v1/audit", admin, null));
        assertThat(audit.result().statusCode()).isEqualTo(200);
        assertThat(audit.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "Query", 1L));
    }
}
