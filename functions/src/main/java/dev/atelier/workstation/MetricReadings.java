package dev.atelier.workstation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The metrics a workstation's agent published ({@link WorkstationMetrics}), read back. */
public interface MetricReadings {

    /** One reading: the start of its period and the period's average. */
    record Point(Instant at, double value) { }

    /**
     * In one request, the averages per {@code periodSeconds} of each of {@code names} for the
     * workstation, from {@code from} to {@code to}, oldest first; a name without data maps to an
     * empty list.
     */
    Map<String, List<Point>> read(String workstationId, List<String> names, Instant from, Instant to, int periodSeconds);
}
