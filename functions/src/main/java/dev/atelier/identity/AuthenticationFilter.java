package dev.atelier.identity;

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

/**
 * Deny by default: every request under {@code /api/} needs a valid token. The caller found
 * here is what controllers receive as their {@link Caller} argument.
 */
@ServerFilter("/api/**")
public class AuthenticationFilter {

    static final String CALLER = "atelier.caller";

    private final Authenticator authenticator;

    public AuthenticationFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        try {
            Caller caller = authenticator.authenticate(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
            request.setAttribute(CALLER, caller);
            return null;
        } catch (ApiException e) {
            return Problems.response(e.problem())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"atelier\"");
        }
    }
}
