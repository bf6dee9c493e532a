package dev.atelier;

import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Json;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every PUT and PATCH takes back the representation its GET answered: read-only fields sent
 * back unchanged are ignored, a read-only field with another value is refused (400 naming it,
 * nothing written), a field the representation does not have is refused as unknown.
 * Definitions, whose read-only fields move with their builds, are covered in DefinitionApiTest.
 */
class RoundTripApiTest extends AppUnderTest {

    /**
     * One route and the edits tried on what its GET answered; paths name fields as problem
     * documents do ({@code name}, {@code [0].levels}).
     */
    record Target(String read, String method, String write, String changed, Object newValue,
                  String readOnly, Object forged, String unknown) { }

    /** A route, and how to make a workspace ready for it. */
    record Route(String name, BiFunction<Workspaces, Workspaces.Workspace, Target> prepare) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Route> routes() {
        return Stream.of(
                new Route("PATCH /workspaces/{slug}", (w, ws) -> new Target(ws.path(""), "PATCH", ws.path(""),
                        "name", "Renamed Team", "slug", "elsewhere", "motto")),
                new Route("PUT /workspaces/{slug}/members/{userId}/actions", (w, ws) -> {
                    String member = w.member(ws).id();
                    return new Target(ws.path("/members/" + member), "PUT", ws.path("/members/" + member + "/actions"),
                            "actions", List.of("images.manage"), "email", "someone@else.example", "nickname");
                }),
                new Route("PUT /workspaces/{slug}/groups/{groupId}/members", (w, ws) -> {
                    String member = w.member(ws).id();
                    String group = w.group(ws, "Editors");
                    return new Target(ws.path("/groups/" + group), "PUT", ws.path("/groups/" + group + "/members"),
                            "userIds", List.of(member), "name", "Admins", "description");
                }),
                new Route("PUT /workspaces/{slug}/definitions/{id}/grants", (w, ws) -> {
                    String group = w.group(ws, "Editors");
                    String grants = ws.path("/definitions/" + definition(ws) + "/grants");
                    ok(app.send("PUT", grants, ws.owner().token(),
                            Json.write(List.of(Map.of("principal", "group:" + group, "preset", "editor")))));
                    return new Target(grants, "PUT", grants, "[0].levels", List.of("read"), "[0].groupName", "Admins",
                            "[0].note");
                }),
                new Route("PUT /workspaces/{slug}/ai-settings", (w, ws) -> {
                    ok(app.send("PUT", ws.path("/ai-settings"), ws.owner().token(), Json.write(Map.of(
                            "provider", "openai", "model", "gpt-4o", "apiKey", "sk-test-12345678"))));
                    return new Target(ws.path("/ai-settings"), "PUT", ws.path("/ai-settings"), "model", "gpt-4.1",
                            "apiKeyLast4", "0000", "temperature");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void sentBack_shouldApplyTheChange_andIgnoreTheReadOnlyFieldsUnchanged(Route route) {
        // GIVEN what GET answers
        Workspaces.Workspace ws = workspaces.create();
        Target target = route.prepare().apply(workspaces, ws);
        Object read = read(ws, target);

        // WHEN all of it is sent back with one writable field changed
        HttpResponse<String> response = app.send(target.method(), target.write(), ws.owner().token(),
                Json.write(with(read, target.changed(), target.newValue())));

        // THEN the change is made, and GET shows it
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(at(read(ws, target), target.changed())).isEqualTo(target.newValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void sentBack_shouldAnswer400NamingAReadOnlyField_whenItsValueChanged_andWriteNothing(Route route) {
        // GIVEN what GET answers
        Workspaces.Workspace ws = workspaces.create();
        Target target = route.prepare().apply(workspaces, ws);
        Object read = read(ws, target);

        // WHEN it is sent back with a writable field and a read-only field changed
        Object body = with(with(read, target.changed(), target.newValue()), target.readOnly(), target.forged());
        HttpResponse<String> response = app.send(target.method(), target.write(), ws.owner().token(), Json.write(body));

        // THEN 400 names the read-only field, and GET answers what it did before
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(Json.errors(response.body())).containsExactly(Map.of("field", target.readOnly(), "message", "is read-only"));
        assertThat(read(ws, target)).isEqualTo(read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void sentBack_shouldAnswer400NamingAFieldTheRepresentationDoesNotHave(Route route) {
        Workspaces.Workspace ws = workspaces.create();
        Target target = route.prepare().apply(workspaces, ws);
        Object read = read(ws, target);

        Object body = with(with(read, target.changed(), target.newValue()), target.unknown(), "anything");
        HttpResponse<String> response = app.send(target.method(), target.write(), ws.owner().token(), Json.write(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(Json.errors(response.body())).containsExactly(Map.of("field", target.unknown(), "message", "unknown field"));
        assertThat(read(ws, target)).isEqualTo(read);
    }

    private static String definition(Workspaces.Workspace ws) {
        HttpResponse<String> created = ok(app.send("POST", ws.path("/definitions"), ws.owner().token(),
                Json.write(Map.of("displayName", unique("Shared")))));
        return (String) Json.object(created.body()).get("id");
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return response;
    }

    private static Object read(Workspaces.Workspace ws, Target target) {
        return Json.value(ok(app.send("GET", target.read(), ws.owner().token(), null)).body());
    }

    /** A copy of {@code body} with the field at {@code path} set to {@code value}. */
    @SuppressWarnings("unchecked")
    private static Object with(Object body, String path, Object value) {
        Object copy = Json.value(Json.write(body));
        int dot = path.lastIndexOf('.');
        Object parent = dot < 0 ? copy : at(copy, path.substring(0, dot));
        ((Map<String, Object>) parent).put(path.substring(dot + 1), value);
        return copy;
    }

    /** The value at {@code path} ({@code a}, {@code [0].a}). */
    private static Object at(Object body, String path) {
        Object node = body;
        for (String part : path.split("\\.")) {
            node = part.startsWith("[")
                    ? ((List<?>) node).get(Integer.parseInt(part.substring(1, part.length() - 1)))
                    : ((Map<?, ?>) node).get(part);
        }
        return node;
    }
}
