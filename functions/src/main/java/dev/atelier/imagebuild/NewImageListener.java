package dev.atelier.imagebuild;

/**
 * Told when a definition shows a newer available image (what new workstations start from, and
 * what running ones may update to). Called by the build's state-change handling, never from a
 * request. Never throws.
 */
public interface NewImageListener {

    /** {@code build} of {@code slug}/{@code definitionId} is now the definition's current image, of {@code version}. */
    void shown(String slug, String definitionId, long version);
}
