package dev.atelier.workstation;

import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Volume;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.atelier.testing.ApiAssertions.assertProblem;
import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workstation's whole life against the engine's EC2, driven only through the API and EC2's
 * state-change events (published by the local source as EC2 would): launch → running → stop →
 * stopped → start → running → update → running on the new image with the same home volume →
 * terminate → nothing of it left in EC2.
 */
class WorkstationLifecycleTest {

    private static RunningApp app;
    private static Workspaces workspaces;
    private static Ec2Client ec2;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 100,
                "atelier.local.ec2.transition-millis", 300, "atelier.workstations.check-after-seconds", 5));
        workspaces = new Workspaces(app);
        ec2 = app.context().getBean(Ec2Client.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void lifecycle_shouldFollowEc2_andLeaveNothingBehind() {
        // GIVEN a definition with an available image
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = Workstations.builtDefinition(app, ws, unique("Box"));
        String firstAmi = Workstations.currentAmi(app, ws, d);

        // WHEN a member launches a workstation from it
        HttpResponse<String> launched = app.send("POST", ws.path("/workstations"), ws.owner().token(),
                Json.write(Map.of("definitionId", d.get("id"), "name", "my box")));

        // THEN 202: pending, the launch under way; then running on the definition's image, with a home volume attached
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        Map<String, Object> w = Json.object(launched.body());
        assertThat(w).containsEntry("status", "pending").containsEntry("amiId", firstAmi)
                .containsEntry("instanceType", "t3.large").containsEntry("name", "my box");
        assertThat(launched.headers().firstValue("Location")).hasValue(ws.path("/workstations/" + w.get("id")));
        String id = (String) w.get("id");
        Map<String, Object> running = Workstations.await(app, ws, id, "running");
        String firstInstance = (String) running.get("instanceId");
        String home = (String) running.get("homeVolumeId");
        assertThat(firstInstance).startsWith("i-");
        assertThat(home).startsWith("vol-");
        Instance instance = instance(firstInstance);
        assertThat(instance.state().nameAsString()).isEqualTo("running");
        assertThat(instance.imageId()).isEqualTo(firstAmi);
        assertThat(instance.tags()).anyMatch(t -> t.key().equals("atelier:workstation") && t.value().equals(id))
                .anyMatch(t -> t.key().equals("atelier:workspace") && t.value().equals(ws.slug()))
                .anyMatch(t -> t.key().equals("atelier:launched-by") && t.value().equals(ws.owner().id()));
        Eventually.until(Duration.ofSeconds(10), () -> volume(home), v -> attachedTo(v, firstInstance),
                "home attached to " + firstInstance);
        assertThat(Workstations.statuses(running)).containsSubsequence("pending", "running");

        // WHEN it is stopped, THEN it is stopping, then stopped, as EC2 says
        Workstations.request(app, ws, id, "stop", 202);
        assertThat(Workstations.await(app, ws, id, "stopped").get("statusHistory").toString()).contains("stopping");
        assertThat(instance(firstInstance).state().nameAsString()).isEqualTo("stopped");

        // WHEN it is started again, THEN it runs again on the same instance
        Workstations.request(app, ws, id, "start", 202);
        assertThat(Workstations.await(app, ws, id, "running")).containsEntry("instanceId", firstInstance);

        // WHEN its definition gets a newer image, THEN an update is available; the update brings it
        // back on the new image, on a new instance, with the same home volume
        Map<String, Object> edited = Workstations.editDefinition(app, ws, d);
        String secondAmi = Workstations.awaitAmi(app, ws, edited, 2);
        assertThat(secondAmi).isNotEqualTo(firstAmi);
        assertThat(Workstations.get(app, ws, id)).containsEntry("updateAvailable", true);
        Workstations.request(app, ws, id, "update", 202);
        Map<String, Object> updated = Eventually.until(Duration.ofSeconds(30), () -> Workstations.get(app, ws, id),
                x -> "running".equals(x.get("status")) && secondAmi.equals(x.get("amiId")), "running on " + secondAmi);
        String secondInstance = (String) updated.get("instanceId");
        assertThat(secondInstance).isNotEqualTo(firstInstance);
        assertThat(updated).containsEntry("homeVolumeId", home).containsEntry("updateAvailable", false)
                .containsEntry("definitionVersion", 2);
        assertThat(instance(secondInstance).imageId()).isEqualTo(secondAmi);
        assertThat(instance(firstInstance).state().nameAsString()).isEqualTo("terminated");
        Eventually.until(Duration.ofSeconds(10), () -> volume(home), v -> attachedTo(v, secondInstance),
                "home attached to " + secondInstance);

        // WHEN it is terminated
        Workstations.request(app, ws, id, "terminate", 202);

        // THEN terminated, and nothing of it is left in EC2: no live instance, no volume
        Workstations.await(app, ws, id, "terminated");
        assertThat(instancesOf(id)).allMatch(i -> i.state().nameAsString().equals("terminated"));
        assertThat(volumesOf(id)).isEmpty();
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("attachment.instance-id")
                .values(firstInstance, secondInstance).build())).networkInterfaces()).isEmpty();
        // AND it no longer lists, unless asked for
        assertThat(Json.items(app.send("GET", ws.path("/workstations"), ws.owner().token(), null).body()))
                .noneMatch(x -> id.equals(x.get("id")));
        assertThat(Json.items(app.send("GET", ws.path("/workstations?terminated=true"), ws.owner().token(), null).body()))
                .anyMatch(x -> id.equals(x.get("id")));
        // AND starting it now is refused
        assertProblem(app.send("POST", ws.path("/workstations/" + id + "/start"), ws.owner().token(), null), 409);
    }

    private static boolean attachedTo(Volume v, String instanceId) {
        return v.attachments().stream().anyMatch(a -> instanceId.equals(a.instanceId()));
    }

    private static Instance instance(String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0);
    }

    private static Volume volume(String volumeId) {
        return ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes().get(0);
    }

    private static List<Instance> instancesOf(String workstationId) {
        return ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:atelier:workstation")
                .values(workstationId).build())).reservations().stream().flatMap(r -> r.instances().stream()).toList();
    }

    private static List<Volume> volumesOf(String workstationId) {
        return ec2.describeVolumes(r -> r.filters(Filter.builder().name("tag:atelier:workstation")
                .values(workstationId).build())).volumes();
    }
}
