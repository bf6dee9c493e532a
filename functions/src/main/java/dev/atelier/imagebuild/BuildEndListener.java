package dev.atelier.imagebuild;

/**
 * Told when a build has ended through a state change or a cancel, outside the build workflow's
 * own steps (in AWS: the workflow waiting for that end, {@code workflow.TaskTokens}).
 */
public interface BuildEndListener {

    /** {@code build} has ended (it holds the record as it was just before). Never throws. */
    void ended(BuildItem build);
}
