package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import dev.atelier.workstation.IdleAlarms;
import dev.atelier.workstation.WorkstationMessages;
import dev.atelier.workstation.WorkstationMetrics;
import dev.atelier.workstation.WorkstationTags;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the local engine lacks for idle auto-stop, once a local minute
 * ({@code atelier.local.alarms.minute-millis}, 60000 by default):
 * <ul>
 *   <li>a stand-in for the on-box agent: every running workstation instance publishes
 *   {@code Active} (and CPU and memory) to the engine's CloudWatch — idle unless the instance is
 *   tagged {@value #ACTIVITY_TAG}{@code =busy};</li>
 *   <li>an evaluator of the idle alarms ({@code atelier-ws-*}) in the engine, which stores alarms
 *   but never evaluates them: Maximum of {@code Active} over each local minute, missing data not
 *   breaching; after {@code EvaluationPeriods} breaching minutes it sets the alarm to ALARM in the
 *   engine, publishes CloudWatch's "CloudWatch Alarm State Change" event on the local bus and
 *   performs the alarm's EC2 stop action on the engine's instance.</li>
 * </ul>
 * {@code atelier.local.alarms.enabled=false} turns both off.
 */
@Context
@Requires(env = "local")
@Requires(property = "atelier.local.alarms.enabled", notEquals = "false")
public class LocalIdleAlarms {

    /** An instance tag that makes the stand-in agent report the box busy ({@code busy}) or idle (anything else). */
    public static final String ACTIVITY_TAG = "atelier:simulate-activity";
    private static final Logger LOG = LoggerFactory.getLogger(LocalIdleAlarms.class);

    private final CloudWatchClient cloudWatch;
    private final Ec2Client ec2;
    private final EventBridgeClient eventBridge;
    private final JsonMapper json;
    private final String eventBus;
    private final String region;
    private final long minuteMillis;
    /** Breaching local minutes in a row, by alarm. */
    private final Map<String, Integer> breaching = new HashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-idle-alarms");
        thread.setDaemon(true);
        return thread;
    });

    public LocalIdleAlarms(CloudWatchClient cloudWatch, Ec2Client ec2, EventBridgeClient eventBridge, JsonMapper json,
                           AtelierConfig config, @Value("${atelier.local.alarms.minute-millis:60000}") long minuteMillis,
                           @Value("${AWS_REGION:us-east-1}") String region) {
        this.cloudWatch = cloudWatch;
        this.ec2 = ec2;
        this.eventBridge = eventBridge;
        this.json = json;
        this.eventBus = LocalResources.eventBusName(config);
        this.region = region;
        this.minuteMillis = minuteMillis;
    }

    @PostConstruct
    void start() {
        executor.scheduleWithFixedDelay(this::tick, minuteMillis, minuteMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            Map<String, Instance> running = runningWorkstations();
            running.forEach(this::publishActivity);
            evaluate(running);
        } catch (RuntimeException e) {
            LOG.debug("Local idle alarms: trying again next minute", e);
        }
    }

    private Map<String, Instance> runningWorkstations() {
        Map<String, Instance> byWorkstation = new HashMap<>();
        ec2.describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-state-name").values("running").build(),
                        Filter.builder().name("tag-key").values(WorkstationTags.WORKSTATION).build()))
                .reservations().forEach(r -> r.instances().forEach(i -> i.tags().stream()
                        .filter(t -> t.key().equals(WorkstationTags.WORKSTATION))
                        .findFirst().ifPresent(t -> byWorkstation.put(t.value(), i))));
        return byWorkstation;
    }

    /** The on-box agent's minute: Active, CPU and memory. */
    private void publishActivity(String workstationId, Instance instance) {
        boolean busy = instance.tags().stream().anyMatch(t -> t.key().equals(ACTIVITY_TAG) && t.value().equals("busy"));
        Dimension d = Dimension.builder().name(WorkstationMetrics.DIMENSION).value(workstationId).build();
        Instant now = Instant.now();
        cloudWatch.putMetricData(r -> r.namespace(WorkstationMetrics.NAMESPACE).metricData(
                m -> m.metricName(WorkstationMetrics.ACTIVE).dimensions(d).value(busy ? 1.0 : 0.0)
                        .unit(StandardUnit.COUNT).timestamp(now),
                m -> m.metricName(WorkstationMetrics.CPU).dimensions(d).value(busy ? 85.0 : 1.5)
                        .unit(StandardUnit.PERCENT).timestamp(now),
                m -> m.metricName(WorkstationMetrics.MEMORY).dimensions(d).value(busy ? 60.0 : 20.0)
                        .unit(StandardUnit.PERCENT).timestamp(now)));
    }

    private void evaluate(Map<String, Instance> running) {
        List<MetricAlarm> alarms = cloudWatch.describeAlarms(r -> r.alarmNamePrefix(IdleAlarms.PREFIX)).metricAlarms();
        breaching.keySet().retainAll(alarms.stream().map(MetricAlarm::alarmName).toList());
        Instant now = Instant.now();
        for (MetricAlarm alarm : alarms) {
            // At least two seconds: the engine keeps whole seconds of the window's ends.
            Instant from = now.minusMillis(Math.max(minuteMillis, 2000));
            List<Datapoint> points = cloudWatch.getMetricStatistics(r -> r.namespace(alarm.namespace())
                    .metricName(alarm.metricName()).dimensions(alarm.dimensions()).startTime(from)
                    .endTime(now.plusSeconds(1)).period(60).statistics(Statistic.MAXIMUM)).datapoints();
            // Missing data is not breaching (a stopped box publishes nothing).
            boolean breach = !points.isEmpty() && points.stream().allMatch(p -> p.maximum() < alarm.threshold());
            int inARow = breach ? breaching.getOrDefault(alarm.alarmName(), 0) + 1 : 0;
            breaching.put(alarm.alarmName(), inARow);
            StateValue to = inARow >= alarm.evaluationPeriods() ? StateValue.ALARM : StateValue.OK;
            if (to == alarm.stateValue()) {
                continue;
            }
            String reason = to == StateValue.ALARM
                    ? "Threshold Crossed: " + inARow + " datapoints were less than the threshold (1.0)"
                    : "Threshold Crossed: no datapoint less than the threshold (1.0), or missing data";
            cloudWatch.setAlarmState(r -> r.alarmName(alarm.alarmName()).stateValue(to).stateReason(reason));
            publish(alarm, to, reason);
            if (to == StateValue.ALARM && alarm.alarmActions().stream().anyMatch(a -> a.endsWith(":ec2:stop"))) {
                String workstationId = alarm.dimensions().stream()
                        .filter(x -> x.name().equals(WorkstationMetrics.DIMENSION)).map(Dimension::value)
                        .findFirst().orElse(null);
                Instance instance = running.get(workstationId);
                if (instance != null) {
                    ec2.stopInstances(r -> r.instanceIds(instance.instanceId()));
                }
            }
        }
    }

    private void publish(MetricAlarm alarm, StateValue to, String reason) {
        String previous = alarm.stateValue() == null ? "INSUFFICIENT_DATA" : alarm.stateValueAsString();
        eventBridge.putEvents(r -> r.entries(e -> e.eventBusName(eventBus).source(WorkstationMessages.ALARM_SOURCE)
                .detailType(WorkstationMessages.ALARM_CHANGE)
                .resources(List.of(alarm.alarmArn() != null ? alarm.alarmArn()
                        : "arn:aws:cloudwatch:" + region + ":" + LocalImageBuilder.ACCOUNT + ":alarm:" + alarm.alarmName()))
                .detail(WorkstationMessages.alarmChangeDetail(json, alarm.alarmName(), to.toString(), previous, reason))));
    }
}
