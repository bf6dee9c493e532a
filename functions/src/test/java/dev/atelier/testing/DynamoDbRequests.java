package dev.atelier.testing;

import dev.atelier.aws.DynamoDbRequestCounter;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What one API call cost in DynamoDB requests, by operation. The local site's background
 * snapshot (Scan) is not the call's and is left out.
 */
public final class DynamoDbRequests {

    private DynamoDbRequests() { }

    /** The result of a call and the requests it sent. */
    public record Measured<T>(T result, Map<String, Long> byOperation) {

        public long total() {
            return byOperation.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public static <T> Measured<T> during(RunningApp app, Supplier<T> call) {
        DynamoDbRequestCounter counter = app.dynamoDbRequests();
        Map<String, Long> before = counter.byOperation();
        T result = call.get();
        Map<String, Long> after = counter.byOperation();
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((operation, n) -> {
            long d = n - before.getOrDefault(operation, 0L);
            if (d > 0 && !operation.equals("Scan") && !operation.equals("DescribeTable")) {
                delta.put(operation, d);
            }
        });
        return new Measured<>(result, delta);
    }
}
