package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import dev.atelier.imagebuild.ImageStateChanges;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Locally, the consumer of image state changes: reads the queue the local event route fills
 * ({@link LocalResources#imageBuilderEventsQueueName}) and hands each change to
 * {@link ImageStateChanges#handle}. A change whose build is not recorded yet comes back later.
 * Started with the application, stopped with it. {@code atelier.local.build-events.consume=false}
 * leaves the queue alone (tests that read it).
 */
@Context
@Requires(env = "local")
@Requires(property = "atelier.builds.workflow", value = "local")
@Requires(property = "atelier.local.build-events.consume", notEquals = "false")
public class LocalBuildEvents extends LocalQueueConsumer {

    public LocalBuildEvents(SqsClient sqs, ImageStateChanges changes, AtelierConfig config) {
        super(sqs, LocalResources.imageBuilderEventsQueueName(config), "local-build-events", changes::handle);
    }

    @PostConstruct
    void start() {
        startConsuming();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopConsuming();
    }
}
