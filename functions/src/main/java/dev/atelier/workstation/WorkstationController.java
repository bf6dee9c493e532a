package dev.atelier.workstation;

import dev.atelier.facts.RequestFacts;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

/** {@code /api/v1/workspaces/{slug}/workstations}: running workstations. */
@Controller("/api/v1/workspaces/{slug}/workstations")
public class WorkstationController {

    private final WorkstationService workstations;

    public WorkstationController(WorkstationService workstations) {
        this.workstations = workstations;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<WorkstationView> launch(RequestFacts facts, @PathVariable String slug, @Body @Nullable String body,
                                                @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        WorkstationService.Launched launched = workstations.launch(facts, body, idempotencyKey);
        return HttpResponse.<WorkstationView>accepted().body(launched.workstation())
                .header(HttpHeaders.LOCATION, launched.location()).header(HttpHeaders.ETAG, launched.workstation().etag());
    }

    @Get
    public Page<WorkstationView> list(RequestFacts facts, @PathVariable String slug, @QueryValue @Nullable String limit,
                                      @QueryValue @Nullable String cursor, @QueryValue @Nullable String mine,
                                      @QueryValue @Nullable String terminated) {
        return workstations.list(facts, Cursors.limit(limit), cursor, flag("mine", mine), flag("terminated", terminated));
    }

    @Get("/{id}")
    public HttpResponse<WorkstationView> get(RequestFacts facts, @PathVariable String slug, @PathVariable String id) {
        WorkstationView w = workstations.get(facts);
        return HttpResponse.ok(w).header(HttpHeaders.ETAG, w.etag());
    }

    @Post("/{id}/start")
    public HttpResponse<WorkstationView> start(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                               @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        return accepted(workstations.request(facts, WorkstationService.Request.START, ifMatch));
    }

    @Post("/{id}/stop")
    public HttpResponse<WorkstationView> stop(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                              @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        return accepted(workstations.request(facts, WorkstationService.Request.STOP, ifMatch));
    }

    @Post("/{id}/restart")
    public HttpResponse<WorkstationView> restart(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                                 @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        return accepted(workstations.request(facts, WorkstationService.Request.RESTART, ifMatch));
    }

    @Post("/{id}/update")
    public HttpResponse<WorkstationView> update(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                                @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        return accepted(workstations.request(facts, WorkstationService.Request.UPDATE, ifMatch));
    }

    @Delete("/{id}")
    public HttpResponse<WorkstationView> terminate(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                                   @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        return accepted(workstations.request(facts, WorkstationService.Request.TERMINATE, ifMatch));
    }

    private static HttpResponse<WorkstationView> accepted(WorkstationView w) {
        return HttpResponse.<WorkstationView>accepted().body(w).header(HttpHeaders.ETAG, w.etag());
    }

    private static boolean flag(String name, @Nullable String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw dev.atelier.web.ApiException.invalid(name, "must be true or false");
    }
}
