package dev.atelier.workstation.cloudwatch;

import io.micronaut.context.annotation.Requires;
import dev.atelier.workstation.MetricReadings;
import dev.atelier.workstation.WorkstationMetrics;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MetricReadings} with CloudWatch's GetMetricData: one query per metric, all in one
 * request (the spans the API allows stay far below its 100,800 data points).
 */
@Singleton
@Requires(classes = CloudWatchClient.class)
public class CloudWatchMetricReadings implements MetricReadings {

    private final CloudWatchClient cloudWatch;

    public CloudWatchMetricReadings(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public Map<String, List<Point>> read(String workstationId, List<String> names, Instant from, Instant to,
                                         int periodSeconds) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            queries.add(MetricDataQuery.builder().id("m" + i).returnData(true)
                    .metricStat(s -> s.period(periodSeconds).stat("Average")
                            .metric(m -> m.namespace(WorkstationMetrics.NAMESPACE).metricName(name)
                                    .dimensions(d -> d.name(WorkstationMetrics.DIMENSION).value(workstationId))))
                    .build());
        }
        GetMetricDataResponse response = cloudWatch.getMetricData(r -> r.metricDataQueries(queries)
                .startTime(from).endTime(to).scanBy(ScanBy.TIMESTAMP_ASCENDING));
        Map<String, List<Point>> read = new LinkedHashMap<>();
        names.forEach(n -> read.put(n, new ArrayList<>()));
        for (MetricDataResult result : response.metricDataResults()) {
            List<Point> points = read.get(names.get(Integer.parseInt(result.id().substring(1))));
            for (int i = 0; i < result.timestamps().size() && i < result.values().size(); i++) {
                points.add(new Point(result.timestamps().get(i), result.values().get(i)));
            }
            // Sorted here too: the order asked for is not one every engine keeps.
            points.sort(java.util.Comparator.comparing(Point::at));
        }
        return read;
    }
}
