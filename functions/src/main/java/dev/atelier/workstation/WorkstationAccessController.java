package dev.atelier.workstation;

import dev.atelier.facts.RequestFacts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

/** {@code …/workstations/{id}/connect} and {@code …/metrics}: using a running workstation. */
@Controller("/api/v1/workspaces/{slug}/workstations/{id}")
public class WorkstationAccessController {

    private final WorkstationConnections connections;
    private final WorkstationMetricsService metrics;

    public WorkstationAccessController(WorkstationConnections connections, WorkstationMetricsService metrics) {
        this.connections = connections;
        this.metrics = metrics;
    }

    @Post("/connect")
    public HttpResponse<WorkstationConnection> connect(RequestFacts facts, @PathVariable String slug,
                                                      @PathVariable String id) {
        // The answer holds the session's token: no cache keeps it.
        return HttpResponse.ok(connections.connect(facts)).header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    @Get("/metrics")
    public WorkstationMetricSeries metrics(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                           @QueryValue @Nullable String since) {
        return metrics.read(facts, since);
    }
}
