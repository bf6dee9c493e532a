package dev.atelier.local;

import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildService;
import dev.atelier.imagebuild.BuildStore;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local workflow beyond the happy path: the time-out's fallback check, and builds a previous
 * run left in progress taken up at start-up.
 */
class LocalBuildPipelineTest {

    @Test
    void timeout_shouldCheckTheBuild_andEndOneStillRunningFailed() {
        // GIVEN builds that take longer than the time-out
        try (RunningApp app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 5000,
                "atelier.local.build-timeout", "1s"))) {
            Workspaces.Workspace ws = new Workspaces(app).create();
            Map<String, Object> d = create(app, ws, unique("Slow box"));
            String buildId = currentBuild(d);

            // THEN once the time-out passes the build ends failed, saying so
            BuildItem build = await(app, ws.slug(), (String) d.get("id"), buildId, b -> b.status().ended());
            assertThat(build.status().wireName()).isEqualTo("failed");
            assertThat(build.failureReason()).contains("did not finish in time");
        }
    }

    @Test
    void restart_shouldTakeUpBuildsLeftInProgress() {
        Map<String, Object> properties;
        String slug;
        String definitionId;
        String started;
        BuildItem pending;
        // GIVEN a run that stops while one build is building and another is still pending
        try (RunningApp first = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 5000))) {
            properties = new HashMap<>(first.properties());
            Workspaces.Workspace ws = new Workspaces(first).create();
            slug = ws.slug();
            Map<String, Object> d = create(first, ws, unique("Interrupted"));
            definitionId = (String) d.get("id");
            started = currentBuild(d);
            await(first, slug, definitionId, started, b -> b.status().wireName().equals("building"));
            pending = first.context().getBean(BuildService.class).newBuild(slug, definitionId, 1, ws.owner().id());
            first.context().getBean(DynamoDbClient.class).putItem(r -> r.tableName(first.tableName()).item(pending.toItem()));
        }

        // WHEN Atelier starts again on the same data
        properties.put("atelier.local.image-builder.step-millis", 150);
        try (RunningApp second = RunningApp.start(properties)) {
            // THEN the build whose image the simulator forgot ends failed, saying why
            BuildItem lost = await(second, slug, definitionId, started, b -> b.status().ended());
            assertThat(lost.status().wireName()).isEqualTo("failed");
            assertThat(lost.failureReason()).contains("no longer knows");
            // AND the pending one is built
            BuildItem resumed = await(second, slug, definitionId, pending.id(), b -> b.status().ended());
            assertThat(resumed.status().wireName()).isEqualTo("available");
            assertThat(resumed.amiId()).matches("ami-[0-9a-f]{17}");
        }
    }

    private static Map<String, Object> create(RunningApp app, Workspaces.Workspace ws, String name) {
        HttpResponse<String> response = app.send("POST", ws.path("/definitions"), ws.owner().token(),
                Json.write(Map.of("displayName", name)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.object(response.body());
    }

    @SuppressWarnings("unchecked")
    private static String currentBuild(Map<String, Object> d) {
        return (String) ((Map<String, Object>) d.get("currentBuild")).get("id");
    }

    private static BuildItem await(RunningApp app, String slug, String definitionId, String buildId,
                                   Predicate<BuildItem> done) {
        BuildStore builds = app.context().getBean(BuildStore.class);
        return Eventually.until(Duration.ofSeconds(20), () -> builds.read(slug, definitionId, buildId), done,
                "build " + buildId + " getting there");
    }
}
