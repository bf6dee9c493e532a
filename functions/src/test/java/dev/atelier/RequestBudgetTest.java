package dev.atelier;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API call's cost in DynamoDB requests, authorization included, is bounded: at most 2
 * reads and 3 writes. The table below holds one row per way of calling each route; a route
 * without a row fails the build, so a new endpoint cannot arrive without its budget.
 * {@code bin/bench} prints the same table with the measured figures.
 */
public class RequestBudgetTest {

    public static final int MAX_READS = 2;
    public static final int MAX_WRITES = 3;

    /** Makes one call ready (setting up, uncounted, what it needs) and returns it, to be counted. */
    public interface Call {
        Supplier<HttpResponse<String>> prepare(RunningApp app);
    }

    /** One row: a route ({@code method} and Micronaut's path template), a way to call it, its budget. */
    public record Budget(String method, String template, String call, int maxReads, int maxWrites,
                         int expectedStatus, Call prepare) {
        public String route() {
            return method + " " + template;
        }

        @Override
        public String toString() {
            return route() + " (" + call + ")";
        }
    }

    /** What one call cost. */
    public record Measured(int status, long reads, long writes, Map<String, Long> byOperation) {
        public long total() {
            return reads + writes;
        }
    }

    private static final Pattern SIGN_IN_LINK = Pattern.compile("/sign-in/link/#([A-Za-z0-9_.-]+)");

    /** A small PNG (the 8-byte signature and a 1×1 image). */
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static final List<Budget> BUDGETS = flatten(
            new Budget("POST", "/api/v1/workspaces", "create", MAX_READS, MAX_WRITES, 201,
                    app -> {
                        String body = newWorkspace();
                        return () -> app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body);
                    }),
            new Budget("POST", "/api/v1/workspaces", "create with Idempotency-Key", MAX_READS, MAX_WRITES, 201,
                    app -> {
                        String body = newWorkspace();
                        String key = UUID.randomUUID().toString();
                        return () -> app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body,
                                "Idempotency-Key", key);
                    }),
            new Budget("POST", "/api/v1/workspaces", "replay of an Idempotency-Key", MAX_READS, MAX_WRITES, 201,
                    app -> {
                        String body = newWorkspace();
                        String key = UUID.randomUUID().toString();
                        expect(201, app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body,
                                "Idempotency-Key", key));
                        return () -> app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body,
                                "Idempotency-Key", key);
                    }),
            new Budget("GET", "/api/v1/workspaces", "list", MAX_READS, MAX_WRITES, 200, list("GET")),
            new Budget("HEAD", "/api/v1/workspaces", "list, headers only", MAX_READS, MAX_WRITES, 200, list("HEAD")),
            new Budget("GET", "/api/v1/workspaces/{slug}", "get", MAX_READS, MAX_WRITES, 200, get("GET")),
            new Budget("HEAD", "/api/v1/workspaces/{slug}", "get, headers only", MAX_READS, MAX_WRITES, 200, get("HEAD")),
            new Budget("GET", "/api/v1/me", "me", MAX_READS, MAX_WRITES, 200, me("GET")),
            new Budget("HEAD", "/api/v1/me", "me, headers only", MAX_READS, MAX_WRITES, 200, me("HEAD")),
            new Budget("GET", "/health", "health", 0, 0, 200, health("GET")),
            new Budget("HEAD", "/health", "health, headers only", 0, 0, 200, health("HEAD")),

            // The workspace itself
            row("PATCH", "/api/v1/workspaces/{slug}", "colour", 200, (app, f) ->
                    () -> app.send("PATCH", f.path(""), f.owner(), Json.write(Map.of("primaryColor", "#123456")))),
            row("PATCH", "/api/v1/workspaces/{slug}", "rename", 200, (app, f) ->
                    () -> app.send("PATCH", f.path(""), f.owner(), Json.write(Map.of("name", unique("Renamed"))))),
            // Above the budget on purpose (docs/access-patterns.md): a deletion reads the whole
            // partition, the invitations and the partition again after its transaction.
            new Budget("DELETE", "/api/v1/workspaces/{slug}", "delete", 4, 1, 204, app -> {
                Fixture doomed = Fixture.of(app);
                return () -> app.send("DELETE", doomed.path(""), doomed.owner(), null);
            }),
            row("PUT", "/api/v1/workspaces/{slug}/logo", "upload", 204, (app, f) ->
                    () -> bytes(app.sendBytes("PUT", f.path("/logo"), f.owner(), PNG, "image/png"))),
            row("GET", "/api/v1/workspaces/{slug}/logo", "read", 200, (app, f) -> logo(app, f, "GET")),
            row("HEAD", "/api/v1/workspaces/{slug}/logo", "read, headers only", 200, (app, f) -> logo(app, f, "HEAD")),
            row("DELETE", "/api/v1/workspaces/{slug}/logo", "remove", 204, (app, f) -> {
                logo(app, f, "GET");
                return () -> app.send("DELETE", f.path("/logo"), f.owner(), null);
            }),
            row("PUT", "/api/v1/workspaces/{slug}/ai-settings", "set", 200, (app, f) ->
                    () -> app.send("PUT", f.path("/ai-settings"), f.owner(),
                            Json.write(Map.of("provider", "openai", "model", "gpt", "apiKey", "sk-" + unique("key"))))),
            getRow("/api/v1/workspaces/{slug}/ai-settings", "read", (app, f) -> f.path("/ai-settings"), Fixture::owner),

            // Members, groups, invitations, audit
            getRow("/api/v1/workspaces/{slug}/members", "list", (app, f) -> f.path("/members"), Fixture::owner),
            getRow("/api/v1/workspaces/{slug}/members/{userId}", "read", (app, f) -> f.path("/members/" + f.member(app).id()),
                    Fixture::owner),
            row("PUT", "/api/v1/workspaces/{slug}/members/{userId}/actions", "set actions", 200, (app, f) -> {
                String path = f.path("/members/" + f.member(app).id() + "/actions");
                return () -> app.send("PUT", path, f.owner(), Json.write(Map.of("actions", List.of("logs.view"))));
            }),
            row("DELETE", "/api/v1/workspaces/{slug}/members/{userId}", "remove", 204, (app, f) -> {
                String path = f.path("/members/" + f.member(app).id());
                return () -> app.send("DELETE", path, f.owner(), null);
            }),
            row("DELETE", "/api/v1/workspaces/{slug}/members/{userId}", "leave", 204, (app, f) -> {
                RunningApp.TestUser member = f.member(app);
                return () -> app.send("DELETE", f.path("/members/" + member.id()), member.token(), null);
            }),
            row("POST", "/api/v1/workspaces/{slug}/groups", "create", 201, (app, f) ->
                    () -> app.send("POST", f.path("/groups"), f.owner(), Json.write(Map.of("name", unique("group"))))),
            getRow("/api/v1/workspaces/{slug}/groups", "list", (app, f) -> f.path("/groups"), Fixture::owner),
            getRow("/api/v1/workspaces/{slug}/groups/{groupId}", "read", (app, f) -> f.path("/groups/" + f.group(app)),
                    Fixture::owner),
            row("PUT", "/api/v1/workspaces/{slug}/groups/{groupId}/members", "set members", 200, (app, f) -> {
                String path = f.path("/groups/" + f.group(app) + "/members");
                String body = Json.write(Map.of("userIds", List.of(f.member(app).id(), f.member(app).id())));
                return () -> app.send("PUT", path, f.owner(), body);
            }),
            row("DELETE", "/api/v1/workspaces/{slug}/groups/{groupId}", "delete", 204, (app, f) -> {
                String id = f.workspaces(app).group(f.workspace(), unique("g"), f.member(app));
                return () -> app.send("DELETE", f.path("/groups/" + id), f.owner(), null);
            }),
            row("POST", "/api/v1/workspaces/{slug}/invitations", "invite", 201, (app, f) ->
                    () -> app.send("POST", f.path("/invitations"), f.owner(),
                            Json.write(Map.of("email", unique("guest") + "@example.com")))),
            getRow("/api/v1/workspaces/{slug}/invitations", "list", (app, f) -> f.path("/invitations"), Fixture::owner),
            row("POST", "/api/v1/invitations/{token}/accept", "accept", 200, (app, f) -> {
                RunningApp.TestUser invitee = app.newUser(unique("invitee") + "@example.com");
                String token = f.workspaces(app).invite(f.workspace(), invitee.email());
                return () -> app.send("POST", "/api/v1/invitations/" + token + "/accept", invitee.token(), null);
            }),
            getRow("/api/v1/workspaces/{slug}/audit", "read", (app, f) -> f.path("/audit"), Fixture::owner),

            // Grants and effective permissions
            getRow("/api/v1/workspaces/{slug}/{collection}/{id}/grants", "read", (app, f) ->
                    f.path("/definitions/" + f.definition(app) + "/grants"), Fixture::owner),
            row("PUT", "/api/v1/workspaces/{slug}/{collection}/{id}/grants", "user and group", 200, (app, f) -> {
                String path = f.path("/definitions/" + f.definition(app) + "/grants");
                String body = Json.write(List.of(Map.of("principal", "user:" + f.member(app).id(), "preset", "viewer"),
                        Map.of("principal", "group:" + f.group(app), "preset", "editor")));
                return () -> app.send("PUT", path, f.owner(), body);
            }),
            getRow("/api/v1/workspaces/{slug}/effective-permissions", "member", (app, f) ->
                    f.path("/effective-permissions?principal=user:" + f.member(app).id()
                            + "&resource=definition:" + f.definition(app)), Fixture::owner),

            // Workstation definitions
            row("POST", "/api/v1/workspaces/{slug}/definitions", "create with grants", 201, (app, f) -> {
                String body = Json.write(Map.of("displayName", unique("Def"), "grants", List.of(
                        Map.of("principal", "user:" + f.member(app).id(), "preset", "viewer"),
                        Map.of("principal", "group:" + f.group(app), "preset", "editor"))));
                return () -> app.send("POST", f.path("/definitions"), f.owner(), body, "Idempotency-Key", unique("key"));
            }),
            getRow("/api/v1/workspaces/{slug}/definitions", "list", (app, f) -> {
                f.created(app);
                return f.path("/definitions");
            }, Fixture::owner),
            getRow("/api/v1/workspaces/{slug}/definitions/{id}", "read", (app, f) -> f.path("/definitions/" + f.created(app)),
                    Fixture::owner),
            row("PUT", "/api/v1/workspaces/{slug}/definitions/{id}", "new version", 200, (app, f) -> {
                String path = f.path("/definitions/" + f.created(app));
                return () -> app.send("PUT", path, f.owner(), Json.write(Map.of("displayName", unique("Renamed"))),
                        "If-Match", "\"1\"");
            }),
            row("POST", "/api/v1/workspaces/{slug}/definitions/{id}/copy", "copy", 201, (app, f) -> {
                String path = f.path("/definitions/" + f.created(app) + "/copy");
                return () -> app.send("POST", path, f.owner(), Json.write(Map.of("displayName", unique("Copy"))));
            }),
            getRow("/api/v1/workspaces/{slug}/definitions/{id}/builds", "list", (app, f) ->
                    f.path("/definitions/" + f.created(app) + "/builds"), Fixture::owner),
            new Budget("POST", "/api/v1/workspaces/{slug}/definitions/{id}/builds", "rebuild", MAX_READS, MAX_WRITES, 202,
                    app -> {
                        Fixture f = Fixture.of(app);
                        String path = f.path("/definitions/" + f.created(app) + "/builds");
                        return () -> app.send("POST", path, f.owner(), null);
                    }),
            row("POST", "/api/v1/workspaces/{slug}/definitions/{id}/builds/{buildId}/cancel", "cancel", 202, (app, f) -> {
                Map<String, Object> made = f.createdWithBuild(app);
                @SuppressWarnings("unchecked")
                String build = (String) ((Map<String, Object>) made.get("currentBuild")).get("id");
                String path = f.path("/definitions/" + made.get("id") + "/builds/" + build + "/cancel");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            row("POST", "/api/v1/workspaces/{slug}/definitions/{id}/builds/{buildId}/promote", "promote", 200, (app, f) -> {
                Map<String, Object> made = f.createdWithBuild(app);
                String build = f.availableBuild(app, (String) made.get("id"));
                String path = f.path("/definitions/" + made.get("id") + "/builds/" + build + "/promote");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            getRow("/api/v1/workspaces/{slug}/definitions/{id}/builds/{buildId}/log", "log", (app, f) -> {
                Map<String, Object> made = f.createdWithBuild(app);
                String build = f.availableBuild(app, (String) made.get("id"));
                return f.path("/definitions/" + made.get("id") + "/builds/" + build + "/log");
            }, Fixture::owner),
            row("DELETE", "/api/v1/workspaces/{slug}/definitions/{id}", "delete", 204, (app, f) -> {
                String path = f.path("/definitions/" + f.created(app));
                return () -> app.send("DELETE", path, f.owner(), null);
            }),

            // Running workstations
            row("POST", "/api/v1/workspaces/{slug}/workstations", "launch", 202, (app, f) -> {
                String body = Json.write(Map.of("definitionId", f.imagedDefinition(app)));
                return () -> app.send("POST", f.path("/workstations"), f.owner(), body);
            }),
            row("POST", "/api/v1/workspaces/{slug}/workstations", "launch with Idempotency-Key", 202, (app, f) -> {
                String body = Json.write(Map.of("definitionId", f.imagedDefinition(app)));
                String key = unique("key");
                return () -> app.send("POST", f.path("/workstations"), f.owner(), body, "Idempotency-Key", key);
            }),
            getRow("/api/v1/workspaces/{slug}/workstations", "list", (app, f) -> {
                f.workstation(app, "running");
                return f.path("/workstations?mine=true");
            }, Fixture::owner),
            getRow("/api/v1/workspaces/{slug}/workstations/{id}", "read", (app, f) ->
                    f.path("/workstations/" + f.workstation(app, "running")), Fixture::owner),
            row("POST", "/api/v1/workspaces/{slug}/workstations/{id}/start", "start", 202, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "stopped") + "/start");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            row("POST", "/api/v1/workspaces/{slug}/workstations/{id}/stop", "stop", 202, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "running") + "/stop");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            row("POST", "/api/v1/workspaces/{slug}/workstations/{id}/restart", "restart", 202, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "running") + "/restart");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            row("POST", "/api/v1/workspaces/{slug}/workstations/{id}/update", "update", 202, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "running") + "/update");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            row("DELETE", "/api/v1/workspaces/{slug}/workstations/{id}", "terminate", 202, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "running"));
                return () -> app.send("DELETE", path, f.owner(), null);
            }),
            row("POST", "/api/v1/workspaces/{slug}/workstations/{id}/connect", "connect", 200, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "running") + "/connect");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            getRow("/api/v1/workspaces/{slug}/workstations/{id}/metrics", "metrics", (app, f) ->
                    f.path("/workstations/" + f.workstation(app, "running") + "/metrics"), Fixture::owner),
            row("PATCH", "/api/v1/workspaces/{slug}/workstations/{id}", "auto-stop settings", 200, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "running"));
                String body = Json.write(Map.of("autoStop", Map.of("idleMinutes", 30)));
                return () -> app.send("PATCH", path, f.owner(), body);
            }),
            row("POST", "/api/v1/workspaces/{slug}/workstations/{id}/keep-alive", "keep-alive", 200, (app, f) -> {
                String path = f.path("/workstations/" + f.workstation(app, "running") + "/keep-alive");
                return () -> app.send("POST", path, f.owner(), null);
            }),
            getRow("/api/v1/workspaces/{slug}/auto-stop", "auto-stop default", (app, f) -> f.path("/auto-stop"),
                    Fixture::owner),
            row("PUT", "/api/v1/workspaces/{slug}/auto-stop", "auto-stop default", 200, (app, f) -> {
                String body = Json.write(Map.of("idleMinutes", 30));
                return () -> app.send("PUT", f.path("/auto-stop"), f.owner(), body);
            }),

            // Users and tokens
            row("POST", "/api/v1/users", "create", 201, (app, f) -> () -> app.send("POST", "/api/v1/users",
                    app.bootstrapToken(), Json.write(Map.of("email", unique("u") + "@example.com", "displayName", "U")))),
            getRow("/api/v1/users", "list", (app, f) -> "/api/v1/users", f -> f.admin()),
            row("POST", "/api/v1/users/{userId}/tokens", "issue", 201, (app, f) -> {
                String userId = f.member(app).id();
                return () -> app.send("POST", "/api/v1/users/" + userId + "/tokens", app.bootstrapToken(),
                        Json.write(Map.of("name", "budget", "expiresInDays", 1)));
            }),
            getRow("/api/v1/audit", "site log", (app, f) -> "/api/v1/audit", f -> f.admin()),
            row("POST", "/api/v1/me/tokens", "create", 201, (app, f) -> () -> app.send("POST", "/api/v1/me/tokens",
                    f.owner(), Json.write(Map.of("name", "budget", "expiresInDays", 1)))),
            getRow("/api/v1/me/tokens", "list", (app, f) -> "/api/v1/me/tokens", Fixture::owner),
            row("DELETE", "/api/v1/me/tokens/{id}", "revoke", 204, (app, f) -> {
                HttpResponse<String> created = app.send("POST", "/api/v1/me/tokens", f.owner(),
                        Json.write(Map.of("name", "doomed", "expiresInDays", 1)));
                expect(201, created);
                String id = (String) Json.object(created.body()).get("id");
                return () -> app.send("DELETE", "/api/v1/me/tokens/" + id, f.owner(), null);
            }),

            // Signing in
            row("POST", "/api/v1/auth/login-links", "known address", 202, (app, f) -> {
                String email = registered(app);
                return () -> app.send("POST", "/api/v1/auth/login-links", null, Json.write(Map.of("email", email)));
            }),
            row("POST", "/api/v1/auth/login-links/redeem", "redeem", 200, (app, f) -> {
                String created = registered(app);
                expect(202, app.send("POST", "/api/v1/auth/login-links", null, Json.write(Map.of("email", created))));
                List<String> mails = app.mailTo(created);
                Matcher link = SIGN_IN_LINK.matcher(mails.get(mails.size() - 1));
                if (!link.find()) {
                    throw new IllegalStateException("No sign-in link mailed to " + created);
                }
                String token = link.group(1);
                return () -> app.send("POST", "/api/v1/auth/login-links/redeem", null, Json.write(Map.of("token", token)));
            }),
            // Password sign-in talks only to the identity provider: refused or not, no DynamoDB request.
            new Budget("POST", "/api/v1/auth/sign-in", "wrong password", 0, 0, 401, app -> () -> app.send("POST",
                    "/api/v1/auth/sign-in", null, Json.write(Map.of("username", "nobody@example.com",
                            "password", "Wrong-Password-1")))),
            new Budget("POST", "/api/v1/auth/sign-in/new-password", "unknown session", 0, 0, 401, app -> () -> app.send(
                    "POST", "/api/v1/auth/sign-in/new-password", null, Json.write(Map.of("username", "nobody@example.com",
                            "session", "not-a-session", "newPassword", "Another-Secret-77")))));

    /** A workspace owned by the site administrator, with members, a group and a definition made on demand. */
    private record Fixture(Workspaces.Workspace workspace, String admin) {
        static Fixture of(RunningApp app) {
            Workspaces.Workspace ws = new Workspaces(app).create();
            return new Fixture(ws, app.bootstrapToken());
        }

        String owner() {
            return workspace.owner().token();
        }

        String path(String rest) {
            return workspace.path(rest);
        }

        Workspaces workspaces(RunningApp app) {
            return new Workspaces(app);
        }

        RunningApp.TestUser member(RunningApp app) {
            return workspaces(app).member(workspace);
        }

        String group(RunningApp app) {
            return workspaces(app).group(workspace, unique("group"));
        }

        /** A definition made through the API by the owner; its id. */
        String created(RunningApp app) {
            HttpResponse<String> made = app.send("POST", path("/definitions"), owner(),
                    Json.write(Map.of("displayName", unique("Budget def"))));
            expect(201, made);
            return (String) Json.object(made.body()).get("id");
        }

        /** A definition made through the API by the owner, as answered (with its current build). */
        Map<String, Object> createdWithBuild(RunningApp app) {
            HttpResponse<String> made = app.send("POST", path("/definitions"), owner(),
                    Json.write(Map.of("displayName", unique("Budget def"))));
            expect(201, made);
            return Json.object(made.body());
        }

        /** A build of the definition planted as available (as its steps would leave it). */
        String availableBuild(RunningApp app, String definitionId) {
            String id = "20260101000000000-" + unique("b").toLowerCase().replaceAll("[^0-9a-f]", "0").substring(0, 8);
            dev.atelier.imagebuild.BuildItem pending = dev.atelier.imagebuild.BuildItem.pending(workspace.slug(), definitionId, id, 1,
                    "someone", "2026-01-01T00:00:00Z");
            var item = new java.util.HashMap<>(pending.toItem());
            item.put("status", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("available"));
            item.put("amiId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ami-0123456789abcdef0"));
            app.context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class)
                    .putItem(r -> r.tableName(app.tableName()).item(item));
            return id;
        }

        /** A definition made through the API, with an available image of version 2 planted on it; its id. */
        String imagedDefinition(RunningApp app) {
            String id = created(app);
            dev.atelier.testing.Plants.image(app, workspace.slug(), id, 2);
            return id;
        }

        /** A workstation of the owner on version 1 of such a definition, planted in {@code status}; its id. */
        String workstation(RunningApp app, String status) {
            return dev.atelier.testing.Plants.workstation(app, workspace.slug(), imagedDefinition(app),
                    workspace.owner().id(), status);
        }

        String definition(RunningApp app) {
            String id = unique("def");
            app.plantResource(workspace.slug(), "definition", id, null);
            return id;
        }
    }

    /** A user created through the users API (so the site directory knows their address). */
    private static String registered(RunningApp app) {
        HttpResponse<String> created = app.send("POST", "/api/v1/users", app.bootstrapToken(),
                Json.write(Map.of("email", unique("link") + "@example.com", "displayName", "L")));
        expect(201, created);
        return Json.object(created.body()).get("email").toString();
    }

    private interface FixtureCall {
        Supplier<HttpResponse<String>> prepare(RunningApp app, Fixture fixture);
    }

    private static Budget row(String method, String template, String call, int status, FixtureCall prepare) {
        return new Budget(method, template, call, MAX_READS, MAX_WRITES, status,
                app -> prepare.prepare(app, Fixture.of(app)));
    }

    /** A GET route and its HEAD mirror (the caller is chosen from the fixture). */
    private static List<Budget> getRow(String template, String call,
                                       java.util.function.BiFunction<RunningApp, Fixture, String> path,
                                       java.util.function.Function<Fixture, String> caller) {
        return Stream.of("GET", "HEAD").map(method -> row(method, template,
                method.equals("GET") ? call : call + ", headers only", 200, (app, f) -> {
                    String resolved = path.apply(app, f);
                    return () -> app.send(method, resolved, caller.apply(f), null);
                })).toList();
    }

    /** The rows, where a GET row may come with its HEAD mirror. */
    private static List<Budget> flatten(Object... rows) {
        List<Budget> out = new java.util.ArrayList<>();
        for (Object row : rows) {
            if (row instanceof Budget budget) {
                out.add(budget);
            } else {
                for (Object each : (List<?>) row) {
                    out.add((Budget) each);
                }
            }
        }
        return List.copyOf(out);
    }

    private static Supplier<HttpResponse<String>> logo(RunningApp app, Fixture f, String method) {
        if (bytes(app.sendBytes("PUT", f.path("/logo"), f.owner(), PNG, "image/png")).statusCode() != 204) {
            throw new IllegalStateException("Could not upload a logo");
        }
        return () -> bytes(app.sendBytes(method, f.path("/logo"), f.owner(), null, null));
    }

    /** A byte answer seen as text: budgets only read status codes. */
    private static HttpResponse<String> bytes(HttpResponse<byte[]> response) {
        return new HttpResponse<>() {
            public int statusCode() { return response.statusCode(); }
            public java.net.http.HttpRequest request() { return response.request(); }
            public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
            public java.net.http.HttpHeaders headers() { return response.headers(); }
            public String body() { return ""; }
            public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return response.sslSession(); }
            public java.net.URI uri() { return response.uri(); }
            public java.net.http.HttpClient.Version version() { return response.version(); }
        };
    }

    // Micronaut answers HEAD on every GET route (running the same code): those are routes too.

    private static Call list(String method) {
        return app -> {
            expect(201, app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), newWorkspace()));
            return () -> app.send(method, "/api/v1/workspaces?limit=10", app.bootstrapToken(), null);
        };
    }

    private static Call get(String method) {
        return app -> {
            String slug = unique("budget");
            expect(201, app.send("POST", "/api/v1/workspaces", app.bootstrapToken(),
                    Json.write(Map.of("name", "Budget", "slug", slug))));
            return () -> app.send(method, "/api/v1/workspaces/" + slug, app.bootstrapToken(), null);
        };
    }

    private static Call me(String method) {
        return app -> () -> app.send(method, "/api/v1/me", app.bootstrapToken(), null);
    }

    private static Call health(String method) {
        return app -> () -> app.send(method, "/health", null, null);
    }

    /** The table, for tests and for the benchmark that prints it. */
    public static List<Budget> budgets() {
        return BUDGETS;
    }

    /** Counts the DynamoDB requests of one call (the application is in-process; calls are sequential). */
    public static Measured measure(RunningApp app, Budget budget) {
        Supplier<HttpResponse<String>> call = budget.prepare().prepare(app);
        DynamoDbRequestCounter counter = app.dynamoDbRequests();
        long totalBefore = counter.total();
        long writesBefore = counter.writes();
        Map<String, Long> operationsBefore = counter.byOperation();
        HttpResponse<String> response = call.get();
        long writes = counter.writes() - writesBefore;
        long reads = counter.total() - totalBefore - writes;
        Map<String, Long> operations = new TreeMap<>();
        counter.byOperation().forEach((operation, n) -> {
            long delta = n - operationsBefore.getOrDefault(operation, 0L);
            if (delta > 0) {
                operations.put(operation, delta);
            }
        });
        return new Measured(response.statusCode(), reads, writes, operations);
    }

    /** The routes of the application, as {@code METHOD template}. */
    public static Set<String> routes(RunningApp app) {
        return app.context().getBean(Router.class).uriRoutes()
                .map(route -> route.getHttpMethodName() + " " + route.getUriMatchTemplate().toString())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String newWorkspace() {
        return Json.write(Map.of("name", unique("Budget Team")));
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("Setup call answered " + response.statusCode() + ": " + response.body());
        }
    }

    // --- the tests ------------------------------------------------------------------------

    private static RunningApp app;

    @BeforeAll
    static void start() {
        // Local mode (the outbox carries invitations and links), without the periodic snapshot,
        // whose table scans would be counted into whichever call they overlapped.
        app = RunningApp.start(Map.of("atelier.snapshot-every-seconds", 0));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static List<Budget> rows() {
        return BUDGETS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void call_shouldStayWithinItsDynamoDbRequestBudget(Budget budget) {
        // WHEN the call is made once
        Measured measured = measure(app, budget);

        // THEN it succeeded (a refused call would be cheap for the wrong reason) and stayed in budget
        assertThat(measured.status()).as("status of %s", budget).isEqualTo(budget.expectedStatus());
        assertThat(measured.reads()).as("DynamoDB reads of %s: %s", budget, measured.byOperation())
                .isLessThanOrEqualTo(budget.maxReads());
        assertThat(measured.writes()).as("DynamoDB writes of %s: %s", budget, measured.byOperation())
                .isLessThanOrEqualTo(budget.maxWrites());
    }

    @Test
    void everyRoute_shouldHaveABudget() {
        Set<String> budgeted = BUDGETS.stream().map(Budget::route).collect(Collectors.toSet());

        assertThat(routes(app)).isNotEmpty();
        assertThat(routes(app).stream().filter(route -> !budgeted.contains(route)).toList())
                .as("routes without a row in RequestBudgetTest's table, with its DynamoDB budget")
                .isEmpty();
    }

    @Test
    void everyBudget_shouldNameAnExistingRoute() {
        Set<String> routes = routes(app);

        assertThat(BUDGETS).allSatisfy(budget -> assertThat(routes).as("routes").contains(budget.route()));
    }

    @Test
    void budgets_shouldStayWithinTheProjectWideLimits() {
        // The one exception, documented in docs/access-patterns.md: deleting a workspace.
        assertThat(BUDGETS).filteredOn(b -> !b.route().equals("DELETE /api/v1/workspaces/{slug}")).allSatisfy(budget -> {
            assertThat(budget.maxReads()).isLessThanOrEqualTo(MAX_READS);
            assertThat(budget.maxWrites()).isLessThanOrEqualTo(MAX_WRITES);
        });
    }
}
