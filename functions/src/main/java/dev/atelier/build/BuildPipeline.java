package dev.atelier.build;

/**
 * Runs the steps of a build once its record exists ({@link BuildService#start}, then
 * {@link BuildService#record} for each image state change).
 * <p>Locally ({@code LocalBuildPipeline}) the steps run in-process: {@code start} on a background
 * executor, state changes from the local event queue. In AWS this will start the Step Functions
 * execution of the build (TODO: the state machine in infra-cdk, whose tasks call the same
 * {@link BuildService} methods); until then no pipeline is registered outside local mode, and
 * definitions are saved without builds there.
 */
public interface BuildPipeline {

    /** Where a build's record lies. */
    record BuildRef(String slug, String definitionId, String buildId) { }

    /** Starts the build; returns at once, without waiting for it. */
    void start(BuildRef build);
}
