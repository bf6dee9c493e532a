package dev.atelier.workstation;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A workstation's metrics as the API shows them: per series its name, unit and points
 * {@code [at, value]}, oldest first.
 */
@Serdeable
public record WorkstationMetricSeries(List<Series> series) {

    @Serdeable
    public record Series(String name, String unit, List<List<Object>> points) { }
}
