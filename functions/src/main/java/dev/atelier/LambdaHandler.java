package dev.atelier;

import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * Entry point on AWS Lambda behind an API Gateway HTTP API (payload format 2.0). The framework
 * is initialised once per execution environment; each invocation is one call into the same
 * controllers that the local server uses.
 */
public class LambdaHandler extends APIGatewayV2HTTPEventFunction {

    public LambdaHandler() {
        super();
    }

    /** For tests: run against an application context built elsewhere. */
    public LambdaHandler(ApplicationContext context) {
        super(context);
    }
}
