package dev.atelier;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.atelier.workstation.WorkstationWorker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the workstation worker on AWS Lambda: the workstation queue's messages (the
 * API's commands, EC2's state changes the stack's rule routes there, the worker's own checks)
 * arrive here in batches and go to {@link WorkstationWorker}, the same handler the local consumer
 * uses. A message not done with yet is reported as a batch item failure and comes back later.
 */
public class WorkstationEventsHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(WorkstationEventsHandler.class);

    @Inject
    WorkstationWorker worker;

    public WorkstationEventsHandler() {
        super();
    }

    /** For tests: run against an application context built elsewhere. */
    public WorkstationEventsHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                boolean done;
                try {
                    done = worker.handle(message.getBody());
                } catch (RuntimeException e) {
                    LOG.warn("Workstation message {} not done; it will come again", message.getMessageId(), e);
                    done = false;
                }
                if (!done) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** As {@link LambdaHandler}: singletons are made on first use. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaHandler.lazyContext();
    }
}
