package dev.atelier.definition;

import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildLifecycle;
import dev.atelier.imagebuild.BuildService;
import dev.atelier.imagebuild.BuildStore;
import dev.atelier.imagebuild.ImageBuilder;
import dev.atelier.local.LocalImageBuilder;
import dev.atelier.store.Keys;
import dev.atelier.imagebuild.BuildStatus;
import dev.atelier.testing.AppProperties;
import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Image builds of definitions end to end in local mode: the definition's save records a build,
 * the simulator builds it and its state changes come back through EventBridge and SQS.
 */
@AppProperties("atelier.local.image-builder.step-millis=200")
class BuildApiTest extends AppUnderTest {

    @Test
    void create_shouldBuildVersion1_throughEveryStatus_toAnAmi() {
        // GIVEN a workspace WHEN a definition is created
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Box"), "preBuildScript", "echo hi\n"));

        // THEN its current build is pending at once
        Map<String, Object> current = map(d.get("currentBuild"));
        assertThat(current).containsEntry("status", "pending").containsKey("id");

        // AND it walks to available with an AMI, each status recorded in order with its time
        Map<String, Object> build = awaitBuild(ws, d, (String) current.get("id"), b -> "available".equals(b.get("status")));
        assertThat(build).containsEntry("version", 1);
        assertThat(build.get("failureReason")).isNull();
        assertThat((String) build.get("amiId")).matches("ami-[0-9a-f]{17}");
        List<Map<String, Object>> history = history(build);
        assertThat(history).extracting(h -> h.get("status"))
                .containsExactly("pending", "building", "testing", "distributing", "available");
        List<Instant> times = history.stream().map(h -> Instant.parse((String) h.get("at"))).toList();
        assertThat(times).isSorted();
        assertThat(times.get(4)).isAfter(times.get(1));
        assertThat(Instant.parse((String) build.get("startedAt"))).isBeforeOrEqualTo(Instant.parse((String) build.get("finishedAt")));
        // AND the definition shows it, from its own item, as its current build and current image
        Map<String, Object> after = definition(ws, d);
        assertThat(map(after.get("currentBuild"))).containsEntry("id", current.get("id"))
                .containsEntry("status", "available").containsEntry("version", 1);
        assertThat(map(after.get("currentImage"))).containsEntry("buildId", current.get("id"))
                .containsEntry("version", 1).containsEntry("amiId", build.get("amiId")).containsKey("availableAt");
        assertThat(map(build.get("amis"))).containsExactly(Map.entry("us-east-1", build.get("amiId")));
        // AND its log can be read where the build says
        assertThat((String) build.get("logUrl")).isEqualTo(ws.path("/definitions/" + d.get("id") + "/builds/"
                + current.get("id") + "/log"));
        HttpResponse<String> log = app.send("GET", (String) build.get("logUrl"), ws.owner().token(), null);
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(log.body()).startsWith("==> simulator.log <==\n").contains("PENDING").contains("BUILDING")
                .contains("AVAILABLE (" + build.get("amiId") + ")");
    }

    @Test
    void currentImage_shouldStayOnTheLastGoodBuild_whenANewerVersionFails() {
        // GIVEN version 1 built
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Steady")));
        String first = (String) map(d.get("currentBuild")).get("id");
        Map<String, Object> good = awaitBuild(ws, d, first, b -> "available".equals(b.get("status")));

        // WHEN version 2 fails to build
        HttpResponse<String> put = app.send("PUT", ws.path("/definitions/" + d.get("id")), ws.owner().token(),
                Json.write(Map.of("displayName", unique("Steady"), "preBuildScript", LocalImageBuilder.FAIL_MARKER + "\n")),
                "If-Match", "\"1\"");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String second = (String) map(Json.object(put.body()).get("currentBuild")).get("id");
        awaitBuild(ws, d, second, b -> "failed".equals(b.get("status")));

        // THEN the current build is the failed v2, the current image still v1's
        Map<String, Object> after = definition(ws, d);
        assertThat(map(after.get("currentBuild"))).containsEntry("id", second).containsEntry("status", "failed")
                .containsEntry("version", 2);
        assertThat(map(after.get("currentImage"))).containsEntry("buildId", first).containsEntry("version", 1)
                .containsEntry("amiId", good.get("amiId"));
    }

    @Test
    void record_shouldNeverMoveAnEndedBuild_norMoveBackwards() {
        // GIVEN a build that has become available
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Settled")));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        Map<String, Object> done = awaitBuild(ws, d, buildId, b -> "available".equals(b.get("status")));
        String imageArn = storedBuild(ws, (String) d.get("id"), buildId).get("imageArn").s();
        BuildLifecycle builds = app.context().getBean(BuildLifecycle.class);

        // WHEN changes arrive again, late and out of order
        assertThat(builds.record(imageArn, ImageBuilder.Status.TESTING, null)).isTrue();
        assertThat(builds.record(imageArn, ImageBuilder.Status.AVAILABLE, null)).isTrue();
        assertThat(builds.record(imageArn, ImageBuilder.Status.FAILED, "late failure")).isTrue();

        // THEN the build is exactly as it was (its log link is signed afresh on each read); a
        // change for an unknown image is left for later
        assertThat(withoutLogUrl(builds(ws, d).get(0))).isEqualTo(withoutLogUrl(done));
        assertThat(builds.record(imageArn + "-unknown", ImageBuilder.Status.BUILDING, null)).isFalse();
    }

    @Test
    void failMarker_shouldEndTheBuildFailed_withAReason_andCleanUp() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Broken"),
                "preBuildScript", "set -e\n" + LocalImageBuilder.FAIL_MARKER + "\nexit 1\n"));
        String buildId = (String) map(d.get("currentBuild")).get("id");

        Map<String, Object> build = awaitBuild(ws, d, buildId, b -> "failed".equals(b.get("status")));

        assertThat((String) build.get("failureReason")).contains("pre-build");
        assertThat(build.get("amiId")).isNull();
        assertThat(build.get("finishedAt")).isNotNull();
        assertThat(history(build)).extracting(h -> h.get("status")).containsExactly("pending", "building", "failed");
        assertThat(map(definition(ws, d).get("currentBuild"))).containsEntry("status", "failed");
        // AND what the simulator made for it is gone
        String imageArn = storedBuild(ws, (String) d.get("id"), buildId).get("imageArn").s();
        ImageBuilder imageBuilder = app.context().getBean(ImageBuilder.class);
        assertThatThrownBy(() -> imageBuilder.status(imageArn)).isInstanceOf(ImageBuilder.UnknownImageException.class);
    }

    @Test
    void cancel_shouldEndTheBuildCancelled_andThenAnswer409() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Doomed")));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        String cancel = ws.path("/definitions/" + d.get("id") + "/builds/" + buildId + "/cancel");

        HttpResponse<String> response = app.send("POST", cancel, ws.owner().token(), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Map<String, Object> build = awaitBuild(ws, d, buildId, b -> "cancelled".equals(b.get("status")));
        assertThat(build.get("amiId")).isNull();
        assertThat(build.get("finishedAt")).isNotNull();
        assertThat(app.send("POST", cancel, ws.owner().token(), null).statusCode()).isEqualTo(409);
        assertThat(app.send("POST", ws.path("/definitions/" + d.get("id") + "/builds/no-such-build/cancel"),
                ws.owner().token(), null).statusCode()).isEqualTo(404);
        assertThat(map(definition(ws, d).get("currentBuild"))).containsEntry("status", "cancelled");
    }

    @Test
    void cancel_shouldAnswerTheBuildCancelled_whenImageBuilderNoLongerKnowsItsImage() {
        // GIVEN a build recorded as building whose image Image Builder does not know (any more)
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Forgotten")));
        awaitBuild(ws, d, (String) map(d.get("currentBuild")).get("id"), b -> "available".equals(b.get("status")));
        BuildItem pending = app.context().getBean(BuildService.class).newBuild(ws.slug(), (String) d.get("id"), 1,
                ws.owner().id());
        BuildItem building = new BuildItem(pending.slug(), pending.definitionId(), pending.id(), 1, BuildStatus.BUILDING,
                List.of(new BuildItem.HistoryEntry("pending", pending.requestedAt()),
                        new BuildItem.HistoryEntry("building", pending.requestedAt())),
                pending.requestedBy(), pending.requestedAt(), pending.requestedAt(), null, null,
                "arn:aws:imagebuilder:us-east-1:000000000000:image/forgotten-" + pending.id() + "/1.0.0/1",
                null, null, Map.of());
        app.context().getBean(DynamoDbClient.class).putItem(r -> r.tableName(app.tableName()).item(building.toItem()));

        // WHEN it is cancelled
        HttpResponse<String> response = app.send("POST", ws.path("/definitions/" + d.get("id") + "/builds/"
                + building.id() + "/cancel"), ws.owner().token(), null);

        // THEN the answer is the build as it now stands, cancelled, and so is the stored build
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Json.object(response.body())).containsEntry("status", "cancelled").containsKey("finishedAt");
        assertThat(app.context().getBean(BuildStore.class).read(ws.slug(), (String) d.get("id"), building.id())
                .status()).isEqualTo(BuildStatus.CANCELLED);
    }

    @Test
    void put_shouldMakeVersion2_withANewCurrentBuild_andRebuildAnother() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Evolving")));
        String first = (String) map(d.get("currentBuild")).get("id");
        awaitBuild(ws, d, first, b -> "available".equals(b.get("status")));

        HttpResponse<String> put = app.send("PUT", ws.path("/definitions/" + d.get("id")), ws.owner().token(),
                Json.write(Map.of("displayName", unique("Evolving"), "memoryGb", 16)), "If-Match", "\"1\"");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Map<String, Object> v2 = Json.object(put.body());
        assertThat(v2).containsEntry("version", 2);
        String second = (String) map(v2.get("currentBuild")).get("id");
        assertThat(second).isNotEqualTo(first);
        Map<String, Object> build = awaitBuild(ws, d, second, b -> "available".equals(b.get("status")));
        assertThat(build).containsEntry("version", 2);

        // AND a rebuild makes a third build of version 2; the list shows them newest first
        HttpResponse<String> rebuild = app.send("POST", ws.path("/definitions/" + d.get("id") + "/builds"),
                ws.owner().token(), null);
        assertThat(rebuild.statusCode()).as(rebuild.body()).isEqualTo(202);
        String third = (String) Json.object(rebuild.body()).get("id");
        awaitBuild(ws, d, third, b -> "available".equals(b.get("status")));
        assertThat(builds(ws, d)).extracting(b -> b.get("id")).containsExactly(third, second, first);
        assertThat(builds(ws, d)).extracting(b -> b.get("version")).containsExactly(2, 2, 1);
        assertThat(map(definition(ws, d).get("currentBuild"))).containsEntry("id", third);
        assertThat(map(definition(ws, d).get("currentImage"))).containsEntry("buildId", third).containsEntry("version", 2);
    }

    @Test
    void baseImage_shouldBeTheParentOfTheBuild_andABaseImageWithoutAmiFailsTheBuild() {
        // GIVEN a workspace image with an AMI, and one without
        Workspaces.Workspace ws = workspaces.create();
        String withAmi = "img-" + unique("a").toLowerCase();
        String withoutAmi = "img-" + unique("b").toLowerCase();
        app.plantResource(ws.slug(), "image", withAmi, null);
        app.plantResource(ws.slug(), "image", withoutAmi, null);
        app.context().getBean(DynamoDbClient.class).updateItem(r -> r.tableName(app.tableName())
                .key(Map.of("PK", AttributeValue.fromS(Keys.workspace(ws.slug())),
                        "SK", AttributeValue.fromS(Keys.resource("image", withAmi))))
                .updateExpression("SET amiId = :a").expressionAttributeValues(Map.of(":a",
                        AttributeValue.fromS("ami-0a1b2c3d4e5f60718"))));

        // WHEN definitions build on each
        Map<String, Object> good = create(ws, Map.of("displayName", unique("On top"), "baseImage", "image:" + withAmi));
        Map<String, Object> bad = create(ws, Map.of("displayName", unique("On nothing"), "baseImage", "image:" + withoutAmi));

        // THEN the first is built from that AMI (the build log names its parent image)
        Map<String, Object> built = awaitBuild(ws, good, (String) map(good.get("currentBuild")).get("id"),
                b -> "available".equals(b.get("status")));
        assertThat(app.send("GET", (String) built.get("logUrl"), ws.owner().token(), null).body())
                .contains("parent image ami-0a1b2c3d4e5f60718");
        // AND the second fails, saying why
        Map<String, Object> failed = awaitBuild(ws, bad, (String) map(bad.get("currentBuild")).get("id"),
                b -> "failed".equals(b.get("status")));
        assertThat((String) failed.get("failureReason")).contains(withoutAmi).contains("no machine image");
    }

    @Test
    void delete_shouldCancelTheDefinitionsBuildInProgress() {
        // GIVEN a definition whose build has started
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Short-lived")));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        awaitBuild(ws, d, buildId, b -> List.of("building", "testing").contains(b.get("status")));

        // WHEN the definition is deleted
        HttpResponse<String> deleted = app.send("DELETE", ws.path("/definitions/" + d.get("id")), ws.owner().token(), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

        // THEN its build ends cancelled instead of producing an image nobody asked for any more
        BuildStore builds = app.context().getBean(BuildStore.class);
        String status = Eventually.until(Duration.ofSeconds(10),
                () -> builds.read(ws.slug(), (String) d.get("id"), buildId).status(), BuildStatus::ended,
                "the end of build " + buildId).wireName();
        assertThat(status).isEqualTo("cancelled");
    }

    @Test
    void promote_shouldMakeAnEarlierAvailableBuildTheCurrentImage_andNeedPromote() {
        // GIVEN two available versions, and a viewer
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser viewer = workspaces.member(ws);
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Rollback"), "grants", List.of(
                Map.of("principal", "user:" + viewer.id(), "preset", "viewer"))));
        String first = (String) map(d.get("currentBuild")).get("id");
        Map<String, Object> v1 = awaitBuild(ws, d, first, b -> "available".equals(b.get("status")));
        HttpResponse<String> put = app.send("PUT", ws.path("/definitions/" + d.get("id")), ws.owner().token(),
                Json.write(Map.of("displayName", unique("Rollback"), "memoryGb", 4)), "If-Match", "\"1\"");
        String second = (String) map(Json.object(put.body()).get("currentBuild")).get("id");
        awaitBuild(ws, d, second, b -> "available".equals(b.get("status")));
        assertThat(map(definition(ws, d).get("currentImage"))).containsEntry("buildId", second);
        String promote = ws.path("/definitions/" + d.get("id") + "/builds/" + first + "/promote");

        // WHEN the viewer tries, THEN 403; WHEN the owner promotes v1's build
        assertThat(app.send("POST", promote, viewer.token(), null).statusCode()).isEqualTo(403);
        HttpResponse<String> promoted = app.send("POST", promote, ws.owner().token(), null);

        // THEN v1's image is current again (the definition's own version unchanged), and audited
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(map(Json.object(promoted.body()).get("currentImage"))).containsEntry("buildId", first)
                .containsEntry("version", 1).containsEntry("amiId", v1.get("amiId"));
        Map<String, Object> after = definition(ws, d);
        assertThat(after).containsEntry("version", 2);
        assertThat(map(after.get("currentImage"))).containsEntry("buildId", first).containsEntry("amiId", v1.get("amiId"));
        assertThat(app.send("GET", ws.path("/audit"), ws.owner().token(), null).body()).contains("definition.promote");
        // AND a build that is not available cannot be promoted; an unknown one is 404
        HttpResponse<String> rebuild = app.send("POST", ws.path("/definitions/" + d.get("id") + "/builds"),
                ws.owner().token(), null);
        String pending = (String) Json.object(rebuild.body()).get("id");
        assertThat(app.send("POST", ws.path("/definitions/" + d.get("id") + "/builds/" + pending + "/promote"),
                ws.owner().token(), null).statusCode()).isEqualTo(409);
        assertThat(app.send("POST", ws.path("/definitions/" + d.get("id") + "/builds/nope/promote"),
                ws.owner().token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void log_shouldNeedReadAndTheViewLogsAction_andBeEmptyBeforeTheBuildStarts() {
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser reader = workspaces.member(ws);
        RunningApp.TestUser logReader = workspaces.member(ws, "logs.view");
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Logged"), "grants", List.of(
                Map.of("principal", "user:" + reader.id(), "preset", "viewer"),
                Map.of("principal", "user:" + logReader.id(), "preset", "viewer"))));
        String buildId = (String) map(d.get("currentBuild")).get("id");
        Map<String, Object> build = awaitBuild(ws, d, buildId, b -> "available".equals(b.get("status")));
        String log = (String) build.get("logUrl");

        assertThat(app.send("GET", log, logReader.token(), null).body()).contains("AVAILABLE");
        HttpResponse<String> refused = app.send("GET", log, reader.token(), null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("logs.view");
        assertThat(app.send("GET", ws.path("/definitions/" + d.get("id") + "/builds/nope/log"), ws.owner().token(), null)
                .statusCode()).isEqualTo(404);
        // A build not started yet has no log address, and an empty log
        String pending = storedPendingBuild(ws, (String) d.get("id"));
        HttpResponse<String> empty = app.send("GET", ws.path("/definitions/" + d.get("id") + "/builds/" + pending + "/log"),
                ws.owner().token(), null);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void builds_shouldNeedReadToList_andOperateToRebuild() {
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser viewer = workspaces.member(ws);
        Map<String, Object> d = create(ws, Map.of("displayName", unique("Guarded"), "grants", List.of(
                Map.of("principal", "user:" + viewer.id(), "preset", "viewer"))));
        String base = ws.path("/definitions/" + d.get("id") + "/builds");
        RunningApp.TestUser stranger = workspaces.member(ws);

        assertThat(app.send("GET", base, viewer.token(), null).statusCode()).isEqualTo(200);
        assertThat(app.send("POST", base, viewer.token(), null).statusCode()).isEqualTo(403);
        assertThat(app.send("GET", base, stranger.token(), null).statusCode()).isEqualTo(404);
    }

    // --- helpers ------------------------------------------------------------------------

    private static Map<String, Object> create(Workspaces.Workspace ws, Map<String, ?> body) {
        HttpResponse<String> response = app.send("POST", ws.path("/definitions"), ws.owner().token(), Json.write(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.object(response.body());
    }

    private static Map<String, Object> withoutLogUrl(Map<String, Object> build) {
        Map<String, Object> copy = new java.util.HashMap<>(build);
        assertThat(copy.remove("logUrl")).isNotNull();
        return copy;
    }


    /** A pending build planted beside the definition's own (as one waiting for its start). */
    private static String storedPendingBuild(Workspaces.Workspace ws, String definitionId) {
        dev.atelier.imagebuild.BuildItem pending = app.context().getBean(BuildService.class)
                .newBuild(ws.slug(), definitionId, 1, ws.owner().id());
        app.context().getBean(DynamoDbClient.class).putItem(r -> r.tableName(app.tableName()).item(pending.toItem()));
        return pending.id();
    }

    private static Map<String, Object> definition(Workspaces.Workspace ws, Map<String, Object> d) {
        return Json.object(app.send("GET", ws.path("/definitions/" + d.get("id")), ws.owner().token(), null).body());
    }

    private static List<Map<String, Object>> builds(Workspaces.Workspace ws, Map<String, Object> d) {
        HttpResponse<String> response = app.send("GET", ws.path("/definitions/" + d.get("id") + "/builds"),
                ws.owner().token(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.items(response.body());
    }

    /** Polls the build list (at most 10 s) until the build matches. */
    private static Map<String, Object> awaitBuild(Workspaces.Workspace ws, Map<String, Object> d, String buildId,
                                                  Predicate<Map<String, Object>> done) {
        return Eventually.until(Duration.ofSeconds(10),
                () -> builds(ws, d).stream().filter(b -> buildId.equals(b.get("id"))).findFirst().orElse(null),
                done, "build " + buildId + " getting there");
    }

    private static Map<String, AttributeValue> storedBuild(Workspaces.Workspace ws, String definitionId, String buildId) {
        return app.context().getBean(DynamoDbClient.class).getItem(r -> r.tableName(app.tableName()).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS(Keys.workspace(ws.slug())),
                        "SK", AttributeValue.fromS(Keys.build(definitionId, buildId))))).item();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> history(Map<String, Object> build) {
        return (List<Map<String, Object>>) build.get("statusHistory");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
