package dev.atelier.local;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.imagebuild.ImageStateChanges;
import dev.atelier.config.AtelierConfig;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.List;

/**
 * Locally, the consumer of image state changes: long-polls the queue the local event route fills
 * ({@link LocalResources#imageBuilderEventsQueueName}) on a daemon thread and hands each change
 * to {@link ImageStateChanges#handle}. A change whose build is not recorded yet is left on the queue
 * and comes back after a short visibility timeout. Started with the application, stopped with it.
 * {@code atelier.local.build-events.consume=false} leaves the queue alone (tests that read it).
 */
@Context
@Requires(env = "local")
@Requires(property = "atelier.builds.workflow", value = "local")
@Requires(property = "atelier.local.build-events.consume", notEquals = "false")
public class LocalBuildEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBuildEvents.class);

    private final SqsClient sqs;
    private final ImageStateChanges changes;
    private final String queueName;
    private volatile boolean running = true;
    private Thread thread;

    public LocalBuildEvents(SqsClient sqs, ImageStateChanges changes, AtelierConfig config) {
        this.sqs = sqs;
        this.changes = changes;
        this.queueName = LocalResources.imageBuilderEventsQueueName(config);
    }

    @PostConstruct
    void start() {
        thread = new Thread(() -> DynamoDbRequestCounter.inBackground(this::run), "local-build-events");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

    private void run() {
        String queueUrl = null;
        while (running) {
            try {
                if (queueUrl == null) {
                    queueUrl = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
                }
                String url = queueUrl;
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).visibilityTimeout(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                for (Message message : messages) {
                    if (handle(message.body()) || receivedOften(message)) {
                        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.debug("Reading image state changes failed; trying again", e);
                pause();
            }
        }
    }

    /** A change no build claimed after a minute of tries is not one of ours. */
    private static boolean receivedOften(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count != null && Integer.parseInt(count) >= 60;
    }

    /** True when the event is done with (recorded, or not one to record). */
    boolean handle(String body) {
        return changes.handle(body);
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
