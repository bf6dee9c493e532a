package dev.atelier.workstation.cloudwatch;

import io.micronaut.context.annotation.Requires;
import dev.atelier.workstation.IdleAlarms;
import dev.atelier.workstation.WorkstationItem;
import dev.atelier.workstation.WorkstationMetrics;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

import java.time.Instant;

/**
 * {@link IdleAlarms} on CloudWatch. Missing data counts as not breaching: a workstation whose agent
 * is silent (stopped, booting, or the agent broken) is never stopped for it — a missed stop costs
 * money, a wrong one costs someone's work.
 */
@Singleton
@Requires(classes = CloudWatchClient.class)
public class CloudWatchIdleAlarms implements IdleAlarms {

    /** The metric is published every minute: the alarm looks at each minute. */
    public static final int PERIOD_SECONDS = 60;

    private final CloudWatchClient cloudWatch;

    public CloudWatchIdleAlarms(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public void arm(WorkstationItem w, long idleMinutes) {
        String region = cloudWatch.serviceClientConfiguration().region().id();
        cloudWatch.putMetricAlarm(r -> r.alarmName(IdleAlarms.name(w.slug(), w.id()))
                .alarmDescription("Stops workstation " + w.name() + " of " + w.slug() + " after " + idleMinutes
                        + " idle minutes")
                .namespace(WorkstationMetrics.NAMESPACE).metricName(WorkstationMetrics.ACTIVE)
                .dimensions(dimension(w.id()))
                .statistic(Statistic.MAXIMUM).period(PERIOD_SECONDS).evaluationPeriods((int) idleMinutes)
                .datapointsToAlarm((int) idleMinutes)
                .threshold(1.0).comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .treatMissingData("notBreaching")
                .alarmActions("arn:aws:automate:" + region + ":ec2:stop"));
    }

    @Override
    public void disarm(String slug, String id) {
        try {
            cloudWatch.deleteAlarms(r -> r.alarmNames(IdleAlarms.name(slug, id)));
        } catch (ResourceNotFoundException e) {
            // none: nothing to delete
        }
    }

    @Override
    public void active(String workstationId) {
        cloudWatch.putMetricData(r -> r.namespace(WorkstationMetrics.NAMESPACE).metricData(d -> d
                .metricName(WorkstationMetrics.ACTIVE).dimensions(dimension(workstationId))
                .value(1.0).unit(StandardUnit.COUNT).timestamp(Instant.now())));
    }

    private static Dimension dimension(String workstationId) {
        return Dimension.builder().name(WorkstationMetrics.DIMENSION).value(workstationId).build();
    }
}
