package dev.atelier.imagebuild;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The one handler of "EC2 Image Builder Image State Change" events (the body of a queue message,
 * as EventBridge delivers it): locally from the engine's queue ({@code LocalBuildEvents}), in AWS
 * from the queue the stack's rule fills ({@code BuildEventsHandler}).
 */
@Singleton
public class ImageStateChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStateChanges.class);
    /** Every image Atelier starts is named so ({@code atelier-<build id>}). */
    private static final String OUR_IMAGES = ":image/atelier-";

    private final BuildLifecycle builds;
    private final JsonMapper json;

    public ImageStateChanges(BuildLifecycle builds, JsonMapper json) {
        this.builds = builds;
        this.json = json;
    }

    /**
     * Records the change the event carries.
     *
     * @return true when the event is done with (recorded, or not one to record); false when it is
     * a change of one of our images whose build is not recorded yet: offer it again later
     */
    @SuppressWarnings("unchecked")
    public boolean handle(String body) {
        Map<String, Object> event;
        try {
            event = json.readValue(body, Map.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Dropping an unreadable event");
            return true;
        }
        if (event == null || !ImageBuilderEvents.DETAIL_TYPE.equals(event.get("detail-type"))
                || !(event.get("resources") instanceof List<?> resources) || resources.isEmpty()
                || !(event.get("detail") instanceof Map<?, ?> detail) || !(detail.get("state") instanceof Map<?, ?> state)) {
            return true;
        }
        ImageBuilder.Status status;
        try {
            status = ImageBuilder.Status.valueOf(String.valueOf(state.get("status")));
        } catch (IllegalArgumentException e) {
            return true;
        }
        String imageArn = String.valueOf(resources.get(0));
        Object reason = state.get("reason");
        boolean recorded = builds.record(imageArn, status, reason == null ? null : reason.toString());
        return recorded || !imageArn.contains(OUR_IMAGES);
    }
}
