package dev.atelier.workspace;

import dev.atelier.access.Operation;
import dev.atelier.facts.RequestFacts;
import dev.atelier.identity.Caller;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;

/** {@code /api/v1/workspaces}: create, list and read workspaces. */
@Controller("/api/v1/workspaces")
public class WorkspaceController {

    private final WorkspaceService workspaces;
    private final JsonMapper json;

    public WorkspaceController(WorkspaceService workspaces, JsonMapper json) {
        this.workspaces = workspaces;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<WorkspaceView> create(Caller caller, @Body @Nullable String body,
                                              @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        WorkspaceService.Created created = workspaces.create(caller, WorkspaceRequests.create(json, body), idempotencyKey);
        return HttpResponse.created(created.workspace()).header(HttpHeaders.LOCATION, created.location());
    }

    @Get
    public Page<WorkspaceView> list(Caller caller, @QueryValue @Nullable String limit,
                                    @QueryValue @Nullable String cursor) {
        return workspaces.list(caller, Cursors.limit(limit), cursor);
    }

    @Get("/{slug}")
    public HttpResponse<WorkspaceView> get(RequestFacts facts, @PathVariable String slug) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_READ);
        return HttpResponse.ok(WorkspaceView.of(found.workspace(), found.member().role()))
                .header(HttpHeaders.ETAG, "\"" + found.workspace().version() + "\"");
    }
}
