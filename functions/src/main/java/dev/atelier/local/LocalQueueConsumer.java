package dev.atelier.local;

import dev.atelier.aws.DynamoDbRequestCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.List;
import java.util.function.Predicate;

/**
 * Locally, what Lambda's SQS event source does in AWS: long-polls one of the engine's queues on a
 * daemon thread and hands each message to its handler; a message the handler is not done with
 * comes back after a short visibility timeout, until it has come {@value #MAX_RECEIVES} times.
 */
abstract class LocalQueueConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(LocalQueueConsumer.class);
    /** A message not done with after a minute of tries is given up (in AWS: the dead-letter queue). */
    static final int MAX_RECEIVES = 60;

    private final SqsClient sqs;
    private final String queueName;
    private final String threadName;
    private final Predicate<String> handler;
    private volatile boolean running = true;
    private Thread thread;

    LocalQueueConsumer(SqsClient sqs, String queueName, String threadName, Predicate<String> handler) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.threadName = threadName;
        this.handler = handler;
    }

    void startConsuming() {
        thread = new Thread(() -> DynamoDbRequestCounter.inBackground(this::run), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    void stopConsuming() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5000);
        }
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
                LOG.debug("Reading {} failed; trying again", queueName, e);
                pause();
            }
        }
    }

    private boolean handle(String body) {
        try {
            return handler.test(body);
        } catch (RuntimeException e) {
            LOG.warn("A message of {} was not handled; it will come again", queueName, e);
            return false;
        }
    }

    private static boolean receivedOften(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count != null && Integer.parseInt(count) >= MAX_RECEIVES;
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
