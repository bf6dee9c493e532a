package dev.atelier.workstation;

import dev.atelier.testing.ApiAssertions;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workstation's metrics, read back through the API from the engine's CloudWatch, where they
 * are put as the on-box agent publishes them.
 */
class WorkstationMetricsTest {

    private static RunningApp app;
    private static Workspaces workspaces;
    private static CloudWatchClient cloudWatch;
    private Workspaces.Workspace ws;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
        workspaces = new Workspaces(app);
        cloudWatch = app.context().getBean(CloudWatchClient.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void workspace() {
        ws = workspaces.create();
    }

    @Test
    void metrics_shouldAnswerWhatTheAgentPublished_forThisWorkstationOnly() {
        // GIVEN CPU and memory readings of a workstation 10 minutes ago, and CPU of another one
        String id = WorkstationConnectTest.plantWorkstation(app, ws, "linux", null, "running");
        String other = WorkstationConnectTest.plantWorkstation(app, ws, "linux", null, "running");
        Instant at = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        publish(id, WorkstationMetrics.CPU, at, 42.5);
        publish(id, WorkstationMetrics.MEMORY, at, 61.0);
        publish(other, WorkstationMetrics.CPU, at, 99.0);
        // WHEN its metrics are read for the last hour
        HttpResponse<String> response = metrics(id, null);
        // THEN CPU and memory, in percent, each with the reading, nothing of the other workstation
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Map<String, Object>> series = series(response);
        assertThat(series).extracting(s -> s.get("name")).containsExactly("cpu", "memory");
        assertThat(series).allSatisfy(s -> assertThat(s.get("unit")).isEqualTo("Percent"));
        assertThat(values(series.get(0))).containsExactly(42.5);
        assertThat(values(series.get(1))).containsExactly(61.0);
        assertThat(Instant.parse((String) points(series.get(0)).get(0).get(0)))
                .isBetween(at.minus(Duration.ofMinutes(1)), at.plus(Duration.ofMinutes(1)));
    }

    @Test
    void metrics_shouldAddGpuSeries_whenWorkstationHasAGpu() {
        // GIVEN a GPU workstation whose agent published GPU utilisation
        String id = WorkstationConnectTest.plantWorkstation(app, ws, "linux", "nvidia-a10g", "running");
        publish(id, WorkstationMetrics.GPU, Instant.now().minus(Duration.ofMinutes(5)), 77.0);
        // WHEN its metrics are read
        List<Map<String, Object>> series = series(metrics(id, null));
        // THEN four series, GPU utilisation with the reading
        assertThat(series).extracting(s -> s.get("name")).containsExactly("cpu", "memory", "gpu", "gpuMemory");
        assertThat(values(series.get(2))).containsExactly(77.0);
    }

    @Test
    void metrics_shouldLeaveReadingsBeforeSinceOut() {
        // GIVEN readings 2 hours and 10 minutes ago
        String id = WorkstationConnectTest.plantWorkstation(app, ws, "linux", null, "running");
        publish(id, WorkstationMetrics.CPU, Instant.now().minus(Duration.ofHours(2)), 10.0);
        publish(id, WorkstationMetrics.CPU, Instant.now().minus(Duration.ofMinutes(10)), 20.0);
        // WHEN read since 30 minutes ago
        List<Map<String, Object>> series = series(metrics(id, Instant.now().minus(Duration.ofMinutes(30)).toString()));
        // THEN only the later one
        assertThat(values(series.get(0))).containsExactly(20.0);
    }

    @Test
    void metrics_shouldAnswer400NamingSince_whenItIsNoTime() {
        String id = WorkstationConnectTest.plantWorkstation(app, ws, "linux", null, "running");
        ApiAssertions.assertInvalidField(metrics(id, "yesterday"), "since");
    }

    @Test
    void metrics_shouldAnswer400NamingSince_whenItIsMoreThan14DaysBack() {
        String id = WorkstationConnectTest.plantWorkstation(app, ws, "linux", null, "running");
        ApiAssertions.assertInvalidField(metrics(id, Instant.now().minus(Duration.ofDays(15)).toString()), "since");
    }

    @Test
    void metrics_shouldAnswer404_whenMemberHasNoGrantOnTheWorkstation() {
        String id = WorkstationConnectTest.plantWorkstation(app, ws, "linux", null, "running");
        RunningApp.TestUser member = workspaces.member(ws, "workstations.view");
        ApiAssertions.assertProblem(app.send("GET", ws.path("/workstations/" + id + "/metrics"), member.token(), null),
                404);
    }

    private void publish(String workstationId, String metric, Instant at, double value) {
        cloudWatch.putMetricData(r -> r.namespace(WorkstationMetrics.NAMESPACE).metricData(d -> d.metricName(metric)
                .dimensions(x -> x.name(WorkstationMetrics.DIMENSION).value(workstationId))
                .timestamp(at).value(value).unit(StandardUnit.PERCENT)));
    }

    private HttpResponse<String> metrics(String id, String since) {
        return app.send("GET", ws.path("/workstations/" + id + "/metrics"
                + (since == null ? "" : "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8))),
                ws.owner().token(), null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> series(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<Map<String, Object>>) Json.object(response.body()).get("series");
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> points(Map<String, Object> series) {
        return (List<List<Object>>) series.get("points");
    }

    private static List<Double> values(Map<String, Object> series) {
        return points(series).stream().map(p -> ((Number) p.get(1)).doubleValue()).toList();
    }
}
