package dev.atelier.imagebuild.workflow;

import dev.atelier.imagebuild.BuildPipeline;
import dev.atelier.imagebuild.BuildLifecycle;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * In AWS, each build is one execution of the build state machine (defined in infra-cdk), named
 * after the build: starting it twice starts one execution. If the execution cannot be started
 * the build ends failed with the reason, rather than staying pending for ever.
 */
@Singleton
@Requires(classes = SfnClient.class)
@Requires(property = "atelier.builds.workflow", value = "step-functions", defaultValue = "step-functions")
@Requires(property = StepFunctionsPipeline.STATE_MACHINE, pattern = "arn:.+")
public class StepFunctionsPipeline implements BuildPipeline {

    /** The build state machine's ARN ({@code ATELIER_BUILD_STATE_MACHINE_ARN}). */
    public static final String STATE_MACHINE = "atelier.build-state-machine-arn";

    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsPipeline.class);

    private final SfnClient stepFunctions;
    private final BeanProvider<BuildLifecycle> builds;
    private final JsonMapper json;
    private final String stateMachineArn;

    public StepFunctionsPipeline(SfnClient stepFunctions, BeanProvider<BuildLifecycle> builds, JsonMapper json,
                                 @Value("${" + STATE_MACHINE + "}") String stateMachineArn) {
        this.stepFunctions = stepFunctions;
        this.builds = builds;
        this.json = json;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public void start(BuildRef build) {
        Map<String, String> input = new LinkedHashMap<>();
        input.put("slug", build.slug());
        input.put("definitionId", build.definitionId());
        input.put("buildId", build.buildId());
        try {
            String body = json.writeValueAsString(input);
            stepFunctions.startExecution(r -> r.stateMachineArn(stateMachineArn).name(build.buildId()).input(body));
        } catch (ExecutionAlreadyExistsException e) {
            LOG.debug("Build {} already has its execution", build.buildId());
        } catch (SdkException | IOException e) {
            LOG.error("Could not start the workflow of build {}", build, e);
            builds.get().abandon(build.slug(), build.definitionId(), build.buildId(),
                    "The build workflow could not be started: " + e.getMessage());
        }
    }
}
