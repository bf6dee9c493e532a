package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import dev.atelier.workstation.WorkstationMessages;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Locally, the one thing the engine's EC2 lacks for workstations: the "EC2 Instance
 * State-change Notification" events EC2 sends to EventBridge, with the intermediate states and
 * delays of a real instance. The engine changes an instance's state at once (running right after
 * RunInstances, stopped right after StopInstances); this source watches the engine's instances
 * and, for each change it sees, publishes the states EC2 would pass through on the local event
 * bus — {@code pending} then, {@code atelier.local.ec2.transition-millis} (3000 ms by default)
 * later, {@code running}; likewise {@code stopping → stopped} and {@code shutting-down →
 * terminated}. Both events carry the time the engine's instance changed (as EC2's events carry
 * the time of the change, not of their delivery): the engine shows the final state at once, so an
 * event stamped later would claim a change after what anyone reading the engine already saw
 * (a workstation's own check, say), and would be taken for a newer one. The bus's rule routes them to the workstation queue, as the stack's rule does in
 * AWS. Instances and their states live in the engine; nothing is kept here but what was last seen.
 * {@code atelier.local.ec2.events=false} turns it off (tests that publish events themselves).
 */
@Context
@Requires(env = "local")
@Requires(property = "atelier.local.ec2.events", notEquals = "false")
public class LocalInstanceStates {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInstanceStates.class);
    /** How often the engine's instances are looked at (a local stand-in only; nothing of ours polls in AWS). */
    private static final long WATCH_MILLIS = 250;
    /** The states EC2 passes through on the way to each state the engine shows at once. */
    private static final Map<String, String> VIA = Map.of("running", "pending", "stopped", "stopping",
            "terminated", "shutting-down");

    private final Ec2Client ec2;
    private final EventBridgeClient eventBridge;
    private final JsonMapper json;
    private final String eventBus;
    private final String region;
    private final long transitionMillis;
    private final Map<String, String> seen = new HashMap<>();
    /** When the first look was taken: instances that existed before it are not announced. */
    private Instant started;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-ec2-states");
        thread.setDaemon(true);
        return thread;
    });

    public LocalInstanceStates(Ec2Client ec2, EventBridgeClient eventBridge, JsonMapper json, AtelierConfig config,
                               @Value("${atelier.local.ec2.transition-millis:3000}") long transitionMillis,
                               @Value("${AWS_REGION:us-east-1}") String region) {
        this.ec2 = ec2;
        this.eventBridge = eventBridge;
        this.json = json;
        this.eventBus = LocalResources.eventBusName(config);
        this.region = region;
        this.transitionMillis = transitionMillis;
    }

    @PostConstruct
    void start() {
        executor.scheduleWithFixedDelay(this::watch, 0, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void watch() {
        Map<String, String> now = new HashMap<>();
        try {
            ec2.describeInstancesPaginator(r -> r.maxResults(1000)).reservations()
                    .forEach(r -> r.instances().forEach(i -> now.put(i.instanceId(), i.state().nameAsString())));
        } catch (SdkException e) {
            LOG.debug("Could not read the engine's instances; trying again", e);
            return;
        }
        boolean first = started == null;
        Instant changed = Instant.now();
        now.forEach((instance, state) -> {
            String before = seen.get(instance);
            if (state.equals(before) || first || before == null && state.equals("terminated")) {
                return;
            }
            String via = VIA.get(state);
            if (via != null && !via.equals(before)) {
                publish(instance, via, changed);
                executor.schedule(() -> publish(instance, state, changed), transitionMillis, TimeUnit.MILLISECONDS);
            } else {
                publish(instance, state, changed);
            }
        });
        seen.clear();
        seen.putAll(now);
        if (started == null) {
            started = Instant.now();
        }
    }

    private void publish(String instanceId, String state, Instant changed) {
        try {
            var result = eventBridge.putEvents(r -> r.entries(e -> e.eventBusName(eventBus).time(changed)
                    .source(WorkstationMessages.EC2_SOURCE).detailType(WorkstationMessages.STATE_CHANGE)
                    .resources(List.of("arn:aws:ec2:" + region + ":" + LocalImageBuilder.ACCOUNT + ":instance/" + instanceId))
                    .detail(WorkstationMessages.stateChangeDetail(json, instanceId, state))));
            if (result.failedEntryCount() != null && result.failedEntryCount() > 0) {
                LOG.warn("The local event bus refused the state change of {} to {}: {}", instanceId, state, result.entries());
            }
        } catch (SdkException e) {
            // Events are best-effort in AWS too: the worker's fallback check finds the state.
            LOG.warn("Could not publish the state change of {} to {}", instanceId, state, e);
        }
    }
}
