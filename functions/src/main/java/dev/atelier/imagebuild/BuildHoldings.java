package dev.atelier.imagebuild;

import dev.atelier.store.BlobBucket;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.workspace.WorkspaceHoldings;
import dev.atelier.workstation.WorkstationMessages;
import dev.atelier.workstation.WorkstationQueue;
import io.micronaut.context.BeanProvider;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * A workspace's builds as holdings: builds in progress stop its deletion; ended builds release
 * what they made — Image Builder's resources, their texts and logs in the blob bucket, and their
 * AMIs and snapshots in every region: those the workstation worker releases, told by a
 * RELEASE_IMAGES message on the workstation queue (the API itself never calls EC2; the queue's
 * retries and dead-letter queue make the release durable).
 */
@Singleton
public class BuildHoldings implements WorkspaceHoldings {

    private final BeanProvider<ImageBuilder> imageBuilder;
    private final BeanProvider<WorkstationQueue> workstationQueue;
    private final JsonMapper json;
    private final BlobBucket blobs;

    public BuildHoldings(BeanProvider<ImageBuilder> imageBuilder, BeanProvider<WorkstationQueue> workstationQueue,
                         JsonMapper json, BlobBucket blobs) {
        this.imageBuilder = imageBuilder;
        this.workstationQueue = workstationQueue;
        this.json = json;
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
                    workstationQueue.get().send(WorkstationMessages.releaseImages(json, slug, build.id(), build.amis()), 0);
                }
            } catch (ImageBuilder.ImageBuilderException | SdkException e) {
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
