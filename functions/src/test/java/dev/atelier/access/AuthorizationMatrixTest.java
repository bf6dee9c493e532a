package dev.atelier.access;

import dev.atelier.testing.Json;
import dev.atelier.testing.Plants;
import dev.atelier.testing.RunningApp;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden authorization matrix: every route of the API × every kind of caller, with the
 * status each must get. A route without a row fails {@link #everyRoute_shouldHaveARow()}.
 *
 * <p>Callers: {@code anon} no token; {@code revoked} a token that was revoked; {@code admin} the
 * site administrator, member of no workspace here; {@code other} owner of another workspace;
 * {@code owner} the workspace's owner; {@code with} a member holding exactly the action the
 * route needs (none for member-level routes); {@code without} a member holding every action but
 * that one (all actions for owner-only routes). {@code site-admin} routes are the site
 * administrator's alone; {@code public} routes (signing in) need no token and answer everyone alike.
 */
class AuthorizationMatrixTest {

    private static final List<String> CALLERS = List.of("anon", "revoked", "admin", "other", "owner", "with", "without");

    /** METHOD path-template | action needed (- for none) | statuses in CALLERS order. */
    private static final String GOLDEN = """
            GET    /health                                              | -               | 200 200 200 200 200 200 200
            GET    /api/v1/me                                           | -               | 401 401 200 200 200 200 200
            POST   /api/v1/workspaces                                   | -               | 401 401 201 201 201 201 201
            GET    /api/v1/workspaces                                   | -               | 401 401 200 200 200 200 200
            GET    /api/v1/workspaces/{slug}                            | -               | 401 401 404 404 200 200 200
            PATCH  /api/v1/workspaces/{slug}                            | settings.manage | 401 401 404 404 200 200 403
            DELETE /api/v1/workspaces/{slug}                            | owner           | 401 401 404 404 204 403 403
            GET    /api/v1/workspaces/{slug}/logo                       | -               | 401 401 404 404 200 200 200
            PUT    /api/v1/workspaces/{slug}/logo                       | settings.manage | 401 401 404 404 204 204 403
            DELETE /api/v1/workspaces/{slug}/logo                       | settings.manage | 401 401 404 404 204 204 403
            GET    /api/v1/workspaces/{slug}/ai-settings                | settings.manage | 401 401 404 404 200 200 403
            PUT    /api/v1/workspaces/{slug}/ai-settings                | settings.manage | 401 401 404 404 200 200 403
            GET    /api/v1/workspaces/{slug}/members                    | -               | 401 401 404 404 200 200 200
            GET    /api/v1/workspaces/{slug}/members/{userId}           | -               | 401 401 404 404 200 200 200
            PUT    /api/v1/workspaces/{slug}/members/{userId}/actions   | members.manage  | 401 401 404 404 200 200 403
            DELETE /api/v1/workspaces/{slug}/members/{userId}           | members.manage  | 401 401 404 404 204 204 403
            POST   /api/v1/workspaces/{slug}/groups                     | members.manage  | 401 401 404 404 201 201 403
            GET    /api/v1/workspaces/{slug}/groups                     | -               | 401 401 404 404 200 200 200
            GET    /api/v1/workspaces/{slug}/groups/{groupId}           | -               | 401 401 404 404 200 200 200
            PUT    /api/v1/workspaces/{slug}/groups/{groupId}/members   | members.manage  | 401 401 404 404 200 200 403
            DELETE /api/v1/workspaces/{slug}/groups/{groupId}           | members.manage  | 401 401 404 404 204 204 403
            POST   /api/v1/workspaces/{slug}/invitations                | members.manage  | 401 401 404 404 201 201 403
            GET    /api/v1/workspaces/{slug}/invitations                | members.manage  | 401 401 404 404 200 200 403
            POST   /api/v1/invitations/{token}/accept                   | -               | 401 401 200 200 409 200 200
            GET    /api/v1/workspaces/{slug}/audit                      | owner           | 401 401 404 404 200 403 403
            GET    /api/v1/workspaces/{slug}/{collection}/{id}/grants   | grant:full      | 401 401 404 404 200 200 404
            PUT    /api/v1/workspaces/{slug}/{collection}/{id}/grants   | grant:full      | 401 401 404 404 200 200 404
            POST   /api/v1/workspaces/{slug}/definitions                | images.manage   | 401 401 404 404 201 201 403
            GET    /api/v1/workspaces/{slug}/definitions                | -               | 401 401 404 404 200 200 200
            GET    /api/v1/workspaces/{slug}/definitions/{id}           | grant:full      | 401 401 404 404 200 200 404
            PUT    /api/v1/workspaces/{slug}/definitions/{id}           | grant:full      | 401 401 404 404 200 200 404
            POST   /api/v1/workspaces/{slug}/definitions/{id}/copy      | grant:full      | 401 401 404 404 201 403 404
            DELETE /api/v1/workspaces/{slug}/definitions/{id}           | grant:full      | 401 401 404 404 204 204 404
            GET    /api/v1/workspaces/{slug}/definitions/{id}/builds    | grant:full      | 401 401 404 404 200 200 404
            POST   /api/v1/workspaces/{slug}/definitions/{id}/builds    | grant:full      | 401 401 404 404 202 202 404
            POST   /api/v1/workspaces/{slug}/definitions/{id}/builds/{buildId}/cancel | grant:full | 401 401 404 404 202 202 404
            POST   /api/v1/workspaces/{slug}/definitions/{id}/builds/{buildId}/promote | grant:full | 401 401 404 404 409 409 404
            GET    /api/v1/workspaces/{slug}/definitions/{id}/builds/{buildId}/log | grant:full+logs.view | 401 401 404 404 200 200 403
            GET    /api/v1/workspaces/{slug}/effective-permissions      | members.manage  | 401 401 404 404 200 200 403
            POST   /api/v1/workspaces/{slug}/workstations               | grant:full      | 401 401 404 404 202 202 404
            GET    /api/v1/workspaces/{slug}/workstations               | -               | 401 401 404 404 200 200 200
            GET    /api/v1/workspaces/{slug}/workstations/{id}          | grant:full+workstations.view | 401 401 404 404 200 200 404
            POST   /api/v1/workspaces/{slug}/workstations/{id}/start    | grant:full+workstations.view,workstations.restart | 401 401 404 404 202 202 403
            POST   /api/v1/workspaces/{slug}/workstations/{id}/stop     | grant:full+workstations.view,workstations.stop | 401 401 404 404 202 202 403
            POST   /api/v1/workspaces/{slug}/workstations/{id}/restart  | grant:full+workstations.view,workstations.restart | 401 401 404 404 202 202 403
            POST   /api/v1/workspaces/{slug}/workstations/{id}/update   | grant:full+workstations.view | 401 401 404 404 202 202 404
            DELETE /api/v1/workspaces/{slug}/workstations/{id}          | grant:full+workstations.view,workstations.delete | 401 401 404 404 202 202 403
            POST   /api/v1/workspaces/{slug}/workstations/{id}/connect  | grant:full+workstations.view,workstations.connect | 401 401 404 404 200 200 403
            GET    /api/v1/workspaces/{slug}/workstations/{id}/metrics  | grant:full+workstations.view | 401 401 404 404 200 200 404
            PATCH  /api/v1/workspaces/{slug}/workstations/{id}          | grant:full+workstations.view | 401 401 404 404 200 200 404
            POST   /api/v1/workspaces/{slug}/workstations/{id}/keep-alive | grant:full+workstations.view | 401 401 404 404 200 200 404
            GET    /api/v1/workspaces/{slug}/auto-stop                  | -               | 401 401 404 404 200 200 200
            PUT    /api/v1/workspaces/{slug}/auto-stop                  | settings.manage | 401 401 404 404 200 200 403
            POST   /api/v1/users                                        | site-admin      | 401 401 201 403 403 403 403
            GET    /api/v1/users                                        | site-admin      | 401 401 200 403 403 403 403
            POST   /api/v1/users/{userId}/tokens                        | site-admin      | 401 401 201 403 403 403 403
            GET    /api/v1/audit                                        | site-admin      | 401 401 200 403 403 403 403
            POST   /api/v1/me/tokens                                    | -               | 401 401 201 201 201 201 201
            GET    /api/v1/me/tokens                                    | -               | 401 401 200 200 200 200 200
            DELETE /api/v1/me/tokens/{id}                               | -               | 401 401 204 204 204 204 204
            POST   /api/v1/auth/login-links                             | public          | 202 202 202 202 202 202 202
            POST   /api/v1/auth/login-links/redeem                      | public          | 410 410 410 410 410 410 410
            POST   /api/v1/auth/sign-in                                 | public          | 401 401 401 401 401 401 401
            POST   /api/v1/auth/sign-in/new-password                    | public          | 401 401 401 401 401 401 401
            """;

    private static RunningApp app;
    private static String slug;
    /** Invitations accepted in the matrix lead here, so no caller kind joins the matrix's workspace. */
    private static String lobby;
    private static RunningApp.TestUser owner;
    private static Map<String, String> tokens;

    private record Row(String method, String template, String action, List<Integer> statuses) {
        String route() {
            return method + " " + template;
        }
    }

    private static Map<String, Row> golden() {
        Map<String, Row> rows = new LinkedHashMap<>();
        GOLDEN.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(line -> {
            String[] cells = line.split("\\|");
            String[] route = cells[0].strip().split("\\s+");
            List<Integer> statuses = Stream.of(cells[2].strip().split("\\s+")).map(Integer::parseInt).toList();
            Row row = new Row(route[0], route[1], cells[1].strip(), statuses);
            rows.put(row.route(), row);
        });
        return rows;
    }

    @BeforeAll
    static void start() {
        app = RunningApp.start();
        owner = app.newUser(unique("owner") + "@example.com");
        slug = unique("matrix");
        create(owner.token(), slug);
        lobby = unique("lobby");
        create(owner.token(), lobby);
        RunningApp.TestUser other = app.newUser(unique("other") + "@example.com");
        create(other.token(), unique("elsewhere"));
        RunningApp.TestUser revoked = app.newUser(unique("revoked") + "@example.com");
        revoke(revoked.token());
        tokens = new LinkedHashMap<>();
        tokens.put("revoked", revoked.token());
        tokens.put("admin", app.bootstrapToken());
        tokens.put("other", other.token());
        tokens.put("owner", owner.token());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyRoute_shouldHaveARow() {
        // HEAD routes are the framework's mirrors of GET routes and pass the same filter.
        Set<String> routes = app.context().getBean(Router.class).uriRoutes()
                .filter(r -> !r.getHttpMethodName().equals("HEAD"))
                .map(r -> r.getHttpMethodName() + " " + r.getUriMatchTemplate().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(golden().keySet()).containsExactlyInAnyOrderElementsOf(routes);
        assertThat(golden().values()).allSatisfy(row -> assertThat(row.statuses()).hasSize(CALLERS.size()));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Row row : golden().values()) {
            for (int i = 0; i < CALLERS.size(); i++) {
                cases.add(Arguments.of(row.route(), CALLERS.get(i), row.statuses().get(i)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} by {1} -> {2}")
    @MethodSource("cases")
    void route_shouldAnswerEachCallerAsTheMatrixSays(String route, String caller, int expected) {
        Row row = golden().get(route);
        String token = token(caller, row.action());
        Request request = request(row, caller, token);
        int status = row.route().equals("PUT /api/v1/workspaces/{slug}/logo")
                ? app.sendBytes("PUT", request.path(), token, PNG, "image/png").statusCode()
                : app.send(row.method(), request.path(), token, request.body()).statusCode();
        assertThat(status).as(row.route() + " by " + caller).isEqualTo(expected);
    }

    // --- fixtures -------------------------------------------------------------------------

    private record Request(String path, String body) { }

    /** Builds a concrete request for the row, with fresh targets where the call consumes them. */
    private static Request request(Row row, String caller, String callerToken) {
        String path = row.route().equals("DELETE /api/v1/workspaces/{slug}")
                ? row.template().replace("{slug}", doomedWorkspace())
                : row.template().replace("{slug}", slug);
        if (row.route().equals("GET /api/v1/workspaces/{slug}/logo")) {
            assertThat(app.sendBytes("PUT", path, owner.token(), PNG, "image/png").statusCode()).isEqualTo(204);
        }
        if (path.contains("{collection}") || path.contains("/definitions/{id}") || path.endsWith("/effective-permissions")) {
            HttpResponse<String> made = app.send("POST", "/api/v1/workspaces/" + slug + "/definitions", owner.token(),
                    Json.write(Map.of("displayName", unique("Matrix def"))));
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String definition = (String) Json.object(made.body()).get("id");
            boolean granted = caller.equals("with") || caller.equals("without") && row.action().contains("+");
            if (granted && row.action().startsWith("grant:full")) {
                assertThat(app.send("PUT", "/api/v1/workspaces/" + slug + "/definitions/" + definition + "/grants",
                        owner.token(), Json.write(List.of(Map.of("principal", "user:"
                                + MEMBERS.get(caller + ":" + row.action()).id(), "preset", "full")))).statusCode())
                        .isEqualTo(200);
            }
            path = path.replace("{collection}", "definitions").replace("{id}", definition);
            if (path.contains("{buildId}")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> build = (Map<String, Object>) Json.object(made.body()).get("currentBuild");
                path = path.replace("{buildId}", (String) build.get("id"));
            }
            if (path.endsWith("/effective-permissions")) {
                path += "?principal=user:" + owner.id() + "&resource=definition:" + definition;
            }
        }
        String body = switch (row.method()) {
            case "POST", "PUT" -> "{}";
            default -> null;
        };
        boolean granted = caller.equals("with") || caller.equals("without") && row.action().contains("+");
        String member = granted ? "user:" + MEMBERS.get(caller + ":" + row.action()).id() : null;
        if (row.route().equals("POST /api/v1/workspaces/{slug}/workstations")) {
            // launching needs access on the definition launched from, which has an image
            String definition = definitionGrantedTo(member);
            body = Json.write(Map.of("definitionId", definition));
        }
        if (path.contains("/workstations/{id}")) {
            String definition = definitionGrantedTo(null);
            String workstation = Plants.workstation(app, slug, definition, owner.id(), "running");
            if (member != null) {
                assertThat(app.send("PUT", "/api/v1/workspaces/" + slug + "/workstations/" + workstation + "/grants",
                        owner.token(), Json.write(List.of(Map.of("principal", member, "preset", "full")))).statusCode())
                        .isEqualTo(200);
            }
            path = path.replace("{id}", workstation);
        }
        if (path.contains("{userId}")) {
            path = path.replace("{userId}", member(List.of()).id());
        }
        if (path.contains("{groupId}")) {
            path = path.replace("{groupId}", group());
        }
        if (path.equals("/api/v1/me/tokens/{id}")) {
            // a fresh token of the caller's own, so the caller keeps the one the matrix uses
            HttpResponse<String> fresh = callerToken == null ? null : app.send("POST", "/api/v1/me/tokens", callerToken,
                    Json.write(Map.of("name", "matrix", "expiresInDays", 1)));
            path = path.replace("{id}", fresh != null && fresh.statusCode() == 201
                    ? (String) Json.object(fresh.body()).get("id") : UUID.randomUUID().toString());
        }
        if (path.contains("{token}")) {
            path = path.replace("{token}", invitationFor(callerToken));
        }
        body = switch (row.route()) {
            case "POST /api/v1/workspaces" -> Json.write(Map.of("name", "W", "slug", unique("made")));
            case "PUT /api/v1/workspaces/{slug}/members/{userId}/actions" -> Json.write(Map.of("actions", List.of("logs.view")));
            case "POST /api/v1/workspaces/{slug}/groups" -> Json.write(Map.of("name", unique("group")));
            case "PUT /api/v1/workspaces/{slug}/groups/{groupId}/members" -> Json.write(Map.of("userIds", List.of()));
            case "POST /api/v1/workspaces/{slug}/invitations" -> Json.write(Map.of("email", unique("guest") + "@example.com"));
            case "PUT /api/v1/workspaces/{slug}/{collection}/{id}/grants" -> "[]";
            case "POST /api/v1/workspaces/{slug}/definitions", "PUT /api/v1/workspaces/{slug}/definitions/{id}",
                    "POST /api/v1/workspaces/{slug}/definitions/{id}/copy" ->
                    Json.write(Map.of("displayName", unique("Matrix def")));
            case "POST /api/v1/users" -> Json.write(Map.of("email", unique("user") + "@example.com", "displayName", "U"));
            case "POST /api/v1/users/{userId}/tokens", "POST /api/v1/me/tokens" ->
                    Json.write(Map.of("name", "matrix", "expiresInDays", 1));
            case "POST /api/v1/auth/login-links" -> Json.write(Map.of("email", owner.email()));
            case "POST /api/v1/auth/login-links/redeem" -> Json.write(Map.of("token", "not-a-link-" + UUID.randomUUID()));
            case "POST /api/v1/auth/sign-in" -> Json.write(Map.of("username", owner.email(), "password", "Wrong-Password-1"));
            case "POST /api/v1/auth/sign-in/new-password" -> Json.write(Map.of("username", owner.email(),
                    "session", "not-a-session", "newPassword", "Another-Secret-77"));
            case "PATCH /api/v1/workspaces/{slug}" -> Json.write(Map.of("primaryColor", "#123456"));
            case "PUT /api/v1/workspaces/{slug}/ai-settings" -> Json.write(Map.of("provider", "groq", "model", "m"));
            case "PATCH /api/v1/workspaces/{slug}/workstations/{id}" -> Json.write(Map.of("autoStop", Map.of("idleMinutes", 30)));
            case "PUT /api/v1/workspaces/{slug}/auto-stop" -> Json.write(Map.of("idleMinutes", 30));
            default -> body;
        };
        return new Request(path, body);
    }

    /** A definition of the owner with an available image of version 2, granted {@code full} to {@code principal}. */
    private static String definitionGrantedTo(String principal) {
        HttpResponse<String> made = app.send("POST", "/api/v1/workspaces/" + slug + "/definitions", owner.token(),
                Json.write(Map.of("displayName", unique("Matrix def"))));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String definition = (String) Json.object(made.body()).get("id");
        Plants.image(app, slug, definition, 2);
        if (principal != null) {
            assertThat(app.send("PUT", "/api/v1/workspaces/" + slug + "/definitions/" + definition + "/grants",
                    owner.token(), Json.write(List.of(Map.of("principal", principal, "preset", "full")))).statusCode())
                    .isEqualTo(200);
        }
        return definition;
    }

    private static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /**
     * A workspace to delete: owned by the matrix's owner, with copies of the matrix's members
     * (same actions), so every caller kind stands to it as to the matrix's workspace.
     */
    private static String doomedWorkspace() {
        String doomed = unique("doomed");
        create(owner.token(), doomed);
        var members = app.context().getBean(DynamoDbEnhancedClient.class)
                .table(app.tableName(), dev.atelier.workspace.MemberItem.SCHEMA);
        for (RunningApp.TestUser user : MEMBERS.values()) {
            var m = members.getItem(Key.builder().partitionValue(dev.atelier.store.Keys.workspace(slug))
                    .sortValue(dev.atelier.store.Keys.member(user.id())).build());
            members.putItem(new dev.atelier.workspace.MemberItem(doomed, m.userId(), m.email(), m.role(), m.joinedAt(),
                    m.workspaceId(), m.workspaceName(), m.workspaceCreatedAt(), m.actions(), m.groupIds(), 1));
        }
        return doomed;
    }

    private static final Map<String, RunningApp.TestUser> MEMBERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The token of a caller kind; members are made per action set and reused. */
    private static String token(String caller, String need) {
        // "grant:full+logs.view": a grant on the resource and an action; "without" then holds
        // the grant and every action but that one.
        // "grant:full+workstations.view,workstations.stop": every listed action is needed (seeing a
        // running workstation takes workstations.view); "without" lacks the last one only.
        String needed = need.contains("+") ? need.substring(need.indexOf('+') + 1) : need;
        List<String> actions = List.of(needed.split(","));
        String action = actions.get(actions.size() - 1);
        boolean noAction = action.equals("-") || action.equals("owner") || action.startsWith("grant:")
                || action.equals("site-admin") || action.equals("public");
        return switch (caller) {
            case "anon" -> null;
            case "with" -> MEMBERS.computeIfAbsent("with:" + need, k -> member(
                    noAction ? List.of() : actions)).token();
            case "without" -> MEMBERS.computeIfAbsent("without:" + need, k -> member(
                    Stream.of(Action.values()).map(Action::wireName).filter(a -> !a.equals(action)).toList())).token();
            default -> tokens.get(caller);
        };
    }

    private static RunningApp.TestUser member(List<String> actions) {
        RunningApp.TestUser user = app.newUser(unique("member") + "@example.com");
        String token = invitationFor(slug, user.email());
        assertThat(app.send("POST", "/api/v1/invitations/" + token + "/accept", user.token(), null).statusCode())
                .isEqualTo(200);
        if (!actions.isEmpty()) {
            assertThat(app.send("PUT", "/api/v1/workspaces/" + slug + "/members/" + user.id() + "/actions",
                    owner.token(), Json.write(Map.of("actions", actions))).statusCode()).isEqualTo(200);
        }
        return user;
    }

    private static String group() {
        HttpResponse<String> created = app.send("POST", "/api/v1/workspaces/" + slug + "/groups", owner.token(),
                Json.write(Map.of("name", unique("g"))));
        assertThat(created.statusCode()).isEqualTo(201);
        return (String) Json.object(created.body()).get("id");
    }

    /** A fresh invitation to the workspace for the email of the caller holding {@code token}. */
    private static String invitationFor(String callerToken) {
        if (callerToken == null || callerToken.equals(tokens.get("revoked"))) {
            return invitationFor(lobby, unique("nobody") + "@example.com");
        }
        Map<String, Object> me = Json.object(app.send("GET", "/api/v1/me", callerToken, null).body());
        return invitationFor(lobby, (String) me.get("email"));
    }

    private static final Pattern LINK = Pattern.compile("/invitations/#(ati_\\S+)");

    private static String invitationFor(String workspace, String email) {
        assertThat(app.send("POST", "/api/v1/workspaces/" + workspace + "/invitations", owner.token(),
                Json.write(Map.of("email", email))).statusCode()).isEqualTo(201);
        List<String> mails = app.mailTo(email);
        Matcher link = LINK.matcher(mails.get(mails.size() - 1));
        assertThat(link.find()).isTrue();
        return link.group(1);
    }

    private static void create(String token, String workspaceSlug) {
        assertThat(app.send("POST", "/api/v1/workspaces", token, Json.write(Map.of("name", "W", "slug", workspaceSlug)))
                .statusCode()).isEqualTo(201);
    }

    /** Revokes a token the way revocation does: its stored item is gone. */
    private static void revoke(String token) {
        var tokens = app.context().getBean(DynamoDbEnhancedClient.class)
                .table(app.tableName(), dev.atelier.identity.TokenItem.SCHEMA);
        tokens.deleteItem(Key.builder().partitionValue(dev.atelier.store.Keys.token(
                dev.atelier.identity.TokenSecrets.hash(token))).sortValue(dev.atelier.store.Keys.TOKEN).build());
        assertThat(app.send("GET", "/api/v1/me", token, null).statusCode()).isEqualTo(401);
    }

}
