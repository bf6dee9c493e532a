package dev.atelier.faults;

import dev.atelier.aws.ClientOverrides;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.time.Duration;

/**
 * The SDK's pauses between retries shortened to milliseconds, so that thousands of throttled
 * requests fit in a test run; how many attempts each service gets, and which errors are
 * retried, stay the SDK's own. Only with {@link ThrottlingFaults}.
 */
@Singleton
@Requires(property = ThrottlingFaults.SEED)
public class ShortRetryPauses implements ClientOverrides {

    private static final BackoffStrategy PAUSE = BackoffStrategy.exponentialDelay(Duration.ofMillis(1), Duration.ofMillis(8));

    @Override
    public void apply(ClientOverrideConfiguration.Builder configuration) {
        configuration.retryStrategy(strategy -> strategy.backoffStrategy(PAUSE).throttlingBackoffStrategy(PAUSE));
    }
}
