package dev.atelier.grant;

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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;

import java.util.List;

/**
 * {@code /api/v1/workspaces/{slug}/{definitions|images|workstations}/{id}/grants} and
 * {@code /api/v1/workspaces/{slug}/effective-permissions}.
 */
@Controller("/api/v1/workspaces/{slug}")
public class GrantController {

    private final GrantService grants;

    public GrantController(GrantService grants) {
        this.grants = grants;
    }

    @Get("/{collection}/{id}/grants")
    public HttpResponse<List<GrantView>> get(RequestFacts facts, @PathVariable String slug,
                                             @PathVariable String collection, @PathVariable String id) {
        GrantService.Grants found = grants.get(facts);
        return HttpResponse.ok(found.grants()).header(HttpHeaders.ETAG, found.etag());
    }

    @Put("/{collection}/{id}/grants")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<List<GrantView>> replace(RequestFacts facts, @PathVariable String slug,
                                                 @PathVariable String collection, @PathVariable String id,
                                                 @Body @Nullable String body,
                                                 @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        GrantService.Grants replaced = grants.replace(facts, body, ifMatch);
        return HttpResponse.ok(replaced.grants()).header(HttpHeaders.ETAG, replaced.etag());
    }

    @Get("/effective-permissions")
    public GrantService.Effective effective(RequestFacts facts, @PathVariable String slug,
                                            @QueryValue @Nullable String principal,
                                            @QueryValue @Nullable String resource) {
        return grants.effective(facts, principal, resource);
    }
}
