package dev.atelier;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.atelier.imagebuild.ImageStateChanges;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of Image Builder's state changes on AWS Lambda: the stack's EventBridge rule puts
 * them on a queue, whose messages arrive here in batches ({@link ImageStateChanges}, the same
 * handler the local consumer uses). A message that could not be recorded yet (its build is not
 * recorded yet, or a request failed) is reported as a batch item failure and comes back later.
 */
public class BuildEventsHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(BuildEventsHandler.class);

    @Inject
    ImageStateChanges changes;

    public BuildEventsHandler() {
        super();
    }

    /** For tests: run against an application context built elsewhere. */
    public BuildEventsHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                boolean done;
                try {
                    done = changes.handle(message.getBody());
                } catch (RuntimeException e) {
                    LOG.warn("Image state change {} not recorded; it will come again", message.getMessageId(), e);
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
