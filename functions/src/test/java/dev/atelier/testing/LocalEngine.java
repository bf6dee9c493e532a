package dev.atelier.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The local AWS engine the tests run against. bin/test starts it and points every SDK client
 * at it through {@code AWS_ENDPOINT_URL}; each test application gets its own table and bucket.
 */
public final class LocalEngine {

    private LocalEngine() { }

    public static String endpoint() {
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("AWS_ENDPOINT_URL is not set: run the tests with bin/test, "
                    + "which starts the local AWS engine (or bin/test-one <TestClass>)");
        }
        return endpoint;
    }

    /** Properties giving an application fresh, private resources in the engine. */
    public static Map<String, Object> freshResources() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> properties = new HashMap<>();
        properties.put("atelier.endpoint-url", endpoint());
        properties.put("atelier.table-name", "atelier-test-" + suffix);
        properties.put("atelier.blob-bucket", "atelier-test-" + suffix);
        properties.put("atelier.kms-key-id", "alias/atelier-test-" + suffix);
        return properties;
    }
}
