package dev.atelier.workspace;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
import static org.assertj.core.api.Assertions.assertThat;

/** The workspaces API over real HTTP, against the local AWS engine. */
class WorkspaceApiTest {

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

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        Map<String, Object> problem = Json.object(response.body());
        assertThat(problem).containsKeys("type", "title", "status", "detail");
        assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
    }

    // --- authentication -------------------------------------------------------------------

    @ParameterizedTest(name = "Authorization: [{0}]")
    @ValueSource(strings = {"", "Bearer", "Bearer short", "Basic YWRtaW46YWRtaW4=",
            "Bearer atl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Bearer atl_with space inside it"})
    void everyApiRoute_shouldAnswer401_whenTheTokenIsMissingOrInvalid(String authorization) {
        for (String[] route : List.of(new String[]{"GET", "/api/v1/workspaces"}, new String[]{"POST", "/api/v1/workspaces"},
                new String[]{"GET", "/api/v1/workspaces/some-team"}, new String[]{"GET", "/api/v1/me"})) {
            HttpResponse<String> response = authorization.isEmpty()
                    ? app.send(route[0], route[1], null, route[0].equals("POST") ? "{\"name\":\"x y z\"}" : null)
                    : app.send(route[0], route[1], null, route[0].equals("POST") ? "{\"name\":\"x y z\"}" : null,
                    "Authorization", authorization);
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void token_shouldBeRefused_whenExpired() {
        // GIVEN a token that expired a second ago
        String expired = app.issueToken("someone", "someone@example.com", Instant.now().minusSeconds(1));
        // WHEN it is used THEN 401, saying it expired
        HttpResponse<String> response = app.send("GET", "/api/v1/workspaces", expired, null);
        assertProblem(response, 401);
        assertThat(Json.object(response.body()).get("detail").toString()).contains("expired");
    }

    @Test
    void health_shouldAnswerWithoutToken() {
        HttpResponse<String> response = app.send("GET", "/health", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.object(response.body())).containsEntry("status", "ok");
    }

    // --- create ---------------------------------------------------------------------------

    @Test
    void create_shouldDeriveTheSlugFromTheName_andMakeTheCreatorOwner() {
        String name = unique("Research Lab");
        HttpResponse<String> created = app.send("POST", "/api/v1/workspaces", admin, Json.write(Map.of("name", name)));

        assertThat(created.statusCode()).isEqualTo(201);
        Map<String, Object> body = Json.object(created.body());
        String slug = Slug.derive(name);
        assertThat(body).containsEntry("name", name).containsEntry("slug", slug).containsEntry("role", "owner");
        assertThat(body.get("id").toString()).isNotBlank();
        assertThat(Instant.parse(body.get("createdAt").toString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/workspaces/" + slug);

        HttpResponse<String> read = app.send("GET", "/api/v1/workspaces/" + slug, admin, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Json.object(read.body())).containsEntry("id", body.get("id")).containsEntry("role", "owner");
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");
    }

    @Test
    void create_shouldUseTheGivenSlug() {
        String slug = unique("given");
        HttpResponse<String> created = app.send("POST", "/api/v1/workspaces", admin,
                Json.write(Map.of("name", "Anything At All", "slug", slug)));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(Json.object(created.body())).containsEntry("slug", slug);
    }

    @Test
    void create_shouldAnswer409AndWriteNothing_whenTheSlugIsTaken() {
        // GIVEN a workspace owned by the administrator
        String slug = unique("taken");
        assertThat(app.send("POST", "/api/v1/workspaces", admin, Json.write(Map.of("name", "First", "slug", slug)))
                .statusCode()).isEqualTo(201);
        String other = app.newUserToken(unique("other") + "@example.com");
        int before = app.itemCount();

        // WHEN another user asks for the same slug
        HttpResponse<String> response = app.send("POST", "/api/v1/workspaces", other,
                Json.write(Map.of("name", "Second", "slug", slug)));

        // THEN 409 naming the slug, and no membership or workspace was written for them
        assertProblem(response, 409);
        assertThat(Json.errorFields(response.body())).containsExactly("slug");
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(Json.items(app.send("GET", "/api/v1/workspaces", other, null).body())).isEmpty();
        assertProblem(app.send("GET", "/api/v1/workspaces/" + slug, other, null), 404);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{\"name\": '|body",
            "'[1,2]'|body",
            "'\"just a string\"'|body",
            "'{}'|name",
            "'{\"name\": null}'|name",
            "'{\"name\": 42}'|name",
            "'{\"name\": {\"a\": 1}}'|name",
            "'{\"name\": \"   \"}'|name",
            "'{\"name\": \"ok name\", \"slug\": 7}'|slug",
            "'{\"name\": \"ok name\", \"slug\": \"Not Valid\"}'|slug",
            "'{\"name\": \"ok name\", \"slug\": \"ab\"}'|slug",
            "'{\"name\": \"ok name\", \"slug\": \"api\"}'|slug",
            "'{\"name\": \"ok name\", \"slug\": \"double--dash\"}'|slug",
            "'{\"name\": \"!!\"}'|slug",
            "'{\"name\": \"ok name\", \"owner\": \"me\"}'|owner",
    })
    void create_shouldAnswer400NamingTheField_andWriteNothing(String body, String field) {
        int before = app.itemCount();
        HttpResponse<String> response = app.send("POST", "/api/v1/workspaces", admin, body);
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).contains(field);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void create_shouldAnswer400_whenTheNameIsTooLong() {
        HttpResponse<String> response = app.send("POST", "/api/v1/workspaces", admin,
                Json.write(Map.of("name", "n".repeat(65))));
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).containsExactly("name");
    }

    @Test
    void create_shouldAnswer415_whenTheBodyIsNotJson() {
        HttpResponse<String> response = app.send("POST", "/api/v1/workspaces", admin, null,
                "Content-Type", "text/plain");
        assertProblem(response, 415);
    }

    @Test
    void create_shouldLetExactlyOneWin_whenManyAskForTheSameSlugAtOnce() throws Exception {
        // GIVEN 12 users racing for one slug
        String slug = unique("race");
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String token = app.newUserToken(unique("racer") + "@example.com");
            attempts.add(() -> app.send("POST", "/api/v1/workspaces", token,
                    Json.write(Map.of("name", "Race", "slug", slug))).statusCode());
        }
        // WHEN they all create at once
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        // THEN exactly one created it and every other got 409
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(11);
    }

    // --- idempotency ----------------------------------------------------------------------

    @Test
    void create_shouldReplayTheOriginalResult_whenTheIdempotencyKeyAndBodyRepeat() {
        String key = UUID.randomUUID().toString();
        String body = Json.write(Map.of("name", unique("Replay Team")));
        HttpResponse<String> first = app.send("POST", "/api/v1/workspaces", admin, body, "Idempotency-Key", key);
        HttpResponse<String> second = app.send("POST", "/api/v1/workspaces", admin, body, "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(Json.object(second.body())).isEqualTo(Json.object(first.body()));
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
    }

    @Test
    void create_shouldAnswer422_whenTheIdempotencyKeyIsReusedForAnotherBody() {
        String key = UUID.randomUUID().toString();
        assertThat(app.send("POST", "/api/v1/workspaces", admin, Json.write(Map.of("name", unique("One"))),
                "Idempotency-Key", key).statusCode()).isEqualTo(201);
        int before = app.itemCount();
        HttpResponse<String> reuse = app.send("POST", "/api/v1/workspaces", admin,
                Json.write(Map.of("name", unique("Two"))), "Idempotency-Key", key);
        assertProblem(reuse, 422);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void create_shouldAnswer400_whenTheIdempotencyKeyIsInvalid() {
        HttpResponse<String> response = app.send("POST", "/api/v1/workspaces", admin,
                Json.write(Map.of("name", unique("Key Test"))), "Idempotency-Key", "x".repeat(256));
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).containsExactly("Idempotency-Key");
    }

    // --- list and read --------------------------------------------------------------------

    @Test
    void list_shouldShowOnlyTheCallersWorkspaces_inPages() {
        // GIVEN a user with three workspaces, and another user with one
        String alice = app.newUserToken(unique("alice") + "@example.com");
        String bob = app.newUserToken(unique("bob") + "@example.com");
        List<String> slugs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String slug = unique("alice-" + i);
            slugs.add(slug);
            assertThat(app.send("POST", "/api/v1/workspaces", alice, Json.write(Map.of("name", "A", "slug", slug)))
                    .statusCode()).isEqualTo(201);
        }
        String bobs = unique("bob");
        assertThat(app.send("POST", "/api/v1/workspaces", bob, Json.write(Map.of("name", "B", "slug", bobs)))
                .statusCode()).isEqualTo(201);

        // WHEN alice lists two at a time
        Map<String, Object> first = Json.object(app.send("GET", "/api/v1/workspaces?limit=2", alice, null).body());
        String cursor = (String) first.get("nextCursor");
        Map<String, Object> second = Json.object(app.send("GET", "/api/v1/workspaces?limit=2&cursor=" + cursor,
                alice, null).body());

        // THEN she sees exactly her three, in slug order, and the last page has no cursor
        List<String> seen = new ArrayList<>();
        for (Map<String, Object> page : List.of(first, second)) {
            ((List<?>) page.get("items")).forEach(item -> seen.add((String) ((Map<?, ?>) item).get("slug")));
        }
        assertThat(cursor).isNotBlank();
        assertThat(seen).containsExactlyElementsOf(slugs.stream().sorted().toList());
        assertThat(second.get("nextCursor")).isNull();
        // AND bob's cursor cannot page through alice's list
        HttpResponse<String> stolen = app.send("GET", "/api/v1/workspaces?limit=2&cursor=" + cursor, bob, null);
        assertProblem(stolen, 400);
        assertThat(Json.errorFields(stolen.body())).containsExactly("cursor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=abc", "limit=-1", "cursor=not-a-cursor", "cursor=%25%25"})
    void list_shouldAnswer400_whenPagingParametersAreInvalid(String query) {
        HttpResponse<String> response = app.send("GET", "/api/v1/workspaces?" + query, admin, null);
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).containsExactly(query.substring(0, query.indexOf('=')));
    }

    @Test
    void get_shouldAnswer404_alikeForMissingAndForeignWorkspaces() {
        // GIVEN a workspace of the administrator and a user who is not a member
        String slug = unique("private");
        app.send("POST", "/api/v1/workspaces", admin, Json.write(Map.of("name", "Private", "slug", slug)));
        String outsider = app.newUserToken(unique("outsider") + "@example.com");

        HttpResponse<String> foreign = app.send("GET", "/api/v1/workspaces/" + slug, outsider, null);
        HttpResponse<String> missing = app.send("GET", "/api/v1/workspaces/" + unique("nothing"), outsider, null);
        HttpResponse<String> invalid = app.send("GET", "/api/v1/workspaces/NOT_A_SLUG", outsider, null);

        assertProblem(foreign, 404);
        assertProblem(missing, 404);
        assertProblem(invalid, 404);
        assertThat(foreign.body()).doesNotContain("Private");
    }

    // --- routing --------------------------------------------------------------------------

    @Test
    void unknownRoute_shouldAnswer404ProblemJson() {
        assertProblem(app.send("GET", "/api/v1/no-such-thing", admin, null), 404);
    }

    @Test
    void wrongMethod_shouldAnswer405ProblemJson() {
        assertProblem(app.send("DELETE", "/api/v1/workspaces", admin, null), 405);
        assertProblem(app.send("PUT", "/api/v1/me", admin, "{}"), 405);
    }
}
