package dev.atelier.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Maps every domain failure to its problem document; a 503 says when to try again ({@code Retry-After}). */
@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ApiException exception) {
        MutableHttpResponse<Problem> response = Problems.response(exception.problem());
        if (exception.status() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, Integer.toString(Throttling.RETRY_AFTER_SECONDS));
        }
        return response;
    }
}
