package dev.atelier.workstation;

import dev.atelier.local.LocalIdleAlarms;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.atelier.testing.ApiAssertions.assertInvalidField;
import static dev.atelier.testing.ApiAssertions.assertProblem;
import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle auto-stop against the engine: the settings through the API, the idle alarm the worker
 * keeps in the engine's CloudWatch, the local stand-ins for the on-box agent and for CloudWatch's
 * alarm evaluation (a local minute is a second here), and the stop with its reason.
 */
class AutoStopTest {

    private static final Map<String, Object> SCHEDULE = Map.of("days", List.of("mon", "tue", "wed", "thu", "fri"),
            "stopAt", "19:00", "timezone", "Europe/Paris");

    private static RunningApp app;
    private static Workspaces workspaces;
    private static Ec2Client ec2;
    private static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 100,
                "atelier.local.ec2.transition-millis", 300, "atelier.workstations.check-after-seconds", 5,
                "atelier.local.alarms.minute-millis", 1000, "atelier.workstations.auto-stop.min-idle-minutes", 1));
        workspaces = new Workspaces(app);
        ec2 = app.context().getBean(Ec2Client.class);
        cloudWatch = app.context().getBean(CloudWatchClient.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void idleWorkstation_shouldStopByItself_withTheReasonInHistoryAndAudit() {
        // GIVEN a running workstation nobody uses
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Idle")));
        String id = (String) w.get("id");

        // WHEN its own auto-stop says one idle minute
        HttpResponse<String> patched = patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", 1)));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

        // THEN it stops by itself, the stopping entry saying why, and the audit log has the stop by atelier
        Map<String, Object> stopped = Workstations.await(app, ws, id, "stopped");
        assertThat(Json.write(stopped.get("statusHistory"))).contains("stopped after 1 idle minutes");
        assertThat(app.send("GET", ws.path("/audit"), ws.owner().token(), null).body())
                .contains("workstation.auto-stop").contains("\"actor\":\"atelier\"");
    }

    @Test
    void busyWorkstation_shouldKeepRunning() {
        // GIVEN a running workstation whose box is busy, with a one-minute idle auto-stop armed
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Busy")));
        String id = (String) w.get("id");
        ec2.createTags(r -> r.resources((String) w.get("instanceId"))
                .tags(t -> t.key(LocalIdleAlarms.ACTIVITY_TAG).value("busy")));
        assertThat(patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", 1))).statusCode()).isEqualTo(200);
        Eventually.until(Duration.ofSeconds(15), () -> alarm(ws.slug(), id), a -> !a.isEmpty(), "the idle alarm");

        // WHEN several local minutes pass
        sleep(Duration.ofSeconds(5));

        // THEN it still runs
        assertThat(Workstations.get(app, ws, id)).containsEntry("status", "running");
    }

    @Test
    void alarm_shouldBeInTheEngineWhileItRuns_andGoneOnceTerminated() {
        // GIVEN a running workstation following a workspace default of 30 idle minutes
        Workspaces.Workspace ws = workspaces.create();
        HttpResponse<String> put = app.send("PUT", ws.path("/auto-stop"), ws.owner().token(),
                Json.write(Map.of("idleMinutes", 30, "warnMinutes", 5)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Alarmed")));
        String id = (String) w.get("id");
        List<MetricAlarm> armed = Eventually.until(Duration.ofSeconds(15), () -> alarm(ws.slug(), id),
                a -> !a.isEmpty(), "the idle alarm");
        assertThat(armed.get(0).evaluationPeriods()).isEqualTo(30);
        assertThat(armed.get(0).alarmActions()).singleElement().satisfies(a -> assertThat(a).endsWith(":ec2:stop"));

        // WHEN it is terminated
        Workstations.request(app, ws, id, "terminate", 202);
        Workstations.await(app, ws, id, "terminated");

        // THEN the engine has no alarm of it any more
        Eventually.until(Duration.ofSeconds(15), () -> alarm(ws.slug(), id), List::isEmpty, "no idle alarm");
    }

    @Test
    void keepAlive_shouldPushTheDeadline() {
        // GIVEN a running workstation with a 30-minute idle auto-stop
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Kept")));
        String id = (String) w.get("id");
        Map<String, Object> before = Json.object(patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", 30))).body());
        String firstDeadline = (String) autoStop(before).get("deadline");
        sleep(Duration.ofMillis(1500));

        // WHEN its user keeps it alive
        HttpResponse<String> kept = app.send("POST", ws.path("/workstations/" + id + "/keep-alive"),
                ws.owner().token(), null);

        // THEN the deadline is later, and the engine has the activity data point
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        String deadline = (String) autoStop(Workstations.get(app, ws, id)).get("deadline");
        assertThat(Instant.parse(deadline)).isAfter(Instant.parse(firstDeadline));
        assertThat(cloudWatch.getMetricStatistics(r -> r.namespace(WorkstationMetrics.NAMESPACE)
                .metricName(WorkstationMetrics.ACTIVE).dimensions(d -> d.name(WorkstationMetrics.DIMENSION).value(id))
                .startTime(Instant.now().minusSeconds(60)).endTime(Instant.now().plusSeconds(5)).period(60)
                .statistics(software.amazon.awssdk.services.cloudwatch.model.Statistic.MAXIMUM)).datapoints())
                .anySatisfy(p -> assertThat(p.maximum()).isEqualTo(1.0));
    }

    @Test
    void patchAndKeepAlive_shouldAnswerWhetherAnUpdateIsAvailable_asGetDoes() {
        // GIVEN a running workstation whose definition has been built again since it was launched
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = Workstations.builtDefinition(app, ws, unique("Newer"));
        String id = (String) Workstations.running(app, ws, d).get("id");
        Workstations.editDefinition(app, ws, d);
        Workstations.awaitAmi(app, ws, d, 2);

        // WHEN its auto-stop is set, and it is kept alive
        HttpResponse<String> patched = patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", 30)));
        HttpResponse<String> kept = app.send("POST", ws.path("/workstations/" + id + "/keep-alive"),
                ws.owner().token(), null);

        // THEN both answers say an update is available, as reading it does
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(Workstations.get(app, ws, id)).containsEntry("updateAvailable", true);
        assertThat(Json.object(patched.body())).containsEntry("updateAvailable", true);
        assertThat(Json.object(kept.body())).containsEntry("updateAvailable", true);
    }

    @Test
    void ownSettings_shouldWinOverTheWorkspaceDefault_untilCleared() {
        // GIVEN a workspace default of 45 idle minutes with a schedule, and a running workstation
        Workspaces.Workspace ws = workspaces.create();
        assertThat(app.send("PUT", ws.path("/auto-stop"), ws.owner().token(),
                Json.write(Map.of("idleMinutes", 45, "schedule", SCHEDULE))).statusCode()).isEqualTo(200);
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Own")));
        String id = (String) w.get("id");
        assertThat(autoStop(Workstations.get(app, ws, id))).containsEntry("idleMinutes", 45)
                .containsEntry("schedule", SCHEDULE);

        // WHEN the workstation gets its own settings, then they are cleared
        Map<String, Object> own = autoStop(Json.object(patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", 10))).body()));
        java.util.HashMap<String, Object> clear = new java.util.HashMap<>();
        clear.put("autoStop", null);
        Map<String, Object> back = autoStop(Json.object(patch(ws, id, clear).body()));

        // THEN its own settings are in effect (no schedule), then the default again
        assertThat(own).containsEntry("idleMinutes", 10);
        assertThat(own.get("schedule")).isNull();
        assertThat(back).containsEntry("idleMinutes", 45).containsEntry("schedule", SCHEDULE);
    }

    @Test
    void badSettings_shouldBe400NamingTheField() {
        // GIVEN a workspace with a workstation
        Workspaces.Workspace ws = workspaces.create();
        String id = dev.atelier.testing.Plants.workstation(app, ws.slug(), "def-1", ws.owner().id(), "running");

        // WHEN / THEN each bad value is a 400 naming its field
        assertInvalidField(putDefault(ws, Map.of("idleMinutes", 0)), "idleMinutes");
        assertInvalidField(putDefault(ws, Map.of("idleMinutes", "ten")), "idleMinutes");
        assertInvalidField(putDefault(ws, Map.of("idleMinutes", 10, "warnMinutes", 10)), "warnMinutes");
        assertInvalidField(putDefault(ws, Map.of("schedule", Map.of("days", List.of("monday"), "stopAt", "19:00",
                "timezone", "UTC"))), "schedule.days");
        assertInvalidField(putDefault(ws, Map.of("schedule", Map.of("days", List.of("mon"), "stopAt", "25:00",
                "timezone", "UTC"))), "schedule.stopAt");
        assertInvalidField(putDefault(ws, Map.of("schedule", Map.of("days", List.of("mon"), "stopAt", "19:00",
                "timezone", "Mars/Olympus"))), "schedule.timezone");
        assertInvalidField(putDefault(ws, Map.of("idleMinute", 10)), "idleMinute");
        assertInvalidField(patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", -1))), "autoStop.idleMinutes");
        assertInvalidField(patch(ws, id, Map.of("name", "x")), "name");
    }

    @Test
    void scheduledStop_shouldStopRunningWorkstationsPastTheirStopTime_withTheReason() {
        // GIVEN a running workstation and a workspace schedule stopping every day at the coming minute (UTC)
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Hours")));
        String id = (String) w.get("id");
        Instant stopAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
        String hhmm = stopAt.toString().substring(11, 16);
        assertThat(putDefault(ws, Map.of("schedule", Map.of("days", AutoStop.Schedule.DAYS, "stopAt", hhmm,
                "timezone", "UTC"))).statusCode()).isEqualTo(200);
        sleep(Duration.between(Instant.now(), stopAt).plusMillis(500));

        // WHEN the end of working hours is announced to the worker
        var json = app.context().getBean(io.micronaut.json.JsonMapper.class);
        app.context().getBean(WorkstationQueue.class).send(WorkstationMessages.command(json,
                WorkstationMessages.Command.SCHEDULED_STOP, ws.slug(), WorkstationMessages.WORKSPACE), 0);

        // THEN it stops, saying why
        Map<String, Object> stopped = Workstations.await(app, ws, id, "stopped");
        assertThat(Json.write(stopped.get("statusHistory"))).contains("stopped at the end of working hours (" + hhmm + " UTC)");
    }

    @Test
    void keepAlive_ofAStoppedWorkstation_shouldBe409() {
        // GIVEN a stopped workstation
        Workspaces.Workspace ws = workspaces.create();
        String id = dev.atelier.testing.Plants.workstation(app, ws.slug(), "def-1", ws.owner().id(), "stopped");

        // WHEN it is kept alive
        HttpResponse<String> kept = app.send("POST", ws.path("/workstations/" + id + "/keep-alive"),
                ws.owner().token(), null);

        // THEN 409
        assertProblem(kept, 409);
    }

    private static HttpResponse<String> patch(Workspaces.Workspace ws, String id, Map<String, Object> body) {
        return app.send("PATCH", ws.path("/workstations/" + id), ws.owner().token(), Json.write(body));
    }

    private static HttpResponse<String> putDefault(Workspaces.Workspace ws, Map<String, Object> body) {
        return app.send("PUT", ws.path("/auto-stop"), ws.owner().token(), Json.write(body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> autoStop(Map<String, Object> w) {
        assertThat(w.get("autoStop")).as(Json.write(w)).isInstanceOf(Map.class);
        return (Map<String, Object>) w.get("autoStop");
    }

    private static List<MetricAlarm> alarm(String slug, String id) {
        return cloudWatch.describeAlarms(r -> r.alarmNames(IdleAlarms.name(slug, id))).metricAlarms();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
