package dev.atelier.grant;

import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grants on resources and the effective-permissions preview. The resources' own APIs come
 * later; here the resource items are stored directly in the table, everything else goes
 * through the API.
 */
class GrantApiTest extends AppUnderTest {

    private static String definition(Workspaces.Workspace ws) {
        String id = unique("def");
        app.plantResource(ws.slug(), "definition", id, null);
        return id;
    }

    @Test
    void grants_shouldDecideWhoSeesAndWhoPromotes() {
        // GIVEN a definition, a member with no grant, and a group
        Workspaces.Workspace ws = workspaces.create();
        String def = definition(ws);
        RunningApp.TestUser viewer = workspaces.member(ws);
        RunningApp.TestUser teammate = workspaces.member(ws);
        String groupId = workspaces.group(ws, "Data science", teammate);
        String path = ws.path("/definitions/" + def + "/grants");
        assertThat(app.send("GET", path, viewer.token(), null).statusCode()).isEqualTo(404);

        // WHEN the owner grants viewer to the member and editor to the group
        HttpResponse<String> put = app.send("PUT", path, ws.owner().token(), Json.write(List.of(
                Map.of("principal", "user:" + viewer.id(), "preset", "viewer"),
                Map.of("principal", "group:" + groupId, "levels", List.of("read", "operate")))), "If-Match", "\"0\"");

        // THEN the grants are stored with the group's name, and the member now sees them but cannot change them
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.headers().firstValue("ETag")).hasValue("\"1\"");
        HttpResponse<String> seen = app.send("GET", path, viewer.token(), null);
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(seen.body()).contains("\"groupName\":\"Data science\"").contains("\"levels\":[\"read\",\"operate\"]");
        assertThat(app.send("GET", path, teammate.token(), null).statusCode()).isEqualTo(200);
        assertThat(app.send("PUT", path, viewer.token(), "[]").statusCode()).isEqualTo(403);
        assertThat(app.send("PUT", path, ws.owner().token(), "[]", "If-Match", "\"0\"").statusCode()).isEqualTo(412);
    }

    @Test
    void grants_shouldRefuseUsersWhoAreNotMembers_andUnknownGroups() {
        Workspaces.Workspace ws = workspaces.create();
        String def = definition(ws);
        RunningApp.TestUser stranger = app.newUser(unique("stranger") + "@example.com");
        String path = ws.path("/definitions/" + def + "/grants");

        HttpResponse<String> user = app.send("PUT", path, ws.owner().token(),
                Json.write(List.of(Map.of("principal", "user:" + stranger.id(), "preset", "full"))));
        HttpResponse<String> group = app.send("PUT", path, ws.owner().token(),
                Json.write(List.of(Map.of("principal", "group:no-such-group", "preset", "full"))));

        assertThat(user.statusCode()).isEqualTo(400);
        assertThat(Json.errorFields(user.body())).containsExactly("[0].principal");
        assertThat(group.statusCode()).isEqualTo(400);
        assertThat(Json.errorFields(group.body())).containsExactly("[0].principal");
        assertThat(app.send("GET", path, ws.owner().token(), null).body()).isEqualTo("[]");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{}'|body",
            "'[1]'|[0]",
            "'[{\"preset\": \"full\"}]'|[0].principal",
            "'[{\"principal\": \"root\", \"preset\": \"full\"}]'|[0].principal",
            "'[{\"principal\": \"user:x\"}]'|[0]",
            "'[{\"principal\": \"user:x\", \"preset\": \"full\", \"levels\": [\"read\"]}]'|[0]",
            "'[{\"principal\": \"user:x\", \"preset\": \"god\"}]'|[0].preset",
            "'[{\"principal\": \"user:x\", \"levels\": []}]'|[0].levels",
            "'[{\"principal\": \"user:x\", \"levels\": [\"read\", \"fly\"]}]'|[0].levels[1]",
            "'[{\"principal\": \"user:x\", \"preset\": \"full\", \"until\": 1}]'|[0].until",
            "'[{\"principal\": \"user:x\", \"preset\": \"full\"}, {\"principal\": \"user:x\", \"preset\": \"viewer\"}]'|[1].principal",
    })
    void grants_shouldAnswer400NamingTheField(String body, String field) {
        Workspaces.Workspace ws = workspaces.create();
        HttpResponse<String> response = app.send("PUT", ws.path("/definitions/" + definition(ws) + "/grants"),
                ws.owner().token(), body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.errorFields(response.body())).contains(field);
    }

    @Test
    void grants_shouldAnswer404_forUnknownResourcesAndCollections() {
        Workspaces.Workspace ws = workspaces.create();
        assertThat(app.send("GET", ws.path("/definitions/nope/grants"), ws.owner().token(), null).statusCode())
                .isEqualTo(404);
        assertThat(app.send("GET", ws.path("/planets/" + definition(ws) + "/grants"), ws.owner().token(), null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void effectivePermissions_shouldExplainEveryLevel() {
        // GIVEN a member with a direct viewer grant and an editor grant through a group
        Workspaces.Workspace ws = workspaces.create();
        String def = definition(ws);
        RunningApp.TestUser member = workspaces.member(ws, "logs.view");
        String groupId = workspaces.group(ws, "Platform", member);
        assertThat(app.send("PUT", ws.path("/definitions/" + def + "/grants"), ws.owner().token(), Json.write(List.of(
                Map.of("principal", "user:" + member.id(), "preset", "viewer"),
                Map.of("principal", "group:" + groupId, "preset", "editor")))).statusCode()).isEqualTo(200);

        // WHEN the owner previews the member's, the group's and their own permissions
        Map<String, Object> forMember = effective(ws, "user:" + member.id(), "definition:" + def);
        Map<String, Object> forGroup = effective(ws, "group:" + groupId, "definition:" + def);
        Map<String, Object> forOwner = effective(ws, "user:" + ws.owner().id(), "definition:" + def);

        // THEN each level comes with where it comes from
        assertThat(forMember.get("levels")).isEqualTo(List.of("read", "write", "operate", "access"));
        assertThat(forMember.get("actions")).isEqualTo(List.of("logs.view"));
        assertThat(forMember.get("reasons")).asList().contains(Map.of("level", "read", "source", "grant"),
                Map.of("level", "read", "source", "group:Platform"), Map.of("level", "write", "source", "group:Platform"));
        assertThat(forGroup.get("levels")).isEqualTo(List.of("read", "write", "operate", "access"));
        assertThat(forGroup.get("actions")).isEqualTo(List.of());
        assertThat(forOwner.get("levels")).isEqualTo(List.of("read", "write", "operate", "access", "promote"));
        assertThat(forOwner.get("reasons")).asList().allMatch(r -> ((Map<?, ?>) r).get("source").equals("owner"));
    }

    @Test
    void effectivePermissions_shouldCountTheLauncherOfAWorkstation() {
        Workspaces.Workspace ws = workspaces.create();
        RunningApp.TestUser launcher = workspaces.member(ws);
        String id = unique("ws");
        app.plantResource(ws.slug(), "workstation", id, launcher.id());
        Map<String, Object> result = effective(ws, "user:" + launcher.id(), "workstation:" + id);
        assertThat(result.get("levels")).isEqualTo(List.of("read", "write", "operate", "access", "promote"));
        assertThat(result.get("reasons")).asList().allMatch(r -> ((Map<?, ?>) r).get("source").equals("launcher"));
    }

    @Test
    void effectivePermissions_shouldAnswer400_404_and403() {
        Workspaces.Workspace ws = workspaces.create();
        String def = definition(ws);
        RunningApp.TestUser member = workspaces.member(ws);
        HttpResponse<String> malformed = app.send("GET", ws.path("/effective-permissions?principal=root&resource=x"),
                ws.owner().token(), null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Json.errorFields(malformed.body())).containsExactlyInAnyOrder("principal", "resource");
        assertThat(app.send("GET", ws.path("/effective-permissions?principal=user:nobody&resource=definition:" + def),
                ws.owner().token(), null).statusCode()).isEqualTo(404);
        assertThat(app.send("GET", ws.path("/effective-permissions?principal=user:" + member.id()
                + "&resource=definition:nothing"), ws.owner().token(), null).statusCode()).isEqualTo(404);
        assertThat(app.send("GET", ws.path("/effective-permissions?principal=user:" + member.id()
                + "&resource=definition:" + def), member.token(), null).statusCode()).isEqualTo(403);
    }

    private static Map<String, Object> effective(Workspaces.Workspace ws, String principal, String resource) {
        HttpResponse<String> response = app.send("GET", ws.path("/effective-permissions?principal=" + principal
                + "&resource=" + resource), ws.owner().token(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.object(response.body());
    }
}
