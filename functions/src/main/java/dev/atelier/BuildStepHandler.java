package dev.atelier;

import dev.atelier.imagebuild.workflow.BuildSteps;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * Entry point of the build state machine's tasks on AWS Lambda: each invocation is one step of
 * one build ({@link BuildSteps}), called by Step Functions with a JSON object, answered with one.
 */
public class BuildStepHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    @Inject
    BuildSteps steps;

    public BuildStepHandler() {
        super();
    }

    /** For tests: run against an application context built elsewhere. */
    public BuildStepHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input) {
        return steps.run(input);
    }

    /** As {@link LambdaHandler}: singletons are made on first use. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaHandler.lazyContext();
    }
}
