package dev.atelier.imagebuild;

import dev.atelier.store.BlobBucket;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.workspace.WorkspaceHoldings;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * A workspace's builds as holdings: builds in progress stop its deletion; ended builds release
 * what they made — Image Builder's resources, their AMIs and snapshots in every region, their
 * texts and logs in the blob bucket.
 */
@Singleton
public class BuildHoldings implements WorkspaceHoldings {

    private final BeanProvider<ImageBuilder> imageBuilder;
    private final BeanProvider<MachineImages> machineImages;
    private final BlobBucket blobs;

    public BuildHoldings(BeanProvider<ImageBuilder> imageBuilder, BeanProvider<MachineImages> machineImages,
                         BlobBucket blobs) {
        this.imageBuilder = imageBuilder;
        this.machineImages = machineImages;
        this.blobs = blobs;
    }

    @Override
    public List<String> stillRunning(String slug, List<Map<String, AttributeValue>> items) {
        return builds(items).stream().filter(b -> !b.status().ended())
                .map(b -> "build " + b.id() + " of definition " + b.definitionId() + " (" + b.status().wireName() + ")")
                .toList();
    }

    @Override
    public void release(String slug, List<Map<String, AttributeValue>> items) {
        for (BuildItem build : builds(items)) {
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

    private static List<BuildItem> builds(List<Map<String, AttributeValue>> items) {
        return items.stream().filter(item -> Keys.isBuild(item.get(TableDefinition.SK).s())).map(BuildItem::of).toList();
    }
}
