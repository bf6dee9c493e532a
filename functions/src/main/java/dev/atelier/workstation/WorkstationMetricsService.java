package dev.atelier.workstation;

import dev.atelier.access.Operation;
import dev.atelier.facts.RequestFacts;
import dev.atelier.web.ApiException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A workstation's CPU, memory and (on GPU workstations) GPU and GPU memory utilisation since a
 * time, as its agent published them: no DynamoDB read beyond the workstation itself, one
 * CloudWatch request.
 */
@Singleton
public class WorkstationMetricsService {

    /** How far back {@code since} may reach: CloudWatch keeps one-minute data for 15 days. */
    static final Duration LONGEST = Duration.ofDays(14);
    static final Duration DEFAULT_SPAN = Duration.ofHours(1);

    /** The series: metric, name in the API, unit. */
    private record Metric(String metric, String name) { }

    private static final List<Metric> ALWAYS = List.of(new Metric(WorkstationMetrics.CPU, "cpu"),
            new Metric(WorkstationMetrics.MEMORY, "memory"));
    private static final List<Metric> GPU = List.of(new Metric(WorkstationMetrics.GPU, "gpu"),
            new Metric(WorkstationMetrics.GPU_MEMORY, "gpuMemory"));

    private final MetricReadings readings;
    private final java.time.Clock clock;

    public WorkstationMetricsService(MetricReadings readings, java.time.Clock clock) {
        this.readings = readings;
        this.clock = clock;
    }

    /**
     * @throws ApiException 400 naming {@code since} when it is no ISO-8601 time, lies in the
     *                      future or more than 14 days back
     */
    public WorkstationMetricSeries read(RequestFacts facts, @Nullable String since) {
        facts.requireOnResource(Operation.WORKSTATION_READ);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = since(since, now);
        WorkstationItem w = WorkstationItem.of(facts.resource().item());
        List<Metric> metrics = new ArrayList<>(ALWAYS);
        if (w.gpuType() != null) {
            metrics.addAll(GPU);
        }
        Map<String, List<MetricReadings.Point>> read = readings.read(w.id(),
                metrics.stream().map(Metric::metric).toList(), from, now, period(Duration.between(from, now)));
        return new WorkstationMetricSeries(metrics.stream().map(m -> new WorkstationMetricSeries.Series(m.name(),
                "Percent", read.getOrDefault(m.metric(), List.of()).stream()
                        .map(p -> List.<Object>of(p.at().toString(), p.value())).toList())).toList());
    }

    static Instant since(@Nullable String since, Instant now) {
        if (since == null || since.isBlank()) {
            return now.minus(DEFAULT_SPAN);
        }
        Instant from;
        try {
            from = OffsetDateTime.parse(since).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("since", "must be an ISO-8601 time with its offset, e.g. 2026-01-01T09:00:00Z");
        }
        if (!from.isBefore(now)) {
            throw ApiException.invalid("since", "must lie in the past");
        }
        if (from.isBefore(now.minus(LONGEST))) {
            throw ApiException.invalid("since", "must be at most 14 days back");
        }
        return from.truncatedTo(ChronoUnit.SECONDS);
    }

    /** A period that keeps a series to a few hundred points, as fine as one-minute data allows. */
    static int period(Duration span) {
        if (span.compareTo(Duration.ofHours(3)) <= 0) {
            return 60;
        }
        if (span.compareTo(Duration.ofDays(1)) <= 0) {
            return 300;
        }
        if (span.compareTo(Duration.ofDays(3)) <= 0) {
            return 900;
        }
        return 3600;
    }
}
