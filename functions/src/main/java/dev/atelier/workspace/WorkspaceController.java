package dev.atelier.workspace;

import dev.atelier.access.Operation;
import dev.atelier.facts.RequestFacts;
import dev.atelier.identity.Caller;
import dev.atelier.web.ApiException;
import dev.atelier.web.Cursors;
import dev.atelier.web.ETags;
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
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;

/** {@code /api/v1/workspaces}: create, list, read, change and delete workspaces; their logos. */
@Controller("/api/v1/workspaces")
public class WorkspaceController {

    private static final String SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

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
    public Page<WorkspaceSummary> list(Caller caller, @QueryValue @Nullable String limit,
                                       @QueryValue @Nullable String cursor) {
        return workspaces.list(caller, Cursors.limit(limit), cursor);
    }

    @Get("/{slug}")
    public HttpResponse<WorkspaceView> get(RequestFacts facts, @PathVariable String slug) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_READ);
        return HttpResponse.ok(WorkspaceView.of(found.workspace(), found.member().role()))
                .header(HttpHeaders.ETAG, found.workspace().etag());
    }

    @Patch("/{slug}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public HttpResponse<WorkspaceView> update(RequestFacts facts, @PathVariable String slug,
                                              @Body @Nullable String body,
                                              @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_UPDATE);
        WorkspaceService.Changed changed = workspaces.update(facts.caller(), found, ETags.ifMatch(ifMatch),
                WorkspaceRequests.update(json, body, WorkspaceView.of(found.workspace(), found.member().role())));
        return HttpResponse.ok(changed.workspace()).header(HttpHeaders.ETAG, changed.etag());
    }

    @Delete("/{slug}")
    public HttpResponse<Void> delete(RequestFacts facts, @PathVariable String slug,
                                     @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_DELETE);
        workspaces.delete(facts.caller(), found, ETags.ifMatch(ifMatch));
        return HttpResponse.noContent();
    }

    @Get("/{slug}/logo")
    public HttpResponse<byte[]> logo(RequestFacts facts, @PathVariable String slug) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_READ);
        WorkspaceService.StoredLogo logo = workspaces.logo(found)
                .orElseThrow(() -> ApiException.notFound("The workspace shows the default logo"));
        var response = HttpResponse.ok(logo.bytes())
                .contentType(logo.contentType())
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        if (LogoImage.SVG.equals(logo.contentType())) {
            response.header("Content-Security-Policy", SVG_POLICY);
        }
        return response;
    }

    @Put("/{slug}/logo")
    @Consumes(MediaType.ALL)
    public HttpResponse<Void> setLogo(RequestFacts facts, @PathVariable String slug, @Body @Nullable byte[] body,
                                      @Header(HttpHeaders.CONTENT_TYPE) @Nullable String contentType,
                                      @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_UPDATE);
        WorkspaceService.Changed changed = workspaces.setLogo(facts.caller(), found, ETags.ifMatch(ifMatch),
                contentType, body);
        return HttpResponse.<Void>noContent().header(HttpHeaders.ETAG, changed.etag());
    }

    @Delete("/{slug}/logo")
    public HttpResponse<Void> deleteLogo(RequestFacts facts, @PathVariable String slug,
                                         @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_UPDATE);
        workspaces.deleteLogo(facts.caller(), found, ETags.ifMatch(ifMatch));
        return HttpResponse.noContent();
    }
}
