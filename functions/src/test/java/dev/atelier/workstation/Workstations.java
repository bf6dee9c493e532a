package dev.atelier.workstation;

import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps the workstation tests share: a built definition, a running workstation, waiting for a status. */
final class Workstations {

    private Workstations() { }

    /** A definition (2 vCPUs, 8 GiB) whose first build is available. */
    static Map<String, Object> builtDefinition(RunningApp app, Workspaces.Workspace ws, String displayName) {
        HttpResponse<String> created = app.send("POST", ws.path("/definitions"), ws.owner().token(),
                Json.write(Map.of("displayName", displayName)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> d = Json.object(created.body());
        awaitAmi(app, ws, d, 1);
        return d;
    }

    /** Saves a new version of the definition (a new build starts). */
    static Map<String, Object> editDefinition(RunningApp app, Workspaces.Workspace ws, Map<String, Object> d) {
        Map<String, Object> current = Json.object(app.send("GET", ws.path("/definitions/" + d.get("id")),
                ws.owner().token(), null).body());
        current.put("requirements", "numpy\n");
        HttpResponse<String> saved = app.send("PUT", ws.path("/definitions/" + d.get("id")), ws.owner().token(),
                Json.write(current));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        return Json.object(saved.body());
    }

    /** Waits until the definition's current image is of {@code version}; its AMI. */
    @SuppressWarnings("unchecked")
    static String awaitAmi(RunningApp app, Workspaces.Workspace ws, Map<String, Object> d, long version) {
        Map<String, Object> found = Eventually.until(Duration.ofSeconds(30), () -> Json.object(app.send("GET",
                        ws.path("/definitions/" + d.get("id")), ws.owner().token(), null).body()),
                x -> x.get("currentImage") instanceof Map<?, ?> image && ((Number) image.get("version")).longValue() == version,
                "an available image of version " + version);
        return (String) ((Map<String, Object>) found.get("currentImage")).get("amiId");
    }

    static String currentAmi(RunningApp app, Workspaces.Workspace ws, Map<String, Object> d) {
        return awaitAmi(app, ws, d, ((Number) Json.object(app.send("GET", ws.path("/definitions/" + d.get("id")),
                ws.owner().token(), null).body()).get("version")).longValue());
    }

    /** A workstation launched from {@code d} by the owner, running. */
    static Map<String, Object> running(RunningApp app, Workspaces.Workspace ws, Map<String, Object> d) {
        HttpResponse<String> launched = app.send("POST", ws.path("/workstations"), ws.owner().token(),
                Json.write(Map.of("definitionId", d.get("id"))));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        return await(app, ws, (String) Json.object(launched.body()).get("id"), "running");
    }

    static Map<String, Object> get(RunningApp app, Workspaces.Workspace ws, String id) {
        HttpResponse<String> response = app.send("GET", ws.path("/workstations/" + id), ws.owner().token(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.object(response.body());
    }

    static Map<String, Object> await(RunningApp app, Workspaces.Workspace ws, String id, String status) {
        return Eventually.until(Duration.ofSeconds(30), () -> get(app, ws, id),
                w -> status.equals(w.get("status")) && w.get("operation") == null
                        || "failed".equals(w.get("status")) && !"failed".equals(status),
                "workstation " + id + " " + status);
    }

    static Map<String, Object> request(RunningApp app, Workspaces.Workspace ws, String id, String what, int expected) {
        HttpResponse<String> response = what.equals("terminate")
                ? app.send("DELETE", ws.path("/workstations/" + id), ws.owner().token(), null)
                : app.send("POST", ws.path("/workstations/" + id + "/" + what), ws.owner().token(), null);
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(expected);
        return Json.object(response.body());
    }

    @SuppressWarnings("unchecked")
    static List<String> statuses(Map<String, Object> w) {
        return ((List<Map<String, Object>>) w.get("statusHistory")).stream().map(e -> (String) e.get("status")).toList();
    }

    /** The times of {@code w}'s status history, oldest first. */
    @SuppressWarnings("unchecked")
    static List<java.time.Instant> historyTimes(Map<String, Object> w) {
        return ((List<Map<String, Object>>) w.get("statusHistory")).stream()
                .map(e -> java.time.Instant.parse((String) e.get("at"))).toList();
    }
}
