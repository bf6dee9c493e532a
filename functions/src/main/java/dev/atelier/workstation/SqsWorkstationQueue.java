package dev.atelier.workstation;

import io.micronaut.context.annotation.Requires;
import dev.atelier.config.AtelierConfig;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@link WorkstationQueue} on SQS: the queue the stack made ({@code atelier.workstations.queue-url}),
 * or, locally, the engine's queue of the name {@link #localQueueName} (created at start).
 */
@Singleton
@Requires(classes = SqsClient.class)
public class SqsWorkstationQueue implements WorkstationQueue {

    private final SqsClient sqs;
    private final WorkstationSettings settings;
    private final AtelierConfig config;
    private volatile String url;
    private volatile String arn;

    public SqsWorkstationQueue(SqsClient sqs, WorkstationSettings settings, AtelierConfig config) {
        this.sqs = sqs;
        this.settings = settings;
        this.config = config;
    }

    /** The queue's name in the local engine. */
    public static String localQueueName(AtelierConfig config) {
        return config.tableName() + "-workstation-events";
    }

    @Override
    public void send(String body, int delaySeconds) {
        String queue = url();
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body).delaySeconds(Math.max(0, Math.min(900, delaySeconds))));
    }

    /** The queue's ARN: the stack's, or the engine's queue's. */
    public String arn() {
        String a = arn;
        if (a == null) {
            a = settings.queueArn() != null ? settings.queueArn()
                    : sqs.getQueueAttributes(r -> r.queueUrl(url()).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            arn = a;
        }
        return a;
    }

    public String url() {
        String u = url;
        if (u == null) {
            u = settings.queueUrl() != null ? settings.queueUrl()
                    : sqs.getQueueUrl(r -> r.queueName(localQueueName(config))).queueUrl();
            url = u;
        }
        return u;
    }
}
