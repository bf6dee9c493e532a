package dev.atelier.access;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken object-level authorization: the owner of workspace B, who may do everything in B,
 * names objects of workspace A through B's paths (and A's paths directly). Every such request
 * answers 404 and changes nothing in A.
 */
class CrossWorkspaceTest {

    private static RunningApp app;
    private static String a;
    private static String b;
    private static RunningApp.TestUser ownerOfB;
    private static String memberOfA;
    private static String groupOfA;
    private static String definitionOfA;
    private static String buildOfA;
    private static String workstationOfA;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
        RunningApp.TestUser ownerOfA = app.newUser(unique("a") + "@example.com");
        ownerOfB = app.newUser(unique("b") + "@example.com");
        a = unique("alpha");
        b = unique("beta");
        assertThat(app.send("POST", "/api/v1/workspaces", ownerOfA.token(), Json.write(Map.of("name", "A", "slug", a)))
                .statusCode()).isEqualTo(201);
        assertThat(app.send("POST", "/api/v1/workspaces", ownerOfB.token(), Json.write(Map.of("name", "B", "slug", b)))
                .statusCode()).isEqualTo(201);
        memberOfA = ownerOfA.id();
        definitionOfA = unique("def");
        app.plantResource(a, "definition", definitionOfA, null);
        buildOfA = "20260101000000000-0a0b0c0d";
        app.context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class).putItem(r -> r
                .tableName(app.tableName()).item(dev.atelier.imagebuild.BuildItem.pending(a, definitionOfA, buildOfA, 1,
                        ownerOfA.id(), "2026-01-01T00:00:00Z").toItem()));
        workstationOfA = dev.atelier.testing.Plants.workstation(app, a, definitionOfA, ownerOfA.id(), "running");
        groupOfA = (String) Json.object(app.send("POST", "/api/v1/workspaces/" + a + "/groups", ownerOfA.token(),
                Json.write(Map.of("name", "A team"))).body()).get("id");
        app.send("PUT", "/api/v1/workspaces/" + a + "/groups/" + groupOfA + "/members", ownerOfA.token(),
                Json.write(Map.of("userIds", List.of(ownerOfA.id()))));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /api/v1/workspaces/{B}/members/{memberOfA}",
            "PUT    | /api/v1/workspaces/{B}/members/{memberOfA}/actions",
            "DELETE | /api/v1/workspaces/{B}/members/{memberOfA}",
            "GET    | /api/v1/workspaces/{B}/groups/{groupOfA}",
            "PUT    | /api/v1/workspaces/{B}/groups/{groupOfA}/members",
            "DELETE | /api/v1/workspaces/{B}/groups/{groupOfA}",
            "GET    | /api/v1/workspaces/{A}",
            "GET    | /api/v1/workspaces/{A}/members",
            "GET    | /api/v1/workspaces/{A}/members/{memberOfA}",
            "PUT    | /api/v1/workspaces/{A}/members/{memberOfA}/actions",
            "DELETE | /api/v1/workspaces/{A}/members/{memberOfA}",
            "GET    | /api/v1/workspaces/{A}/groups",
            "GET    | /api/v1/workspaces/{A}/groups/{groupOfA}",
            "PUT    | /api/v1/workspaces/{A}/groups/{groupOfA}/members",
            "DELETE | /api/v1/workspaces/{A}/groups/{groupOfA}",
            "POST   | /api/v1/workspaces/{A}/groups",
            "POST   | /api/v1/workspaces/{A}/invitations",
            "GET    | /api/v1/workspaces/{A}/invitations",
            "GET    | /api/v1/workspaces/{A}/audit",
            "GET    | /api/v1/workspaces/{B}/definitions/{definitionOfA}",
            "PUT    | /api/v1/workspaces/{B}/definitions/{definitionOfA}",
            "POST   | /api/v1/workspaces/{B}/definitions/{definitionOfA}/copy",
            "DELETE | /api/v1/workspaces/{B}/definitions/{definitionOfA}",
            "GET    | /api/v1/workspaces/{A}/definitions",
            "GET    | /api/v1/workspaces/{A}/definitions/{definitionOfA}",
            "DELETE | /api/v1/workspaces/{A}/definitions/{definitionOfA}",
            "GET    | /api/v1/workspaces/{B}/definitions/{definitionOfA}/builds",
            "POST   | /api/v1/workspaces/{B}/definitions/{definitionOfA}/builds",
            "POST   | /api/v1/workspaces/{B}/definitions/{definitionOfA}/builds/{buildOfA}/cancel",
            "POST   | /api/v1/workspaces/{B}/definitions/{definitionOfA}/builds/{buildOfA}/promote",
            "GET    | /api/v1/workspaces/{B}/definitions/{definitionOfA}/builds/{buildOfA}/log",
            "GET    | /api/v1/workspaces/{A}/definitions/{definitionOfA}/builds",
            "POST   | /api/v1/workspaces/{A}/definitions/{definitionOfA}/builds",
            "POST   | /api/v1/workspaces/{A}/definitions/{definitionOfA}/builds/{buildOfA}/cancel",
            "POST   | /api/v1/workspaces/{A}/definitions/{definitionOfA}/builds/{buildOfA}/promote",
            "GET    | /api/v1/workspaces/{A}/definitions/{definitionOfA}/builds/{buildOfA}/log",
            "GET    | /api/v1/workspaces/{B}/definitions/{definitionOfA}/grants",
            "PUT    | /api/v1/workspaces/{B}/definitions/{definitionOfA}/grants",
            "GET    | /api/v1/workspaces/{A}/definitions/{definitionOfA}/grants",
            "PUT    | /api/v1/workspaces/{A}/definitions/{definitionOfA}/grants",
            "GET    | /api/v1/workspaces/{B}/effective-permissions?principal=user:{memberOfA}&resource=definition:{definitionOfA}",
            "GET    | /api/v1/workspaces/{A}/effective-permissions?principal=user:{memberOfA}&resource=definition:{definitionOfA}",
            "POST   | /api/v1/workspaces/{B}/workstations",
            "POST   | /api/v1/workspaces/{A}/workstations",
            "GET    | /api/v1/workspaces/{A}/workstations",
            "GET    | /api/v1/workspaces/{B}/workstations/{workstationOfA}",
            "POST   | /api/v1/workspaces/{B}/workstations/{workstationOfA}/start",
            "POST   | /api/v1/workspaces/{B}/workstations/{workstationOfA}/stop",
            "POST   | /api/v1/workspaces/{B}/workstations/{workstationOfA}/restart",
            "POST   | /api/v1/workspaces/{B}/workstations/{workstationOfA}/update",
            "DELETE | /api/v1/workspaces/{B}/workstations/{workstationOfA}",
            "POST   | /api/v1/workspaces/{B}/workstations/{workstationOfA}/connect",
            "GET    | /api/v1/workspaces/{B}/workstations/{workstationOfA}/metrics",
            "PATCH  | /api/v1/workspaces/{B}/workstations/{workstationOfA}",
            "POST   | /api/v1/workspaces/{B}/workstations/{workstationOfA}/keep-alive",
            "GET    | /api/v1/workspaces/{A}/workstations/{workstationOfA}",
            "POST   | /api/v1/workspaces/{A}/workstations/{workstationOfA}/stop",
            "DELETE | /api/v1/workspaces/{A}/workstations/{workstationOfA}",
            "POST   | /api/v1/workspaces/{A}/workstations/{workstationOfA}/connect",
            "GET    | /api/v1/workspaces/{A}/workstations/{workstationOfA}/metrics",
            "GET    | /api/v1/workspaces/{B}/workstations/{workstationOfA}/grants",
            "PUT    | /api/v1/workspaces/{B}/workstations/{workstationOfA}/grants",
    })
    void objectsOfAnotherWorkspace_shouldBeInvisibleAndUntouched(String method, String template) {
        // GIVEN workspace A as it is
        String before = partitionOf(a);
        String path = template.replace("{A}", a).replace("{B}", b)
                .replace("{memberOfA}", memberOfA).replace("{groupOfA}", groupOfA)
                .replace("{definitionOfA}", definitionOfA).replace("{buildOfA}", buildOfA)
                .replace("{workstationOfA}", workstationOfA);
        String body = switch (method) {
            case "PUT" -> path.matches(".*/definitions/[^/]+$") ? Json.write(Map.of("displayName", "Hijacked"))
                    : path.endsWith("/actions") ? Json.write(Map.of("actions", List.of("members.manage")))
                    : path.endsWith("/grants") ? Json.write(List.of(Map.of("principal", "user:" + ownerOfB.id(), "preset", "full")))
                    : Json.write(Map.of("userIds", List.of(ownerOfB.id())));
            case "POST" -> path.endsWith("/copy") ? Json.write(Map.of("displayName", "Stolen copy"))
                    : path.endsWith("/groups") ? Json.write(Map.of("name", unique("intruders")))
                    : path.endsWith("/workstations") ? Json.write(Map.of("definitionId", definitionOfA))
                    : Json.write(Map.of("email", "intruder@example.com"));
            default -> null;
        };
        // WHEN the owner of B tries it
        HttpResponse<String> response = app.send(method, path, ownerOfB.token(), body);
        // THEN 404, and A is exactly as it was
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("A team");
        assertThat(partitionOf(a)).isEqualTo(before);
    }

    @Test
    void groupMembers_shouldRefuseUsersOfAnotherWorkspace() {
        // GIVEN a group in B; WHEN its owner adds a member of A who is not in B THEN 400, nothing added
        String groupOfB = (String) Json.object(app.send("POST", "/api/v1/workspaces/" + b + "/groups", ownerOfB.token(),
                Json.write(Map.of("name", unique("b team")))).body()).get("id");
        HttpResponse<String> response = app.send("PUT", "/api/v1/workspaces/" + b + "/groups/" + groupOfB + "/members",
                ownerOfB.token(), Json.write(Map.of("userIds", List.of(memberOfA))));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(partitionOf(a)).doesNotContain(groupOfB);
    }

    private static String partitionOf(String slug) {
        return app.context().getBean(DynamoDbClient.class).query(r -> r.tableName(app.tableName())
                        .keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("WS#" + slug))))
                .items().toString();
    }

}
