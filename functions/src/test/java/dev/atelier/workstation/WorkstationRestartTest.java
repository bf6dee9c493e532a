package dev.atelier.workstation;

import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restarts through the API with the local EC2 events on, where the worker's fallback check comes
 * before EC2's state-change events: the engine shows a stopped instance at once, the "stopped"
 * event arrives a transition later. Whichever reports the stop first, each restart records
 * stopping, stopped, pending, running once, in order, at times that never go back.
 */
class WorkstationRestartTest {

    private static RunningApp app;
    private static Workspaces workspaces;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 100,
                "atelier.local.ec2.transition-millis", 2000, "atelier.workstations.check-after-seconds", 1));
        workspaces = new Workspaces(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void restarts_shouldEachRecordStoppingStoppedPendingRunning_once() {
        // GIVEN a running workstation
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = Workstations.builtDefinition(app, ws, unique("Restart"));
        String id = (String) Workstations.running(app, ws, d).get("id");
        for (int i = 0; i < 3; i++) {
            int before = Workstations.statuses(Workstations.get(app, ws, id)).size();
            // WHEN it is restarted, and every late event has arrived (a transition after the last state)
            Workstations.request(app, ws, id, "restart", 202);
            Workstations.await(app, ws, id, "running");
            sleep(2500);
            Map<String, Object> w = Workstations.get(app, ws, id);
            // THEN it runs, and its history gained exactly the four states of a restart
            assertThat(w).containsEntry("status", "running");
            List<String> statuses = Workstations.statuses(w);
            assertThat(statuses.subList(before, statuses.size())).as("restart %d: %s", i, statuses)
                    .containsExactly("stopping", "stopped", "pending", "running");
            assertThat(Workstations.historyTimes(w)).isSorted();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
