package dev.atelier.web;

import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Set;

/**
 * AWS telling us to slow down: a throttled request the SDK's own retries did not get through,
 * or a transaction cancelled because it met another one on the same items (or was throttled).
 * Nothing was written, and the same request a moment later should succeed: the client is told
 * so with 503 and {@code Retry-After}, never 500 (docs/errors.md, {@code throttled}).
 */
public final class Throttling {

    /** What {@code Retry-After} says, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 1;
    /** Attempts of {@link #persist}: with the SDK's own retries, enough for any throttling short of an outage. */
    private static final int PERSIST_ATTEMPTS = 8;

    /** Error codes of AWS services that mean "too many requests", whatever the SDK version classifies. */
    private static final Set<String> CODES = Set.of("ThrottlingException", "Throttling",
            "ProvisionedThroughputExceededException", "RequestLimitExceeded", "TooManyRequestsException",
            "TransactionConflictException");
    /** Cancellation reasons of a DynamoDB transaction that a repeat may get through. */
    private static final Set<String> TRANSIENT_REASONS = Set.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");

    private Throttling() { }

    /** Whether {@code failure}, or one of its causes, is AWS throttling or a transaction conflict. */
    public static boolean isThrottling(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.hasCancellationReasons()
                        ? cancelled.cancellationReasons() : List.of();
                return reasons.stream().anyMatch(r -> TRANSIENT_REASONS.contains(r.code()));
            }
            if (t instanceof AwsServiceException aws) {
                AwsErrorDetails details = aws.awsErrorDetails();
                return aws.isThrottlingException() || details != null && CODES.contains(details.errorCode());
            }
        }
        return false;
    }

    /**
     * Runs work that must get through because something was already committed before it (the
     * rest of a change that cannot be answered "nothing was changed"): throttling is waited out
     * with backoff, up to {@value #PERSIST_ATTEMPTS} attempts, then the last failure is thrown.
     */
    public static void persist(Runnable work) {
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                if (attempt >= PERSIST_ATTEMPTS || !isThrottling(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(50L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The problem answered for it (with {@code Retry-After}, added where problems become answers). */
    public static ApiException busy() {
        return new ApiException(503, "throttled", "Service Unavailable",
                "The service is busy; nothing was changed. Try again in a moment", List.of());
    }
}
