package dev.atelier.workspace;

import dev.atelier.audit.AuditLog;
import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Json;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** PATCH and DELETE of a workspace over real HTTP, against the local AWS engine. */
@SuppressWarnings("unchecked")
class WorkspaceSettingsApiTest extends AppUnderTest {

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    private static HttpResponse<String> patch(String slug, String token, Object body, String... headers) {
        return app.send("PATCH", "/api/v1/workspaces/" + slug, token, Json.write(body), headers);
    }

    // --- PATCH ----------------------------------------------------------------------------

    @Test
    void get_shouldShowTheDefaultColourAndNoLogo_forANewWorkspace() {
        Workspaces.Team team = workspaces.team();
        HttpResponse<String> read = app.send("GET", "/api/v1/workspaces/" + team.slug(), team.owner().token(), null);
        Map<String, Object> body = Json.object(read.body());
        assertThat(body).containsEntry("primaryColor", "#4f46e5").containsEntry("logo", null)
                .containsEntry("slug", team.slug()).containsEntry("role", "owner").containsKeys("id", "name", "createdAt");
    }

    @Test
    void patch_shouldRenameAndRecolour_andRewriteEveryMembersCopyOfTheName() {
        // GIVEN a workspace with an owner and two members
        Workspaces.Team team = workspaces.team();
        long requestsBefore = app.dynamoDbRequests().total();
        long writesBefore = app.dynamoDbRequests().writes();

        // WHEN the owner renames it and sets a colour in upper case
        HttpResponse<String> response = patch(team.slug(), team.owner().token(),
                Map.of("name", "  Renamed Team  ", "primaryColor", "#A1B2C3"), "If-Match", "\"1\"");

        // THEN the new view, the new ETag, one read of members and one transaction
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.object(response.body())).containsEntry("name", "Renamed Team")
                .containsEntry("primaryColor", "#a1b2c3").containsEntry("role", "owner");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(app.dynamoDbRequests().total() - requestsBefore).isEqualTo(3);
        assertThat(app.dynamoDbRequests().writes() - writesBefore).isEqualTo(1);
        // AND every membership's copy holds the new name, so every member's list shows it
        assertThat(workspaces.members(team.slug())).hasSize(3)
                .allSatisfy(m -> assertThat(m.workspaceName()).isEqualTo("Renamed Team"));
        assertThat(Json.items(app.send("GET", "/api/v1/workspaces", team.member().token(), null).body()))
                .anySatisfy(w -> assertThat(w).containsEntry("slug", team.slug()).containsEntry("name", "Renamed Team"));
        // AND the audit log holds the change with before and after
        AuditLog.Entry entry = workspaces.audit(team.slug()).get(0);
        assertThat(entry.action()).isEqualTo("workspace.update");
        assertThat(entry.actor()).isEqualTo(team.owner().id());
        assertThat((Map<Object, Object>) (Map<?, ?>) entry.before()).containsEntry("name", "Team " + team.slug())
                .containsEntry("primaryColor", "#4f46e5");
        assertThat((Map<Object, Object>) (Map<?, ?>) entry.after()).containsEntry("name", "Renamed Team").containsEntry("primaryColor", "#a1b2c3");
    }

    @Test
    void patch_shouldChangeOnlyTheColour_withoutReadingMembers() {
        Workspaces.Team team = workspaces.team();
        long requestsBefore = app.dynamoDbRequests().total();
        HttpResponse<String> response = patch(team.slug(), team.manager().token(), Map.of("primaryColor", "#00ff00"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.object(response.body())).containsEntry("primaryColor", "#00ff00")
                .containsEntry("name", "Team " + team.slug()).containsEntry("role", "member");
        assertThat(app.dynamoDbRequests().total() - requestsBefore).isEqualTo(2);
    }

    @Test
    void patch_shouldGoBackToTheDefaultColour_whenTheColourIsNull() {
        Workspaces.Team team = workspaces.team();
        patch(team.slug(), team.owner().token(), Map.of("primaryColor", "#123456"));
        HttpResponse<String> response = app.send("PATCH", "/api/v1/workspaces/" + team.slug(), team.owner().token(),
                "{\"primaryColor\": null}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.object(response.body())).containsEntry("primaryColor", "#4f46e5");
    }

    @Test
    void patch_shouldBeAllowedOnlyToOwnersAndSettingsManagers() {
        Workspaces.Team team = workspaces.team();
        String path = "/api/v1/workspaces/" + team.slug();
        String body = Json.write(Map.of("primaryColor", "#111111"));
        int before = app.itemCount();
        assertProblem(app.send("PATCH", path, null, body), 401);
        assertProblem(app.send("PATCH", path, team.outsider().token(), body), 404);
        assertProblem(app.send("PATCH", path, team.member().token(), body), 403);
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(workspaces.workspace(team.slug()).version()).isEqualTo(1);
        assertThat(app.send("PATCH", path, team.manager().token(), body).statusCode()).isEqualTo(200);
        assertThat(app.send("PATCH", path, team.owner().token(), body).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{}'|body",
            "'[]'|body",
            "'{\"name\": null}'|name",
            "'{\"name\": \"   \"}'|name",
            "'{\"name\": 5}'|name",
            "'{\"primaryColor\": \"red\"}'|primaryColor",
            "'{\"primaryColor\": \"#12345\"}'|primaryColor",
            "'{\"primaryColor\": \"#1234567\"}'|primaryColor",
            "'{\"primaryColor\": \"#gggggg\"}'|primaryColor",
            "'{\"primaryColor\": 255}'|primaryColor",
            "'{\"slug\": \"other\"}'|slug",
    })
    void patch_shouldAnswer400NamingTheField_andWriteNothing(String body, String field) {
        Workspaces.Team team = workspaces.team();
        int before = app.itemCount();
        HttpResponse<String> response = app.send("PATCH", "/api/v1/workspaces/" + team.slug(), team.owner().token(), body);
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).contains(field);
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(workspaces.workspace(team.slug()).version()).isEqualTo(1);
    }

    @Test
    void patch_shouldAnswer400_whenTheNameIsTooLong() {
        Workspaces.Team team = workspaces.team();
        HttpResponse<String> response = patch(team.slug(), team.owner().token(), Map.of("name", "n".repeat(65)));
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).containsExactly("name");
    }

    @Test
    void patch_shouldAnswer412AndWriteNothing_whenIfMatchIsStale() {
        Workspaces.Team team = workspaces.team();
        assertThat(patch(team.slug(), team.owner().token(), Map.of("name", "Second")).statusCode()).isEqualTo(200);
        int before = app.itemCount();
        HttpResponse<String> stale = patch(team.slug(), team.owner().token(), Map.of("name", "Third"), "If-Match", "\"1\"");
        assertProblem(stale, 412);
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(workspaces.workspace(team.slug()).name()).isEqualTo("Second");
        assertProblem(patch(team.slug(), team.owner().token(), Map.of("name", "Third"), "If-Match", "garbage"), 412);
    }

    @Test
    void patch_shouldLetExactlyOneWin_whenManyChangeTheSameVersionAtOnce() throws Exception {
        // GIVEN 8 callers who all read version 1
        Workspaces.Team team = workspaces.team();
        List<Callable<HttpResponse<String>>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "Racer " + i;
            attempts.add(() -> patch(team.slug(), team.owner().token(), Map.of("name", name), "If-Match", "\"1\""));
        }
        // WHEN they all PATCH at once
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<HttpResponse<String>> responses = new ArrayList<>();
        try {
            for (Future<HttpResponse<String>> f : pool.invokeAll(attempts)) {
                responses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        // THEN exactly one wins, every other gets 412, and the winner's name is everywhere
        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 412).hasSize(7);
        String winner = (String) Json.object(responses.stream().filter(r -> r.statusCode() == 200).findFirst()
                .orElseThrow().body()).get("name");
        assertThat(workspaces.workspace(team.slug()).name()).isEqualTo(winner);
        assertThat(workspaces.workspace(team.slug()).version()).isEqualTo(2);
        assertThat(workspaces.members(team.slug())).allSatisfy(m -> assertThat(m.workspaceName()).isEqualTo(winner));
        assertThat(workspaces.audit(team.slug()).stream().filter(e -> e.action().equals("workspace.update"))).hasSize(1);
    }

    @Test
    void patch_shouldApplyEveryChange_whenManyChangeWithoutIfMatch() throws Exception {
        // GIVEN 4 callers changing the colour without If-Match
        Workspaces.Team team = workspaces.team();
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String color = "#00000" + i;
            attempts.add(() -> patch(team.slug(), team.owner().token(), Map.of("primaryColor", color)).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        // THEN none is lost: each is applied on the version it finally saw (or told to retry)
        long applied = statuses.stream().filter(s -> s == 200).count();
        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        assertThat(workspaces.workspace(team.slug()).version()).isEqualTo(1 + applied);
        assertThat(workspaces.audit(team.slug()).stream().filter(e -> e.action().equals("workspace.update")))
                .hasSize((int) applied);
    }

    // --- DELETE ---------------------------------------------------------------------------

    @Test
    void delete_shouldBeAllowedOnlyToTheOwner() {
        Workspaces.Team team = workspaces.team();
        String path = "/api/v1/workspaces/" + team.slug();
        int before = app.itemCount();
        assertProblem(app.send("DELETE", path, null, null), 401);
        assertProblem(app.send("DELETE", path, team.outsider().token(), null), 404);
        assertProblem(app.send("DELETE", path, team.member().token(), null), 403);
        assertProblem(app.send("DELETE", path, team.manager().token(), null), 403);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void delete_shouldRemoveTheWorkspaceMembersSettingsAndLogo_andKeepTheAuditLog() {
        // GIVEN a workspace with members, AI settings and a logo
        Workspaces.Team team = workspaces.team();
        String path = "/api/v1/workspaces/" + team.slug();
        assertThat(app.send("PUT", path + "/ai-settings", team.owner().token(),
                Json.write(Map.of("provider", "anthropic", "model", "claude"))).statusCode()).isEqualTo(200);
        assertThat(app.sendBytes("PUT", path + "/logo", team.owner().token(), LogoApiTest.PNG, "image/png")
                .statusCode()).isEqualTo(204);
        long requestsBefore = app.dynamoDbRequests().total();
        long writesBefore = app.dynamoDbRequests().writes();

        // WHEN the owner deletes it
        HttpResponse<String> response = app.send("DELETE", path, team.owner().token(), null);

        // THEN 204 and nothing of it is left but its audit log, which ends with the deletion
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        // authentication, the partition, the invitations, the transaction, the sweep after it
        assertThat(app.dynamoDbRequests().total() - requestsBefore).isEqualTo(5);
        assertThat(app.dynamoDbRequests().writes() - writesBefore).isEqualTo(1);
        var left = app.context().getBean(DynamoDbClient.class).query(r -> r.tableName(app.tableName())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("WS#" + team.slug()))));
        assertThat(left.items()).isEmpty();
        String bucket = (String) app.properties().get("atelier.blob-bucket");
        assertThat(app.context().getBean(S3Client.class).listObjectsV2(r -> r.bucket(bucket)
                .prefix("logos/" + team.slug() + "/")).contents()).isEmpty();
        assertThat(workspaces.audit(team.slug()).get(0).action()).isEqualTo("workspace.delete");
        assertProblem(app.send("GET", path, team.owner().token(), null), 404);
        assertThat(Json.items(app.send("GET", "/api/v1/workspaces", team.member().token(), null).body()))
                .noneSatisfy(w -> assertThat(w).containsEntry("slug", team.slug()));
    }

    @Test
    void delete_shouldAnswer412_whenIfMatchIsStale() {
        Workspaces.Team team = workspaces.team();
        patch(team.slug(), team.owner().token(), Map.of("name", "Changed"));
        int before = app.itemCount();
        assertProblem(app.send("DELETE", "/api/v1/workspaces/" + team.slug(), team.owner().token(), null,
                "If-Match", "\"1\""), 412);
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(app.send("DELETE", "/api/v1/workspaces/" + team.slug(), team.owner().token(), null,
                "If-Match", "\"2\"").statusCode()).isEqualTo(204);
    }

    @Test
    void slug_shouldBeFreeAgain_afterDeletion() {
        Workspaces.Team team = workspaces.team();
        assertThat(app.send("DELETE", "/api/v1/workspaces/" + team.slug(), team.owner().token(), null).statusCode())
                .isEqualTo(204);
        HttpResponse<String> again = app.send("POST", "/api/v1/workspaces", team.member().token(),
                Json.write(Map.of("name", "Again", "slug", team.slug())));
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(unique("x")).isNotBlank();
    }

    @Test
    void auditLog_shouldSurviveDeletion_butNotShowToALaterWorkspaceWithTheSameSlug() {
        // GIVEN a workspace that was changed, then deleted
        Workspaces.Team team = workspaces.team();
        patch(team.slug(), team.owner().token(), Map.of("name", "Secret Project Name"));
        assertThat(app.send("DELETE", "/api/v1/workspaces/" + team.slug(), team.owner().token(), null).statusCode())
                .isEqualTo(204);
        // WHEN someone else creates a workspace with the same slug and reads its audit log
        assertThat(app.send("POST", "/api/v1/workspaces", team.outsider().token(),
                Json.write(Map.of("name", "New", "slug", team.slug()))).statusCode()).isEqualTo(201);
        HttpResponse<String> log = app.send("GET", "/api/v1/workspaces/" + team.slug() + "/audit",
                team.outsider().token(), null);
        // THEN they see only their own workspace's history; the old log is still stored
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(Json.items(log.body())).extracting(e -> e.get("action")).containsExactly("workspace.create");
        assertThat(log.body()).doesNotContain("Secret Project Name");
        assertThat(workspaces.audit(team.slug())).extracting(AuditLog.Entry::action)
                .contains("workspace.delete", "workspace.update");
    }

    @Test
    void requestBudget_shouldHoldForEveryNewRoute() {
        // Reads ≤ 2 and writes ≤ 3 per call, authentication included (docs/access-patterns.md).
        Workspaces.Team team = workspaces.team();
        String path = "/api/v1/workspaces/" + team.slug();
        record Cost(long reads, long writes) { }
        java.util.function.Supplier<long[]> now = () -> new long[]{app.dynamoDbRequests().total(),
                app.dynamoDbRequests().writes()};
        java.util.function.Function<Runnable, Cost> measure = call -> {
            long[] before = now.get();
            call.run();
            long[] after = now.get();
            long writes = after[1] - before[1];
            return new Cost(after[0] - before[0] - writes, writes);
        };
        String owner = team.owner().token();
        Map<String, Cost> costs = new java.util.LinkedHashMap<>();
        costs.put("PATCH name", measure.apply(() -> patch(team.slug(), owner, Map.of("name", "Budget"))));
        costs.put("PATCH colour", measure.apply(() -> patch(team.slug(), owner, Map.of("primaryColor", "#abcdef"))));
        costs.put("PUT logo", measure.apply(() -> app.sendBytes("PUT", path + "/logo", owner, LogoApiTest.PNG, "image/png")));
        costs.put("GET logo", measure.apply(() -> app.sendBytes("GET", path + "/logo", owner, null, null)));
        costs.put("DELETE logo", measure.apply(() -> app.sendBytes("DELETE", path + "/logo", owner, null, null)));
        costs.put("PUT ai-settings", measure.apply(() -> app.send("PUT", path + "/ai-settings", owner,
                Json.write(Map.of("provider", "openai", "model", "m", "apiKey", "sk-budget-1234")))));
        costs.put("GET ai-settings", measure.apply(() -> app.send("GET", path + "/ai-settings", owner, null)));
        costs.put("GET workspace", measure.apply(() -> app.send("GET", path, owner, null)));
        costs.put("DELETE workspace", measure.apply(() -> app.send("DELETE", path, owner, null)));
        // Deleting a workspace is the one route above the budget (docs/access-patterns.md): it
        // reads the partition, the invitations and the partition again after its transaction.
        assertThat(costs.remove("DELETE workspace")).isEqualTo(new Cost(4, 1));
        assertThat(costs).allSatisfy((route, cost) -> {
            assertThat(cost.reads()).as(route + " reads").isLessThanOrEqualTo(2);
            assertThat(cost.writes()).as(route + " writes").isLessThanOrEqualTo(3);
        });
        assertThat(costs).containsEntry("PATCH name", new Cost(2, 1)).containsEntry("PATCH colour", new Cost(1, 1))
                .containsEntry("PUT logo", new Cost(1, 1)).containsEntry("GET logo", new Cost(1, 0))
                .containsEntry("DELETE logo", new Cost(1, 1)).containsEntry("PUT ai-settings", new Cost(2, 1))
                .containsEntry("GET ai-settings", new Cost(2, 0));
    }
}
