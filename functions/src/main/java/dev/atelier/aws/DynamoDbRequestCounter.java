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

    /** Set on threads doing background work (build steps), which belongs to no API call. */
    private static final ThreadLocal<Boolean> BACKGROUND = ThreadLocal.withInitial(() -> false);

    private final AtomicLong total = new AtomicLong();
    private final AtomicLong background = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (BACKGROUND.get()) {
            background.incrementAndGet();
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        total.incrementAndGet();
        if (isWrite(operation)) {
            writes.incrementAndGet();
        }
        byOperation.computeIfAbsent(operation, o -> new LongAdder()).increment();
    }

    /**
     * Runs background work (locally, the build steps that in AWS run as Step Functions tasks):
     * its requests are counted apart, as {@link #background()}, and not as any API call's.
     */
    public static void inBackground(Runnable work) {
        boolean before = BACKGROUND.get();
        BACKGROUND.set(true);
        try {
            work.run();
        } finally {
            BACKGROUND.set(before);
        }
    }

    /** Requests sent by background work since start. */
    public long background() {
        return background.get();
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
