package dev.atelier.workstation;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * EC2's state-change events are best-effort: lost, repeated and out of order. Here the worker is
 * handed the queue's messages one by one (the local consumer and the local event source are off)
 * and events are made up as EC2 would send them; whatever arrives, the record converges to what
 * the engine's instance really is.
 */
class WorkstationEventsTest {

    private static RunningApp app;
    private static Workspaces workspaces;
    private static WorkstationWorker worker;
    private static Ec2Client ec2;
    private static SqsClient sqs;
    private static String queueUrl;

    private Workspaces.Workspace ws;
    private String id;
    private String instanceId;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.local.image-builder.step-millis", 100,
                "atelier.local.ec2.events", false, "atelier.local.workstation-events.consume", false));
        workspaces = new Workspaces(app);
        worker = app.context().getBean(WorkstationWorker.class);
        ec2 = app.context().getBean(Ec2Client.class);
        sqs = app.context().getBean(SqsClient.class);
        queueUrl = app.context().getBean(SqsWorkstationQueue.class).url();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A workstation launched and its launch command carried out: its instance runs in the engine, the record says pending. */
    @BeforeEach
    void launched() {
        ws = workspaces.create();
        Map<String, Object> d = Workstations.builtDefinition(app, ws, unique("Events"));
        drain();
        HttpResponse<String> launched = app.send("POST", ws.path("/workstations"), ws.owner().token(),
                Json.write(Map.of("definitionId", d.get("id"))));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        id = (String) Json.object(launched.body()).get("id");
        assertThat(deliverQueued()).isGreaterThanOrEqualTo(1);
        Map<String, Object> w = Workstations.get(app, ws, id);
        instanceId = (String) w.get("instanceId");
        assertThat(w).containsEntry("status", "pending");
        assertThat(instanceId).startsWith("i-");
    }

    @Test
    void repeatedEvents_shouldBeRecordedOnce() {
        // WHEN "running" arrives three times
        Instant t = Instant.now().plusSeconds(1);
        for (int i = 0; i < 3; i++) {
            assertThat(worker.handle(event(instanceId, "running", t))).isTrue();
        }
        // THEN running, with one "running" in the history
        Map<String, Object> w = Workstations.get(app, ws, id);
        assertThat(w).containsEntry("status", "running");
        assertThat(Workstations.statuses(w)).containsOnlyOnce("running");
    }

    @Test
    void eventsOutOfOrder_shouldEndAtTheLatestState() {
        // GIVEN it ran, then was stopped in EC2
        Instant t = Instant.now().plusSeconds(1);
        worker.handle(event(instanceId, "running", t));
        ec2.stopInstances(r -> r.instanceIds(instanceId));
        // WHEN "stopped" arrives before the "stopping" that preceded it
        worker.handle(event(instanceId, "stopped", t.plusSeconds(4)));
        worker.handle(event(instanceId, "stopping", t.plusSeconds(2)));
        // THEN stopped, as EC2 says
        assertThat(Workstations.get(app, ws, id)).containsEntry("status", "stopped");
        assertThat(instanceState()).isEqualTo("stopped");
    }

    @Test
    void sameSecondEvents_shouldBeOrderedByWhatCanFollowWhat() {
        // GIVEN it is stopping; WHEN "stopped" then a late "running" of the same second arrive
        Instant t = Instant.now().plusSeconds(1);
        worker.handle(event(instanceId, "running", t));
        ec2.stopInstances(r -> r.instanceIds(instanceId));
        worker.handle(event(instanceId, "stopping", t.plusSeconds(3)));
        worker.handle(event(instanceId, "stopped", t.plusSeconds(3)));
        worker.handle(event(instanceId, "running", t.plusSeconds(3)));
        // THEN stopped: running cannot follow stopped without pending
        assertThat(Workstations.get(app, ws, id)).containsEntry("status", "stopped");
    }

    @Test
    void lostEvents_shouldBeMadeUpByTheCheck() {
        // GIVEN its events were all lost: the record says pending while the instance runs
        assertThat(instanceState()).isEqualTo("running");
        // WHEN the delayed check arrives
        boolean done = worker.handle(WorkstationMessages.command(app.context().getBean(io.micronaut.json.JsonMapper.class),
                WorkstationMessages.Command.CHECK, ws.slug(), id));
        // THEN the record says running, and the home volume is attached as the running event would have done
        assertThat(done).isTrue();
        Map<String, Object> w = Workstations.get(app, ws, id);
        assertThat(w).containsEntry("status", "running");
        assertThat(ec2.describeVolumes(r -> r.volumeIds((String) w.get("homeVolumeId"))).volumes().get(0).attachments())
                .anyMatch(a -> instanceId.equals(a.instanceId()));
    }

    @Test
    void restart_whoseCheckSawTheStopBeforeItsEvent_shouldRecordEachStateOnce_inOrder() {
        // GIVEN it runs, and is restarted: the stop is made
        Instant t = Instant.now().plusSeconds(1);
        worker.handle(event(instanceId, "running", t));
        Workstations.request(app, ws, id, "restart", 202);
        assertThat(deliverQueued()).isEqualTo(1);
        assertThat(instanceState()).isEqualTo("stopped");
        // WHEN the delayed check finds the instance stopped before its "stopped" event arrived
        assertThat(worker.handle(check())).isTrue();
        // THEN the restart's start is made at once
        assertThat(instanceState()).isEqualTo("running");
        // AND WHEN the late events arrive: the stop's (stamped when it stopped), then the start's
        Instant stoppedAt = Instant.now();
        for (String state : List.of("stopping", "stopped")) {
            assertThat(worker.handle(event(instanceId, state, stoppedAt))).isTrue();
        }
        for (String state : List.of("pending", "running")) {
            assertThat(worker.handle(event(instanceId, state, stoppedAt.plusSeconds(2)))).isTrue();
        }
        // THEN the restart reads stopping, stopped, pending, running, each once, at times that never go back
        Map<String, Object> w = Workstations.get(app, ws, id);
        assertThat(w).containsEntry("status", "running");
        assertThat(w.get("operation")).isNull();
        List<String> statuses = Workstations.statuses(w);
        assertThat(statuses.subList(statuses.lastIndexOf("stopping"), statuses.size()))
                .containsExactly("stopping", "stopped", "pending", "running");
        assertThat(Workstations.historyTimes(w)).isSorted();
    }

    @Test
    void restart_whoseStartWasMadeButNotRecorded_shouldEndWhenTheInstanceStartsAgain() {
        // GIVEN it runs, is restarted, and its instance stopped; the restart's start was made in EC2
        // but its write lost (the record still says stopped, the restart under way)
        Instant t = Instant.now().plusSeconds(1);
        worker.handle(event(instanceId, "running", t));
        Workstations.request(app, ws, id, "restart", 202);
        assertThat(deliverQueued()).isEqualTo(1);
        ec2.startInstances(r -> r.instanceIds(instanceId));
        // WHEN the start's events arrive
        assertThat(worker.handle(event(instanceId, "pending", t.plusSeconds(3)))).isTrue();
        assertThat(worker.handle(event(instanceId, "running", t.plusSeconds(4)))).isTrue();
        // THEN the restart is over: running, no operation, the restart named in the history
        Map<String, Object> w = Workstations.get(app, ws, id);
        assertThat(w).containsEntry("status", "running");
        assertThat(w.get("operation")).isNull();
        assertThat(w.get("statusHistory").toString()).contains("restarted by " + ws.owner().id());
        // AND a later stop stays a stop: nothing starts the instance again
        Workstations.request(app, ws, id, "stop", 202);
        assertThat(deliverQueued()).isEqualTo(1);
        assertThat(worker.handle(event(instanceId, "stopped", t.plusSeconds(8)))).isTrue();
        assertThat(Workstations.get(app, ws, id)).containsEntry("status", "stopped");
        assertThat(instanceState()).isEqualTo("stopped");
    }

    @Test
    void eventsOfInstancesNotOurs_shouldBeDoneWith_andOfOursNotYetRecorded_shouldComeAgain() {
        // GIVEN an instance Atelier did not make, and one tagged as a workstation's but not recorded
        String image = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
        String foreign = ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1)).instances().get(0).instanceId();
        String early = ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1).tagSpecifications(t -> t
                .resourceType("instance").tags(g -> g.key(WorkstationTags.WORKSTATION).value("not-yet"))))
                .instances().get(0).instanceId();
        // WHEN their "running" events arrive
        // THEN the foreign one is done with; ours is offered again later
        assertThat(worker.handle(event(foreign, "running", Instant.now()))).isTrue();
        assertThat(worker.handle(event(early, "running", Instant.now()))).isFalse();
        assertThat(worker.handle("not json")).isTrue();
    }

    // --- helpers ---------------------------------------------------------------------------

    private String instanceState() {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .state().nameAsString();
    }

    private String check() {
        return WorkstationMessages.command(app.context().getBean(io.micronaut.json.JsonMapper.class),
                WorkstationMessages.Command.CHECK, ws.slug(), id);
    }

    /** An "EC2 Instance State-change Notification" as EventBridge delivers it. */
    static String event(String instanceId, String state, Instant time) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", java.util.UUID.randomUUID().toString());
        event.put("detail-type", "EC2 Instance State-change Notification");
        event.put("source", "aws.ec2");
        event.put("account", "123456789012");
        event.put("time", time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", "us-east-1");
        event.put("resources", List.of("arn:aws:ec2:us-east-1:123456789012:instance/" + instanceId));
        event.put("detail", Map.of("instance-id", instanceId, "state", state));
        return Json.write(event);
    }

    /** Hands every message now on the queue (not delayed) to the worker; how many there were. */
    private static int deliverQueued() {
        int n = 0;
        for (Message m : receive()) {
            assertThat(worker.handle(m.body())).as(m.body()).isTrue();
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            n++;
        }
        return n;
    }

    private static void drain() {
        receive().forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
    }

    private static List<Message> receive() {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
    }
}
