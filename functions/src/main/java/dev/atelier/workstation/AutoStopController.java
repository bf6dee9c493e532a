package dev.atelier.workstation;

import dev.atelier.facts.RequestFacts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;

/**
 * Auto-stop: {@code /api/v1/workspaces/{slug}/auto-stop} (the workspace's default),
 * {@code PATCH …/workstations/{id}} (a workstation's own settings) and
 * {@code POST …/workstations/{id}/keep-alive}.
 */
@Controller("/api/v1/workspaces/{slug}")
public class AutoStopController {

    private final AutoStopService autoStop;

    public AutoStopController(AutoStopService autoStop) {
        this.autoStop = autoStop;
    }

    @Get("/auto-stop")
    public AutoStopService.DefaultView get(RequestFacts facts, @PathVariable String slug) {
        return autoStop.getDefault(facts);
    }

    @Put("/auto-stop")
    @Consumes(MediaType.APPLICATION_JSON)
    public AutoStopService.DefaultView put(RequestFacts facts, @PathVariable String slug, @Body @Nullable String body) {
        return autoStop.putDefault(facts, body);
    }

    @Patch("/workstations/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<WorkstationView> patch(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                               @Body @Nullable String body,
                                               @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        WorkstationView w = autoStop.patch(facts, body, ifMatch);
        return HttpResponse.ok(w).header(HttpHeaders.ETAG, w.etag());
    }

    @Post("/workstations/{id}/keep-alive")
    public HttpResponse<WorkstationView> keepAlive(RequestFacts facts, @PathVariable String slug, @PathVariable String id) {
        WorkstationView w = autoStop.keepAlive(facts);
        return HttpResponse.ok(w).header(HttpHeaders.ETAG, w.etag());
    }
}
