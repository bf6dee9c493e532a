package dev.atelier.workstation;

import dev.atelier.audit.AuditLog;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many people pressing stop and start at once: one transition, every other request answered
 * 202 (already under way) or 409 (the other one is), and the record ends as the engine's
 * instance is.
 */
class WorkstationConcurrencyTest {

    private static RunningApp app;
    private static Workspaces workspaces;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 100,
                "atelier.local.ec2.transition-millis", 300, "atelier.workstations.check-after-seconds", 5));
        workspaces = new Workspaces(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void fiftyConcurrentStopsAndStarts_shouldMakeOneTransition() throws Exception {
        // GIVEN a running workstation
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = Workstations.builtDefinition(app, ws, unique("Busy"));
        String id = (String) Workstations.running(app, ws, d).get("id");
        String instanceId = (String) Workstations.get(app, ws, id).get("instanceId");

        // WHEN 25 stops and 25 starts arrive at once
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String what = i % 2 == 0 ? "stop" : "start";
            calls.add(pool.submit(() -> {
                go.await();
                return app.send("POST", ws.path("/workstations/" + id + "/" + what), ws.owner().token(), null);
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> call : calls) {
            statuses.add(call.get().statusCode());
        }
        pool.shutdown();

        // THEN every answer is 202 or 409; exactly one stop was recorded
        assertThat(statuses).allMatch(s -> s == 202 || s == 409);
        List<AuditLog.Entry> audit = workspaces.audit(ws.slug());
        assertThat(audit).filteredOn(e -> e.action().equals("workstation.stop")).hasSize(1);
        assertThat(audit).filteredOn(e -> e.action().equals("workstation.start")).isEmpty();
        // AND it ends stopped, as the engine's instance is, after one stopping
        Map<String, Object> w = Workstations.await(app, ws, id, "stopped");
        assertThat(Workstations.statuses(w)).containsOnlyOnce("stopping");
        assertThat(app.context().getBean(Ec2Client.class).describeInstances(r -> r.instanceIds(instanceId))
                .reservations().get(0).instances().get(0).state().nameAsString()).isEqualTo("stopped");
    }
}
