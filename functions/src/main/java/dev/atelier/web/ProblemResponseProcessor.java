package dev.atelier.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the framework's own errors (no route, wrong method, unsupported media type, unexpected
 * failures) into problem documents, so every error of the API has one shape. Unexpected
 * failures are logged here and answered without internals; AWS throttling that outlasted the
 * SDK's retries (see {@link Throttling}) is answered 503 with {@code Retry-After}.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponseProcessor.class);
    private static final java.util.regex.Pattern SECRET_IN_PATH =
            java.util.regex.Pattern.compile("(at[a-z]_)[^/]+");

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        int status = base.getStatus().getCode();
        if (status >= 500 && context.getRootCause().filter(Throttling::isThrottling).isPresent()) {
            LOG.warn("AWS throttled {} {} beyond the SDK's retries: {}", context.getRequest().getMethod(),
                    redacted(context.getRequest().getPath()), context.getRootCause().get().toString());
            ApiException busy = Throttling.busy();
            return base.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(Throttling.RETRY_AFTER_SECONDS))
                    .contentType(MediaType.of(Problem.MEDIA_TYPE)).body(busy.problem());
        }
        if (status >= 500) {
            context.getRootCause().ifPresent(cause -> LOG.error("Unexpected failure on {} {}",
                    context.getRequest().getMethod(), redacted(context.getRequest().getPath()), cause));
        }
        String detail = switch (status) {
            case 404 -> "No resource at " + redacted(context.getRequest().getPath());
            case 405 -> context.getRequest().getMethod() + " is not allowed on " + redacted(context.getRequest().getPath());
            case 415 -> "Content type must be application/json";
            case 406 -> "This resource answers only application/json";
            default -> status >= 500 ? "An unexpected error occurred" : firstMessage(context);
        };
        String type = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 415 -> "unsupported-media-type";
            case 406 -> "not-acceptable";
            default -> status >= 500 ? "internal" : "bad-request";
        };
        Problem problem = Problems.of(status, type, HttpStatus.valueOf(status).getReason(), detail);
        return base.contentType(MediaType.of(Problem.MEDIA_TYPE)).body(problem);
    }

    /** Paths can carry secrets (invitation and sign-in link tokens): those never reach a log. */
    static String redacted(String path) {
        return SECRET_IN_PATH.matcher(path).replaceAll("$1[redacted]");
    }

    private static String firstMessage(ErrorContext context) {
        return context.getErrors().stream().map(Error::getMessage).findFirst().orElse("The request is invalid");
    }
}
