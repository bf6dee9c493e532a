package dev.atelier.identity;

import dev.atelier.web.ApiException;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Gives controllers the caller that {@link AuthenticationFilter} authenticated. */
@Singleton
public class CallerBinder implements TypedRequestArgumentBinder<Caller> {

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> request) {
        Optional<Caller> caller = request.getAttribute(AuthenticationFilter.CALLER, Caller.class);
        if (caller.isEmpty()) {
            throw ApiException.unauthorized("An Authorization: Bearer <token> header is required");
        }
        return () -> caller;
    }
}
