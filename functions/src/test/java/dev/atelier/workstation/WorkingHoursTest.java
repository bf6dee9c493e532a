package dev.atelier.workstation;

import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.ShiftedClock;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Working-hours schedules and the idle warning's settings against the engine: the schedules the
 * worker keeps in the engine's Scheduler, the local stand-in that fires them when due (the
 * application's clock is set a few seconds before a stop time), and the idle-setting tags on the
 * engine's instance.
 */
class WorkingHoursTest {

    private static final Map<String, Object> WEEKDAYS = Map.of("days", List.of("mon", "tue", "wed", "thu", "fri"),
            "stopAt", "19:00", "timezone", "Europe/Paris");

    private static RunningApp app;
    private static Workspaces workspaces;
    private static SchedulerClient scheduler;
    private static Ec2Client ec2;
    private static String group;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 100,
                "atelier.local.ec2.transition-millis", 300, "atelier.workstations.check-after-seconds", 3,
                "atelier.local.alarms.enabled", "false", "atelier.local.schedules.tick-millis", 500,
                "atelier.test.shifted-clock", "true"));
        workspaces = new Workspaces(app);
        scheduler = app.context().getBean(SchedulerClient.class);
        ec2 = app.context().getBean(Ec2Client.class);
        group = app.tableName();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @AfterEach
    void realTime() {
        app.context().getBean(ShiftedClock.class).setAhead(Duration.ZERO);
    }

    @Test
    void defaultSchedule_shouldStopTheRunningWorkstationThroughTheEnginesSchedule_withTheReason() {
        // GIVEN a running workstation, and the application's clock five seconds before a minute
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Hours")));
        String id = (String) w.get("id");
        Instant real = Instant.now();
        Instant stopAt = real.truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
        app.context().getBean(ShiftedClock.class).setAhead(Duration.between(real, stopAt.minusSeconds(8)));
        String hhmm = stopAt.toString().substring(11, 16);

        // WHEN the workspace default stops every day at that minute (UTC)
        HttpResponse<String> put = putDefault(ws, Map.of("schedule", Map.of("days", AutoStop.Schedule.DAYS,
                "stopAt", hhmm, "timezone", "UTC")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        // THEN the engine's schedule fires and the workstation stops, saying why
        Map<String, Object> stopped = Eventually.until(Duration.ofSeconds(40), () -> Workstations.get(app, ws, id),
                x -> "stopped".equals(x.get("status")), "workstation stopped at the end of working hours");
        assertThat(Json.write(stopped.get("statusHistory"))).contains("stopped at the end of working hours (" + hhmm + " UTC)");
    }

    @Test
    void schedules_shouldFollowTheDefaultAndOwnSettings_andGoWithTheWorkspace() {
        // GIVEN a workspace whose default stops weekdays at 19:00 Paris time, with a workstation
        Workspaces.Workspace ws = workspaces.create();
        assertThat(putDefault(ws, Map.of("schedule", WEEKDAYS)).statusCode()).isEqualTo(200);
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Own")));
        String id = (String) w.get("id");
        GetScheduleResponse first = Eventually.until(Duration.ofSeconds(15), () -> schedules(ws.slug()),
                s -> s.size() == 1, "the default's schedule").values().iterator().next();
        assertThat(first.scheduleExpression()).isEqualTo("cron(0 19 ? * MON,TUE,WED,THU,FRI *)");
        assertThat(first.scheduleExpressionTimezone()).isEqualTo("Europe/Paris");
        assertThat(Json.object(first.target().input())).containsEntry("command", "scheduled_stop")
                .containsEntry("slug", ws.slug()).containsEntry("id", "*");
        assertThat(first.target().arn()).endsWith(":" + group + "-workstation-events");

        // WHEN the workstation gets its own 17:30 UTC schedule, then the default changes to 18:00
        assertThat(patch(ws, id, Map.of("autoStop", Map.of("schedule", Map.of("days", List.of("mon"),
                "stopAt", "17:30", "timezone", "UTC")))).statusCode()).isEqualTo(200);
        Map<String, GetScheduleResponse> both = Eventually.until(Duration.ofSeconds(15), () -> schedules(ws.slug()),
                s -> s.size() == 2, "a schedule each");
        assertThat(putDefault(ws, Map.of("schedule", Map.of("days", List.of("fri"), "stopAt", "18:00",
                "timezone", "UTC"))).statusCode()).isEqualTo(200);

        // THEN the engine has one schedule per distinct schedule in force
        assertThat(both.values().stream().map(GetScheduleResponse::scheduleExpression))
                .containsExactlyInAnyOrder("cron(0 19 ? * MON,TUE,WED,THU,FRI *)", "cron(30 17 ? * MON *)");
        Eventually.until(Duration.ofSeconds(15), () -> expressions(ws.slug()),
                e -> e.equals(List.of("cron(0 18 ? * FRI *)", "cron(30 17 ? * MON *)")), "the new default's schedule");

        // AND once the workstation is terminated and the workspace deleted, none is left
        Workstations.request(app, ws, id, "terminate", 202);
        Workstations.await(app, ws, id, "terminated");
        Eventually.until(Duration.ofSeconds(15), () -> expressions(ws.slug()),
                e -> e.equals(List.of("cron(0 18 ? * FRI *)")), "the default's schedule only");
        HttpResponse<String> deleted = app.send("DELETE", ws.path(""), ws.owner().token(), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        Eventually.until(Duration.ofSeconds(15), () -> schedules(ws.slug()), Map::isEmpty, "no schedule");
    }

    @Test
    void idleSettingTags_shouldFollowTheSettingsOnTheEnginesInstance() {
        // GIVEN a running workstation
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> w = Workstations.running(app, ws, Workstations.builtDefinition(app, ws, unique("Warn")));
        String id = (String) w.get("id");
        String instanceId = (String) w.get("instanceId");

        // WHEN its own settings say 30 idle minutes with a 5-minute warning, then 45 without warning, then none
        assertThat(patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", 30, "warnMinutes", 5))).statusCode()).isEqualTo(200);
        Map<String, String> warned = Eventually.until(Duration.ofSeconds(15), () -> idleTags(instanceId),
                t -> t.size() == 2, "both idle tags");
        assertThat(patch(ws, id, Map.of("autoStop", Map.of("idleMinutes", 45))).statusCode()).isEqualTo(200);
        Map<String, String> unwarned = Eventually.until(Duration.ofSeconds(15), () -> idleTags(instanceId),
                t -> t.equals(Map.of(WorkstationTags.IDLE_MINUTES, "45")), "the new idle time without warning");
        assertThat(patch(ws, id, Map.of("autoStop", Map.of("schedule", WEEKDAYS))).statusCode()).isEqualTo(200);

        // THEN the instance's tags say so each time, and nothing once there is no idle time
        assertThat(warned).isEqualTo(Map.of(WorkstationTags.IDLE_MINUTES, "30", WorkstationTags.WARN_MINUTES, "5"));
        assertThat(unwarned).isEqualTo(Map.of(WorkstationTags.IDLE_MINUTES, "45"));
        Eventually.until(Duration.ofSeconds(15), () -> idleTags(instanceId), Map::isEmpty, "no idle tag");
    }

    /** The workspace's schedules in the engine, by name, as GetSchedule answers them. */
    private static Map<String, GetScheduleResponse> schedules(String slug) {
        Map<String, GetScheduleResponse> found = new HashMap<>();
        for (ScheduleSummary s : scheduler.listSchedules(r -> r.groupName(group).namePrefix(Schedules.prefix(slug))).schedules()) {
            found.put(s.name(), scheduler.getSchedule(r -> r.groupName(group).name(s.name())));
        }
        return found;
    }

    private static List<String> expressions(String slug) {
        return schedules(slug).values().stream().map(GetScheduleResponse::scheduleExpression).sorted().toList();
    }

    private static Map<String, String> idleTags(String instanceId) {
        return ec2.describeTags(r -> r.filters(f -> f.name("resource-id").values(instanceId))).tags().stream()
                .filter(t -> t.key().equals(WorkstationTags.IDLE_MINUTES) || t.key().equals(WorkstationTags.WARN_MINUTES))
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    private static HttpResponse<String> patch(Workspaces.Workspace ws, String id, Map<String, Object> body) {
        return app.send("PATCH", ws.path("/workstations/" + id), ws.owner().token(), Json.write(body));
    }

    private static HttpResponse<String> putDefault(Workspaces.Workspace ws, Map<String, Object> body) {
        return app.send("PUT", ws.path("/auto-stop"), ws.owner().token(), Json.write(body));
    }
}
