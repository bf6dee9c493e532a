package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import dev.atelier.workstation.SqsWorkstationQueue;
import dev.atelier.workstation.WorkstationWorker;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Locally, the workstation worker's trigger: reads the engine's workstation queue (commands, the
 * EC2 state changes {@link LocalInstanceStates} publishes, delayed checks) and hands each message
 * to {@link WorkstationWorker}, as Lambda's event source does in AWS.
 * {@code atelier.local.workstation-events.consume=false} leaves the queue alone (tests that drive
 * the worker themselves).
 */
@Context
@Requires(env = "local")
@Requires(property = "atelier.local.workstation-events.consume", notEquals = "false")
public class LocalWorkstationEvents extends LocalQueueConsumer {

    public LocalWorkstationEvents(SqsClient sqs, WorkstationWorker worker, AtelierConfig config) {
        super(sqs, SqsWorkstationQueue.localQueueName(config), "local-workstation-events", worker::handle);
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
