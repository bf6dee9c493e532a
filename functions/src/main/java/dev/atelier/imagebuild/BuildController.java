package dev.atelier.imagebuild;

import dev.atelier.definition.DefinitionView;
import dev.atelier.facts.RequestFacts;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

/** {@code /api/v1/workspaces/{slug}/definitions/{id}/builds}: image builds of a definition. */
@Controller("/api/v1/workspaces/{slug}/definitions/{id}/builds")
public class BuildController {

    private final BuildService builds;

    public BuildController(BuildService builds) {
        this.builds = builds;
    }

    @Get
    public Page<BuildView> list(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
        return builds.list(facts, Cursors.limit(limit), cursor);
    }

    @Post
    public HttpResponse<BuildView> rebuild(RequestFacts facts, @PathVariable String slug, @PathVariable String id) {
        BuildView build = builds.rebuild(facts);
        return HttpResponse.accepted().<BuildView>body(build).header(HttpHeaders.LOCATION,
                "/api/v1/workspaces/" + slug + "/definitions/" + id + "/builds/" + build.id());
    }

    @Get(value = "/{buildId}/log", produces = "text/plain; charset=utf-8")
    public String log(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                      @PathVariable String buildId) {
        return builds.log(facts, buildId);
    }

    @Post("/{buildId}/promote")
    public DefinitionView promote(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                  @PathVariable String buildId) {
        return builds.promote(facts, buildId);
    }

    @Post("/{buildId}/cancel")
    public HttpResponse<BuildView> cancel(RequestFacts facts, @PathVariable String slug, @PathVariable String id,
                                          @PathVariable String buildId) {
        return HttpResponse.<BuildView>accepted().body(builds.cancel(facts, buildId));
    }
}
