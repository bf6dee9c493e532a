package dev.atelier.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Answers every failure of an AWS request through {@link ProblemResponseProcessor}: throttling
 * (see {@link Throttling}) as 503 with {@code Retry-After} and a one-line warning, anything else
 * as the 500 it is, logged there with its stack trace — rather than the framework's own
 * "unexpected error" log for what is, when throttled, AWS asking us to slow down.
 */
@Produces
@Singleton
@Requires(classes = {SdkException.class, ExceptionHandler.class})
public class ThrottlingExceptionHandler implements ExceptionHandler<SdkException, HttpResponse<Problem>> {

    private final ProblemResponseProcessor problems;

    public ThrottlingExceptionHandler(ProblemResponseProcessor problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, SdkException exception) {
        return problems.processResponse(ErrorContext.builder(request).cause(exception).build(), HttpResponse.serverError());
    }
}
