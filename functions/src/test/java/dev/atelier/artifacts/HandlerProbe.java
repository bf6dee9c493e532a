package dev.atelier.artifacts;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Runs in a fresh JVM on one Lambda artifact alone ({@code java -cp <artifact>:<this class>}) and
 * does what the Lambda Java runtime does with it: constructs the handler class, reads each event
 * with the serializer the artifact registers ({@link CustomPojoSerializer}, found through the
 * service loader as the runtime finds it), calls {@code handleRequest}, writes the answer with the
 * same serializer. Prints {@code ANSWER <json>} per event; anything thrown (a class missing from
 * the artifact among them) ends it with exit status 1.
 *
 * <p>Usage: {@code HandlerProbe <handler class> <input class> <event file>...}
 */
public final class HandlerProbe {

    private HandlerProbe() { }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        try {
            RequestHandler handler = (RequestHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
            Class<?> inputType = Class.forName(args[1]);
            Iterator<CustomPojoSerializer> found = ServiceLoader.load(CustomPojoSerializer.class).iterator();
            if (!found.hasNext()) {
                throw new IllegalStateException("The artifact registers no " + CustomPojoSerializer.class.getName());
            }
            CustomPojoSerializer serializer = found.next();
            for (int i = 2; i < args.length; i++) {
                Object event;
                try (InputStream in = Files.newInputStream(Path.of(args[i]))) {
                    event = serializer.fromJson(in, inputType);
                }
                Object answer = handler.handleRequest(event, new ProbeContext(args[0]));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                serializer.toJson(answer, out, answer == null ? Object.class : answer.getClass());
                System.out.println("ANSWER " + out.toString(StandardCharsets.UTF_8).replace('\n', ' '));
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.out.flush();
            System.exit(1);
        }
        System.out.flush();
        System.exit(0);
    }

    /** The invocation context the Lambda runtime would pass. */
    private record ProbeContext(String handler) implements Context {
        @Override public String getAwsRequestId() { return "00000000-0000-0000-0000-000000000002"; }
        @Override public String getLogGroupName() { return "/aws/lambda/atelier"; }
        @Override public String getLogStreamName() { return "2026/12/05/[$LATEST]probe"; }
        @Override public String getFunctionName() { return "atelier-" + handler.substring(handler.lastIndexOf('.') + 1); }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:" + getFunctionName();
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
