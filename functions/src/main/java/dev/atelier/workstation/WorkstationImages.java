package dev.atelier.workstation;

import dev.atelier.imagebuild.NewImageListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a definition's workstations that it has a newer image, so lists show
 * {@code updateAvailable} without reading each definition (a single workstation's read checks
 * the definition itself).
 */
@Singleton
public class WorkstationImages implements NewImageListener {

    private static final Logger LOG = LoggerFactory.getLogger(WorkstationImages.class);

    private final WorkstationStore store;

    public WorkstationImages(WorkstationStore store) {
        this.store = store;
    }

    @Override
    public void shown(String slug, String definitionId, long version) {
        try {
            store.showLatestImage(slug, definitionId, version);
        } catch (RuntimeException e) {
            LOG.warn("Could not show version {} of definition {} in {} to its workstations", version, definitionId, slug, e);
        }
    }
}
