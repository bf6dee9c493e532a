package dev.atelier.local;

import dev.atelier.web.SecurityHeaders;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Gives every answer of the local server the headers of {@link SecurityHeaders}, as CloudFront's
 * response headers policy does in AWS: portal pages and files, API answers, problems and 404s.
 * <p>First in the chain, so its response side runs last and also sees the answers other filters
 * give without going further ({@link PortalFilter}'s files, the API's 401s). A header the answer
 * already carries is kept: a workspace logo's own, stricter, policy stays.
 * <p>Only the local server: on Lambda the API is reached through CloudFront, which sets them.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(env = "local")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecurityHeadersFilter {

    @ResponseFilter
    public void addSecurityHeaders(MutableHttpResponse<?> response) {
        MutableHttpHeaders headers = response.getHeaders();
        SecurityHeaders.all().forEach((name, value) -> {
            if (!headers.contains(name)) {
                headers.add(name, value);
            }
        });
    }
}
