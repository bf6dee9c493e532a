package dev.atelier.facts;

import dev.atelier.access.ResourceKind;
import dev.atelier.web.ApiException;
import dev.atelier.web.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deny by default: every request under {@code /api/} needs a valid token. The facts found here
 * (caller, and the workspace and membership for paths under {@code /workspaces/{slug}}) are
 * what controllers receive as {@link RequestFacts} and {@link dev.atelier.identity.Caller}.
 */
@ServerFilter("/api/**")
public class FactsFilter {

    static final String FACTS = "atelier.facts";
    private static final Pattern WORKSPACE_PATH = Pattern.compile("^/api/v1/workspaces/([^/]+)(/.*)?$");
    private static final Pattern RESOURCE_PATH = Pattern.compile("^/api/v1/workspaces/[^/]+/([a-z]+)/([^/]+)(/.*)?$");

    private final FactsLoader loader;

    public FactsFilter(FactsLoader loader) {
        this.loader = loader;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        Matcher workspace = WORKSPACE_PATH.matcher(request.getPath());
        Matcher resource = RESOURCE_PATH.matcher(request.getPath());
        ResourceKind kind = resource.matches() ? ResourceKind.fromCollection(resource.group(1)).orElse(null) : null;
        try {
            RequestFacts facts = loader.load(request.getHeaders().get(HttpHeaders.AUTHORIZATION),
                    workspace.matches() ? workspace.group(1) : null, kind, kind == null ? null : resource.group(2));
            request.setAttribute(FACTS, facts);
            return null;
        } catch (ApiException e) {
            return Problems.response(e.problem())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"atelier\"");
        }
    }
}
