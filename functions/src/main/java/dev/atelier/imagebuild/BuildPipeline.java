package dev.atelier.imagebuild;

/**
 * Runs the steps of a build once its record exists ({@link BuildLifecycle#start}, then
 * {@link BuildLifecycle#record} for each image state change).
 * <p>Locally ({@code LocalBuildPipeline}) the steps run in-process: {@code start} on a background
 * executor, state changes from the local event queue. In AWS ({@code workflow.StepFunctionsPipeline})
 * each build is an execution of the build state machine, whose tasks call the same
 * {@link BuildLifecycle} methods.
 */
public interface BuildPipeline {

    /** Where a build's record lies. */
    record BuildRef(String slug, String definitionId, String buildId) { }

    /** Starts the build; returns at once, without waiting for it. */
    void start(BuildRef build);
}
