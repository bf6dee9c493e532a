package dev.atelier.imagebuild;

/**
 * The EventBridge event Image Builder sends at every image state change
 * (events/eventbridge-imagebuilder-state-change.json is a sample), and the one pattern that
 * selects it: used by the local event route and, in AWS, by the stack's rule.
 */
public final class ImageBuilderEvents {

    public static final String SOURCE = "aws.imagebuilder";
    public static final String DETAIL_TYPE = "EC2 Image Builder Image State Change";

    /** The event pattern of the rule that routes image state changes to the build workflow. */
    public static final String PATTERN = "{\"source\":[\"" + SOURCE + "\"],\"detail-type\":[\"" + DETAIL_TYPE + "\"]}";

    private ImageBuilderEvents() { }
}
