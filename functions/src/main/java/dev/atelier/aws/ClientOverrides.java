package dev.atelier.aws;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * Adjusts the configuration every AWS client of {@link AwsClients} is built with. The
 * application ships no implementation: it exists for tests that run the real clients under
 * conditions AWS would impose (e.g. shorter pauses between the SDK's retries, so thousands of
 * throttled requests fit in a test run).
 */
@FunctionalInterface
public interface ClientOverrides {

    void apply(ClientOverrideConfiguration.Builder configuration);
}
