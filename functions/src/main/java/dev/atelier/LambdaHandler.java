package dev.atelier;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;
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

    /**
     * As Micronaut's Lambda builder (environments {@code function} and {@code lambda},
     * configuration bound and checked at init) but singletons are created on first use rather
     * than all at init, where every AWS client (S3, KMS, SES: unused by the API on Lambda) would
     * be built for nothing — about half a second of each cold start (see docs/benchmarks.md).
     * Micronaut's builder cannot be told otherwise: {@code eagerInitSingletons(false)} only adds.
     */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return lazyContext();
    }

    /** The context every Lambda entry point builds (also {@link BuildStepHandler}, {@link BuildEventsHandler}). */
    static ApplicationContextBuilder lazyContext() {
        return ApplicationContext.builder()
                .environments(Environment.FUNCTION, "lambda")
                .eagerInitConfiguration(true);
    }
}
