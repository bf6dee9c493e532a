package dev.atelier.facts;

import dev.atelier.identity.Caller;
import dev.atelier.web.ApiException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Gives controllers the {@link RequestFacts} and {@link Caller} that {@link FactsFilter} found. */
@Factory
public class FactsBinders {

    @Singleton
    TypedRequestArgumentBinder<RequestFacts> factsBinder() {
        return new TypedRequestArgumentBinder<>() {
            @Override
            public Argument<RequestFacts> argumentType() {
                return Argument.of(RequestFacts.class);
            }

            @Override
            public BindingResult<RequestFacts> bind(io.micronaut.core.convert.ArgumentConversionContext<RequestFacts> c,
                                                    HttpRequest<?> request) {
                Optional<RequestFacts> facts = Optional.of(facts(request));
                return () -> facts;
            }
        };
    }

    @Singleton
    TypedRequestArgumentBinder<Caller> callerBinder() {
        return new TypedRequestArgumentBinder<>() {
            @Override
            public Argument<Caller> argumentType() {
                return Argument.of(Caller.class);
            }

            @Override
            public BindingResult<Caller> bind(io.micronaut.core.convert.ArgumentConversionContext<Caller> c,
                                              HttpRequest<?> request) {
                Optional<Caller> caller = Optional.of(facts(request).caller());
                return () -> caller;
            }
        };
    }

    private static RequestFacts facts(HttpRequest<?> request) {
        return request.getAttribute(FactsFilter.FACTS, RequestFacts.class)
                .orElseThrow(() -> ApiException.unauthorized("An Authorization: Bearer <token> header is required"));
    }
}
