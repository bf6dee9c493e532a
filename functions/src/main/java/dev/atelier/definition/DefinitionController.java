package dev.atelier.definition;

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
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;

/** {@code /api/v1/workspaces/{slug}/definitions}: workstation definitions. */
@Controller("/api/v1/workspaces/{slug}/definitions")
public class DefinitionController {

    private final DefinitionService definitions;

    public DefinitionController(DefinitionService definitions) {
        this.definitions = definitions;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<DefinitionView> create(RequestFacts facts, @PathVariable String slug, @Body @Nullable String body,
                                               @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        DefinitionService.Created created = definitions.create(facts, body, idempotencyKey);
        return HttpResponse.created(created.definition()).header(HttpHeaders.LOCATION, created.location())
                .header(HttpHeaders.ETAG, created.definition().etag());
    }

    @Get
    public Page<DefinitionView> list(RequestFacts facts, @PathVariable String slug,
                                     @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
        return definitions.list(facts, Cursors.limit(limit), cursor);
    }

    @Get("/{id}")
    public HttpResponse<DefinitionView> get(RequestFacts facts, @PathVariable String slug, @PathVariable String id) {
        DefinitionView definition = definitions.get(facts);
        return HttpResponse.ok(definition).header(HttpHeaders.ETAG, definition.etag());
    }

    @Put("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<DefinitionView> update(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                               @Body @Nullable String body,
                                               @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        DefinitionView definition = definitions.update(facts, body, ifMatch);
        return HttpResponse.ok(definition).header(HttpHeaders.ETAG, definition.etag());
    }

    @Post("/{id}/copy")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<DefinitionView> copy(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                             @Body @Nullable String body) {
        DefinitionService.Created created = definitions.copy(facts, body);
        return HttpResponse.created(created.definition()).header(HttpHeaders.LOCATION, created.location())
                .header(HttpHeaders.ETAG, created.definition().etag());
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(RequestFacts facts, @PathVariable String slug, @PathVariable String id) {
        definitions.delete(facts);
        return HttpResponse.noContent();
    }
}
