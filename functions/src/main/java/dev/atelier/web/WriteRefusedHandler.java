package dev.atelier.web;

import dev.atelier.store.WriteRefusedException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conditional write refused by a rule its operation did not expect to meet (each operation
 * maps the refusals it expects to its own answer): nothing was written, and the caller may read
 * again and retry — a 409, never a 500.
 */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public class WriteRefusedHandler implements ExceptionHandler<WriteRefusedException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(WriteRefusedHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, WriteRefusedException exception) {
        LOG.info("{} {} refused by {}", request.getMethod(), request.getPath(), exception.getMessage());
        return Problems.response(ApiException.conflict(null,
                "What this request changes was changed by another one meanwhile; nothing was written. "
                        + "Read it again and retry.").problem());
    }
}
