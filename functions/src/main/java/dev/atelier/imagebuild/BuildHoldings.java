package dev.atelier.imagebuild;

import dev.atelier.store.BlobBucket;
import dev.atelier.store.Keys;
import dev.atelier.workspace.WorkspaceHoldings;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * A workspace's builds as holdings: builds in progress stop its deletion; ended builds release
 * what they made — Image Builder's resources, their AMIs and snapshots in every region, their
 * texts and logs in the blob bucket.
 */
@Singleton
public class BuildHoldings implements WorkspaceHoldings {

    private final BuildStore store;
    private final BeanProvider<ImageBuilder> imageBuilder;
    private final BeanProvider<MachineImages> machineImages;
    private final BlobBucket blobs;

    public BuildHoldings(BuildStore store, BeanProvider<ImageBuilder> imageBuilder,
                         BeanProvider<MachineImages> machineImages, BlobBucket blobs) {
        this.store = store;
        this.imageBuilder = imageBuilder;
        this.machineImages = machineImages;
        this.blobs = blobs;
    }

    @Override
    public List<String> stillRunning(String slug) {
        return store.ofWorkspace(slug).stream().filter(b -> !b.status().ended())
                .map(b -> "build " + b.id() + " of definition " + b.definitionId() + " (" + b.status().wireName() + ")")
                .toList();
    }

    @Override
    public void release(String slug) {
        for (BuildItem build : store.ofWorkspace(slug)) {
            try {
                if (build.resources() != null && build.imageArn() != null) {
                    imageBuilder.get().cleanUp(build.created());
                }
                if (!build.amis().isEmpty()) {
                    machineImages.get().deregister(build.amis());
                }
            } catch (ImageBuilder.ImageBuilderException | MachineImages.MachineImageException e) {
                throw new ReleaseException("Could not remove what build " + build.id() + " made: " + e.getMessage(), e);
            }
            blobs.deletePrefix(BuildLogs.prefix(build.id()));
        }
        blobs.deletePrefix(Keys.workspaceBlobsPrefix(slug));
    }
}
