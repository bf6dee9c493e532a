package dev.atelier.bench;

import dev.atelier.LambdaHandler;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.LambdaApplicationContextBuilder;

/**
 * Atelier's handler with Micronaut's own Lambda context builder, which creates every singleton
 * at init: the baseline against which {@link LambdaHandler}'s lazy creation is measured.
 */
public class EagerLambdaHandler extends LambdaHandler {

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return new LambdaApplicationContextBuilder();
    }
}
