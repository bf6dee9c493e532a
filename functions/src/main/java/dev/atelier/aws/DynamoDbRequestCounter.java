package dev.atelier.aws;

import jakarta.inject.Singleton;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the application sends to DynamoDB, by operation. Tests and the request
 * budget benchmark read it around one API call to know what that call cost.
 */
@Singleton
public class DynamoDbRequestCounter implements ExecutionInterceptor {

    private final AtomicLong total = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        total.incrementAndGet();
        if (isWrite(operation)) {
            writes.incrementAndGet();
        }
        byOperation.computeIfAbsent(operation, o -> new LongAdder()).increment();
    }

    /** Requests sent since start. */
    public long total() {
        return total.get();
    }

    /** Requests since start that change data. */
    public long writes() {
        return writes.get();
    }

    /** Requests since start, per operation name (GetItem, Query, TransactWriteItems…). */
    public Map<String, Long> byOperation() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        byOperation.forEach((op, n) -> copy.put(op, n.sum()));
        return copy;
    }

    static boolean isWrite(String operation) {
        return switch (operation) {
            case "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems" -> true;
            default -> false;
        };
    }
}
