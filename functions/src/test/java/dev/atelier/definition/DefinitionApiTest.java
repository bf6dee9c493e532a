package dev.atelier.definition;

import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.atelier.testing.ApiAssertions.assertInvalidField;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Workstation definitions over real HTTP, against the local AWS engine. */
class DefinitionApiTest extends AppUnderTest {

    private static HttpResponse<String> create(Workspaces.Workspace ws, String token, Map<String, ?> body) {
        return app.send("POST", ws.path("/definitions"), token, Json.write(body));
    }

    private static Map<String, Object> created(Workspaces.Workspace ws, String token, Map<String, ?> body) {
        HttpResponse<String> response = create(ws, token, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.object(response.body());
    }

    @Test
    void create_shouldApplyTheDefaults_andShowItOnlyToThoseWhoMayRead() {
        // GIVEN a member who manages images and one who does not
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser builder = workspaces.member(ws, "images.manage");
        RunningApp.TestUser other = workspaces.member(ws);

        // WHEN the builder creates a definition with only a display name
        HttpResponse<String> response = create(ws, builder.token(), Map.of("displayName", "GPU Research Box"));

        // THEN the defaults apply, the CLI name is derived, and it is version 1
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Map<String, Object> d = Json.object(response.body());
        assertThat(d).containsEntry("cliName", "gpu-research-box").containsEntry("memoryGb", 8).containsEntry("cpuCores", 2)
                .containsEntry("pythonVersion", "3.12").containsEntry("os", "linux").containsEntry("requirements", "")
                .containsEntry("version", 1);
        assertThat(response.headers().firstValue("Location")).hasValue(ws.path("/definitions/" + d.get("id")));
        // AND the creator sees it, the owner sees it, the other member sees neither the list entry nor the item
        assertThat(ids(app.send("GET", ws.path("/definitions"), builder.token(), null))).containsExactly(d.get("id"));
        assertThat(ids(app.send("GET", ws.path("/definitions"), ws.owner().token(), null))).containsExactly(d.get("id"));
        assertThat(ids(app.send("GET", ws.path("/definitions"), other.token(), null))).isEmpty();
        assertThat(app.send("GET", ws.path("/definitions/" + d.get("id")), other.token(), null).statusCode()).isEqualTo(404);
        // AND the creator holds full on it
        assertThat(app.send("GET", ws.path("/effective-permissions?principal=user:" + builder.id() + "&resource=definition:"
                + d.get("id")), ws.owner().token(), null).body()).contains("\"levels\":[\"read\",\"write\",\"operate\",\"access\",\"promote\"]");
    }

    @Test
    void create_shouldNeedImagesManage() {
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser member = workspaces.member(ws);
        assertThat(create(ws, member.token(), Map.of("displayName", "Nope")).statusCode()).isEqualTo(403);
    }

    @Test
    void grants_shouldDecideWhoListsAndEdits() {
        // GIVEN a definition created with a viewer grant to a member and an editor grant to a group
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser viewer = workspaces.member(ws);
        RunningApp.TestUser editor = workspaces.member(ws);
        String group = workspaces.group(ws, "Editors", editor);
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", "Shared", "grants", List.of(
                Map.of("principal", "user:" + viewer.id(), "preset", "viewer"),
                Map.of("principal", "group:" + group, "preset", "editor"))));
        String path = ws.path("/definitions/" + d.get("id"));

        // THEN the viewer lists and reads it but may not edit; the group's member may edit
        assertThat(ids(app.send("GET", ws.path("/definitions"), viewer.token(), null))).containsExactly(d.get("id"));
        assertThat(app.send("PUT", path, viewer.token(), Json.write(Map.of("displayName", "Mine"))).statusCode()).isEqualTo(403);
        HttpResponse<String> edited = app.send("PUT", path, editor.token(), Json.write(Map.of("displayName", "Shared v2",
                "memoryGb", 16)), "If-Match", "\"1\"");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        assertThat(Json.object(edited.body())).containsEntry("version", 2).containsEntry("memoryGb", 16)
                .containsEntry("cliName", "shared-v2");
        assertThat(edited.headers().firstValue("ETag")).hasValue("\"2\"");
    }

    @Test
    void grantsReplaced_shouldChangeWhoListsIt() {
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser member = workspaces.member(ws);
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", unique("Later")));
        assertThat(ids(app.send("GET", ws.path("/definitions"), member.token(), null))).isEmpty();
        assertThat(app.send("PUT", ws.path("/definitions/" + d.get("id") + "/grants"), ws.owner().token(),
                Json.write(List.of(Map.of("principal", "user:" + member.id(), "preset", "viewer")))).statusCode()).isEqualTo(200);
        assertThat(ids(app.send("GET", ws.path("/definitions"), member.token(), null))).containsExactly(d.get("id"));
    }

    @Test
    void update_shouldAnswer412_whenStale_andFreeTheOldCliName() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", "Alpha Box"));
        String path = ws.path("/definitions/" + d.get("id"));
        assertThat(app.send("PUT", path, ws.owner().token(), Json.write(Map.of("displayName", "Beta Box")), "If-Match", "\"1\"")
                .statusCode()).isEqualTo(200);
        assertThat(app.send("PUT", path, ws.owner().token(), Json.write(Map.of("displayName", "Gamma Box")), "If-Match", "\"1\"")
                .statusCode()).isEqualTo(412);
        assertThat(create(ws, ws.owner().token(), Map.of("displayName", "Alpha Box")).statusCode()).isEqualTo(201);
        HttpResponse<String> taken = create(ws, ws.owner().token(), Map.of("displayName", "x y z", "cliName", "beta-box"));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(Json.errorFields(taken.body())).containsExactly("cliName");
    }

    @Test
    void copy_shouldMakeAnEditableCopyOwnedByTheCopier() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", "Original", "memoryGb", 32,
                "requirements", "numpy>=1.26\npandas==2.2.2", "gpu", Map.of("type", "nvidia-t4", "count", 1)));
        HttpResponse<String> copy = app.send("POST", ws.path("/definitions/" + d.get("id") + "/copy"), ws.owner().token(),
                Json.write(Map.of("displayName", "Original (copy)")));
        assertThat(copy.statusCode()).as(copy.body()).isEqualTo(201);
        Map<String, Object> c = Json.object(copy.body());
        assertThat(c.get("id")).isNotEqualTo(d.get("id"));
        assertThat(c).containsEntry("memoryGb", 32).containsEntry("requirements", "numpy>=1.26\npandas==2.2.2")
                .containsEntry("gpu", Map.of("type", "nvidia-t4", "count", 1)).containsEntry("cliName", "original-copy")
                .containsEntry("version", 1);
    }

    @Test
    void delete_shouldRemoveItAndFreeItsName() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", "Short Lived"));
        assertThat(app.send("DELETE", ws.path("/definitions/" + d.get("id")), ws.owner().token(), null).statusCode())
                .isEqualTo(204);
        assertThat(app.send("GET", ws.path("/definitions/" + d.get("id")), ws.owner().token(), null).statusCode())
                .isEqualTo(404);
        assertThat(app.send("GET", ws.path("/definitions/" + d.get("id") + "/grants"), ws.owner().token(), null)
                .statusCode()).isEqualTo(404);
        assertThat(create(ws, ws.owner().token(), Map.of("displayName", "Short Lived")).statusCode()).isEqualTo(201);
    }

    @Test
    void create_shouldReplay_whenTheIdempotencyKeyRepeats() {
        Workspaces.Workspace ws = workspaces.create();
        String key = UUID.randomUUID().toString();
        String body = Json.write(Map.of("displayName", "Once"));
        HttpResponse<String> first = app.send("POST", ws.path("/definitions"), ws.owner().token(), body, "Idempotency-Key", key);
        HttpResponse<String> second = app.send("POST", ws.path("/definitions"), ws.owner().token(), body, "Idempotency-Key", key);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(Json.object(second.body()).get("id")).isEqualTo(Json.object(first.body()).get("id"));
        assertThat(ids(app.send("GET", ws.path("/definitions"), ws.owner().token(), null))).hasSize(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'{}'|displayName",
            "'{\"displayName\": \"\"}'|displayName",
            "'{\"displayName\": \"fine\", \"memoryGb\": 0}'|memoryGb",
            "'{\"displayName\": \"fine\", \"memoryGb\": 2048}'|memoryGb",
            "'{\"displayName\": \"fine\", \"memoryGb\": \"8\"}'|memoryGb",
            "'{\"displayName\": \"fine\", \"memoryGb\": 1.5}'|memoryGb",
            "'{\"displayName\": \"fine\", \"cpuCores\": 193}'|cpuCores",
            "'{\"displayName\": \"fine\", \"pythonVersion\": \"3.9\"}'|pythonVersion",
            "'{\"displayName\": \"fine\", \"pythonVersion\": 3.12}'|pythonVersion",
            "'{\"displayName\": \"fine\", \"requirements\": \"-r other.txt\"}'|requirements",
            "'{\"displayName\": \"fine\", \"requirements\": \"numpy\\n--index-url https://evil\"}'|requirements",
            "'{\"displayName\": \"fine\", \"requirements\": \"git+https://github.com/x/y\"}'|requirements",
            "'{\"displayName\": \"fine\", \"requirements\": \"pkg @ https://x/y.whl\"}'|requirements",
            "'{\"displayName\": \"fine\", \"requirements\": \"../local/pkg\"}'|requirements",
            "'{\"displayName\": \"fine\", \"requirements\": \"numpy >= \"}'|requirements",
            "'{\"displayName\": \"fine\", \"preBuildScript\": \"echo \\u0000\"}'|preBuildScript",
            "'{\"displayName\": \"fine\", \"os\": \"macos\"}'|os",
            "'{\"displayName\": \"fine\", \"gpu\": {\"type\": \"voodoo\", \"count\": 1}}'|gpu.type",
            "'{\"displayName\": \"fine\", \"gpu\": {\"type\": \"nvidia-t4\", \"count\": 9}}'|gpu.count",
            "'{\"displayName\": \"fine\", \"gpu\": \"nvidia-t4\"}'|gpu",
            "'{\"displayName\": \"fine\", \"baseImage\": \"ami-0123\"}'|baseImage",
            "'{\"displayName\": \"fine\", \"baseImage\": \"image:no-such-image\"}'|baseImage",
            "'{\"displayName\": \"fine\", \"cliName\": \"Not Valid\"}'|cliName",
            "'{\"displayName\": \"fine\", \"colour\": \"red\"}'|colour",
            "'{\"displayName\": \"fine\", \"grants\": [{\"principal\": \"root\", \"preset\": \"full\"}]}'|grants[0].principal",
            "'{\"displayName\": \"fine\", \"grants\": [{\"principal\": \"user:nobody\", \"preset\": \"full\"}]}'|grants[0].principal",
    })
    void create_shouldAnswer400NamingTheField(String body, String field) {
        Workspaces.Workspace ws = workspaces.create();
        HttpResponse<String> response = app.send("POST", ws.path("/definitions"), ws.owner().token(), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(Json.errorFields(response.body())).contains(field);
        assertThat(ids(app.send("GET", ws.path("/definitions"), ws.owner().token(), null))).isEmpty();
    }

    @Test
    void create_shouldRefuseScriptsOver64KiB() {
        Workspaces.Workspace ws = workspaces.create();
        HttpResponse<String> response = create(ws, ws.owner().token(), Map.of("displayName", "Big",
                "postBuildScript", "x".repeat(64 * 1024 + 1)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.errorFields(response.body())).containsExactly("postBuildScript");
    }

    @Test
    void update_shouldTakeBackWhatGetAnswered_withOneFieldChanged() {
        // GIVEN a definition whose first build has made its current image, read as GET answers it
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", "Round Trip"));
        String path = ws.path("/definitions/" + d.get("id"));
        Map<String, Object> read = Eventually.until(Duration.ofSeconds(60), () -> read(ws, path),
                r -> r.get("currentImage") != null && "available".equals(((Map<?, ?>) r.get("currentBuild")).get("status")),
                "the first image");

        // WHEN the whole representation is sent back with memoryGb changed (and the image's keys in another order)
        Map<String, Object> body = new LinkedHashMap<>(read);
        body.put("memoryGb", 16);
        body.put("currentImage", reversed((Map<?, ?>) read.get("currentImage")));
        HttpResponse<String> response = app.send("PUT", path, ws.owner().token(), Json.write(body));

        // THEN it is saved as version 2 with the change; the read-only fields sent back were ignored
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.object(response.body())).containsEntry("memoryGb", 16).containsEntry("version", 2)
                .containsEntry("id", d.get("id")).containsEntry("currentImage", read.get("currentImage"));
        assertThat(read(ws, path)).containsEntry("memoryGb", 16).containsEntry("version", 2);
    }

    static Stream<Arguments> changedReadOnlyFields() {
        return Stream.of(
                Arguments.of("id", "someone-elses-id"),
                Arguments.of("currentImage", Map.of("buildId", "forged", "version", 1,
                        "amiId", "ami-0123456789abcdef0", "availableAt", "2026-01-01T00:00:00Z")),
                Arguments.of("etag", "\"99\""),
                Arguments.of("version", 99),
                Arguments.of("createdAt", "2020-01-01T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changedReadOnlyFields")
    void update_shouldAnswer400NamingAReadOnlyField_whenItsValueChanged_andWriteNothing(String field, Object value) {
        // GIVEN a definition read as GET answers it
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", "Fixed Fields"));
        String path = ws.path("/definitions/" + d.get("id"));
        Map<String, Object> body = new LinkedHashMap<>(read(ws, path));

        // WHEN it is sent back with a wanted change and the read-only field changed
        body.put("memoryGb", 16);
        body.put(field, value);
        HttpResponse<String> response = app.send("PUT", path, ws.owner().token(), Json.write(body));

        // THEN 400 names the field as read-only, and the definition is still version 1 as it was
        assertInvalidField(response, field);
        assertThat(Json.errors(response.body())).contains(Map.of("field", field, "message", "is read-only"));
        assertThat(read(ws, path)).containsEntry("version", 1).containsEntry("memoryGb", 8).containsEntry("id", d.get("id"));
    }

    @Test
    void update_shouldAnswer400NamingAnUnknownField_evenAmongFieldsGetAnswered() {
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = created(ws, ws.owner().token(), Map.of("displayName", "Strict"));
        String path = ws.path("/definitions/" + d.get("id"));
        Map<String, Object> body = new LinkedHashMap<>(read(ws, path));
        body.put("colour", "red");

        HttpResponse<String> response = app.send("PUT", path, ws.owner().token(), Json.write(body));

        assertThat(Json.errors(response.body())).contains(Map.of("field", "colour", "message", "unknown field"));
        assertThat(read(ws, path)).containsEntry("version", 1);
    }

    @Test
    void create_shouldStillRefuseReadOnlyFields_asUnknown() {
        Workspaces.Workspace ws = workspaces.create();
        HttpResponse<String> response = create(ws, ws.owner().token(), Map.of("displayName", "Brand New Box", "id", "mine"));
        assertThat(Json.errors(response.body())).containsExactly(Map.of("field", "id", "message", "unknown field"));
    }

    private static Map<String, Object> read(Workspaces.Workspace ws, String path) {
        HttpResponse<String> response = app.send("GET", path, ws.owner().token(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.object(response.body());
    }

    private static Map<Object, Object> reversed(Map<?, ?> map) {
        Map<Object, Object> out = new LinkedHashMap<>();
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        Collections.reverse(entries);
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static List<Object> ids(HttpResponse<String> list) {
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        return Json.items(list.body()).stream().map(d -> d.get("id")).toList();
    }
}
