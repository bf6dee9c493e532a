package dev.atelier.settings;

import dev.atelier.access.Operation;
import dev.atelier.facts.RequestFacts;
import dev.atelier.web.ETags;
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
import io.micronaut.json.JsonMapper;

/** {@code /api/v1/workspaces/{slug}/ai-settings}: the workspace's AI provider, model and key. */
@Controller("/api/v1/workspaces/{slug}/ai-settings")
public class AiSettingsController {

    private final AiSettingsService settings;
    private final JsonMapper json;

    public AiSettingsController(AiSettingsService settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    @Get
    public HttpResponse<AiSettingsView> get(RequestFacts facts, @PathVariable String slug) {
        AiSettingsService.Current current = settings.get(facts.require(Operation.SETTINGS_READ));
        return HttpResponse.ok(current.settings()).header(HttpHeaders.ETAG, current.etag());
    }

    @Put
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<AiSettingsView> put(RequestFacts facts, @PathVariable String slug,
                                            @Body @Nullable String body,
                                            @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        RequestFacts.Membership found = facts.require(Operation.WORKSPACE_UPDATE);
        AiSettingsService.Current current = settings.put(facts.caller(), found, ETags.ifMatch(ifMatch),
                AiSettingsRequests.put(json, body));
        return HttpResponse.ok(current.settings()).header(HttpHeaders.ETAG, current.etag());
    }
}
