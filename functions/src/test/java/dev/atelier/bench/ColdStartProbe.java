package dev.atelier.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.atelier.testing.ApiGatewayEvents;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, in a fresh JVM, done the way the Lambda Java runtime does it: load and
 * construct the handler class (the init phase), read the event with the Lambda serialization
 * library, call {@code handleRequest} once. Prints {@code ANSWERED <status>} the moment the
 * response exists (the parent process times up to that line), then {@code IN_JVM_MS <ms>}: the
 * time from the JVM's own start time to the answer; then {@code PHASES_MS <init> <event> <handle>}:
 * constructing the handler, reading the event, handling it (from the probe's main onwards).
 *
 * <p>Usage: {@code ColdStartProbe <handler class> <event file>}; {@code ATELIER_BENCH_TOKEN}
 * and {@code ATELIER_BENCH_SLUG} fill the event's placeholders.
 */
public final class ColdStartProbe {

    private ColdStartProbe() { }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler =
                (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) Class.forName(args[0])
                        .getDeclaredConstructor().newInstance();

        long t1 = System.nanoTime();
        PojoSerializer<APIGatewayV2HTTPEvent> serializer =
                LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, ColdStartProbe.class.getClassLoader());
        APIGatewayV2HTTPEvent event;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            event = serializer.fromJson(in);
        }
        ApiGatewayEvents.fill(event, env("ATELIER_BENCH_TOKEN", "no-token"), env("ATELIER_BENCH_SLUG", "no-slug"));

        long t2 = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new ProbeContext());
        long answeredAt = System.currentTimeMillis();
        long t3 = System.nanoTime();
        System.out.println("ANSWERED " + response.getStatusCode());
        System.out.flush();

        long inJvm = answeredAt - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("IN_JVM_MS " + inJvm);
        System.out.printf("PHASES_MS %d %d %d%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        if (response.getStatusCode() != 200) {
            System.out.println("BODY " + response.getBody());
        }
        System.out.flush();
        System.exit(response.getStatusCode() == 200 ? 0 : 1);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The invocation context the Lambda runtime would pass. */
    static final class ProbeContext implements Context {
        @Override public String getAwsRequestId() { return "00000000-0000-0000-0000-000000000001"; }
        @Override public String getLogGroupName() { return "/aws/lambda/atelier-api"; }
        @Override public String getLogStreamName() { return "2025/11/26/[$LATEST]probe"; }
        @Override public String getFunctionName() { return "atelier-api"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:eu-west-1:123456789012:function:atelier-api";
        }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 30_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.err.print(message); }
                @Override public void log(byte[] message) { System.err.print(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
