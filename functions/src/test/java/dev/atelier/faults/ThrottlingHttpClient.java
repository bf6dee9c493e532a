package dev.atelier.faults;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's one HTTP client to AWS, answering some requests as a throttling AWS would
 * instead of sending them: DynamoDB, KMS, SES and Step Functions requests each, with
 * probability {@code p}, get their service's throttling error in its own wire format; a
 * DynamoDB TransactWriteItems may instead be cancelled with a {@code TransactionConflict}
 * among its reasons. A request answered so never reaches the engine, so nothing of it is
 * applied — as in AWS. The SDK's retries, our code's handling and our error mapping then run
 * exactly as they would there.
 *
 * <p>Decisions come from one seeded {@link Random}; injection is switched on and off at run
 * time (off while a test reads state to check it).
 */
public final class ThrottlingHttpClient implements SdkHttpClient {

    /** Services whose requests may be throttled, by their SigV4 signing name. */
    private static final List<String> SERVICES = List.of("dynamodb", "kms", "ses", "states");
    private static final Pattern SIGNING_SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private final SdkHttpClient engine;
    private final double probability;
    private final Random random;
    private volatile boolean on;
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private final AtomicLong passed = new AtomicLong();

    public ThrottlingHttpClient(SdkHttpClient engine, long seed, double probability) {
        this.engine = engine;
        this.random = new Random(seed);
        this.probability = probability;
    }

    /** Starts or stops answering as a throttling AWS. */
    public void throttle(boolean on) {
        this.on = on;
    }

    /** Starts over with a new seed (the next run's decisions are those of this seed). */
    public synchronized void reseed(long seed) {
        random.setSeed(seed);
    }

    /** How many answers of each kind were made up so far (e.g. {@code dynamodb ThrottlingException}). */
    public Map<String, Long> injected() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        injected.forEach((k, v) -> counts.put(k, v.get()));
        counts.put("(passed to the engine)", passed.get());
        return counts;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (on) {
            String service = service(request);
            if (service != null && SERVICES.contains(service)) {
                Optional<Fault> fault = decide(service, request);
                if (fault.isPresent()) {
                    injected.computeIfAbsent(service + " " + fault.get().code(), k -> new AtomicLong()).incrementAndGet();
                    return answer(fault.get());
                }
            }
        }
        passed.incrementAndGet();
        return engine.prepareRequest(request);
    }

    @Override
    public String clientName() {
        return engine.clientName();
    }

    @Override
    public void close() {
        engine.close();
    }

    /** A made-up answer of AWS. */
    record Fault(String code, int status, Map<String, String> headers, String body) { }

    private synchronized Optional<Fault> decide(String service, HttpExecuteRequest request) {
        if (random.nextDouble() >= probability) {
            return Optional.empty();
        }
        boolean coin = random.nextBoolean();
        return Optional.of(switch (service) {
            case "dynamodb" -> dynamoDb(request, coin, random.nextInt(1000));
            case "kms" -> json11("ThrottlingException", "Rate exceeded");
            case "ses" -> new Fault("TooManyRequestsException", 429,
                    Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "TooManyRequestsException:"),
                    "{\"message\":\"Maximum sending rate exceeded.\"}");
            default -> json10("ThrottlingException", "Rate exceeded");
        });
    }

    private static Fault dynamoDb(HttpExecuteRequest request, boolean coin, int pick) {
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        if (target.endsWith(".TransactWriteItems") && coin) {
            int writes = Math.max(1, transactItems(request));
            List<String> reasons = new ArrayList<>();
            int conflicting = pick % writes;
            for (int i = 0; i < writes; i++) {
                reasons.add(i == conflicting
                        ? "{\"Code\":\"TransactionConflict\",\"Message\":\"Transaction is ongoing for the item\"}"
                        : "{\"Code\":\"None\"}");
            }
            String codes = String.join(", ", reasons.stream()
                    .map(r -> r.contains("TransactionConflict") ? "TransactionConflict" : "None").toList());
            return new Fault("TransactionCanceledException", 400, Map.of("Content-Type", "application/x-amz-json-1.0"),
                    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                            + "\"message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons ["
                            + codes + "]\",\"CancellationReasons\":[" + String.join(",", reasons) + "]}");
        }
        String code = pick % 2 == 0 ? "ThrottlingException" : "ProvisionedThroughputExceededException";
        String message = pick % 2 == 0 ? "Rate of requests exceeds the allowed throughput."
                : "The level of configured provisioned throughput for the table was exceeded.";
        return new Fault(code, 400, Map.of("Content-Type", "application/x-amz-json-1.0"),
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static Fault json10(String code, String message) {
        return new Fault(code, 400, Map.of("Content-Type", "application/x-amz-json-1.0"),
                "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static Fault json11(String code, String message) {
        return new Fault(code, 400, Map.of("Content-Type", "application/x-amz-json-1.1"),
                "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static int transactItems(HttpExecuteRequest request) {
        if (request.contentStreamProvider().isEmpty()) {
            return 1;
        }
        try (InputStream body = request.contentStreamProvider().get().newStream()) {
            Map<String, Object> parsed = JSON.readValue(body.readAllBytes(), Argument.mapOf(String.class, Object.class));
            Object items = parsed.get("TransactItems");
            return items instanceof List<?> list ? list.size() : 1;
        } catch (IOException e) {
            return 1;
        }
    }

    private static String service(HttpExecuteRequest request) {
        return request.httpRequest().firstMatchingHeader("Authorization").map(auth -> {
            Matcher m = SIGNING_SCOPE.matcher(auth);
            return m.find() ? m.group(1) : null;
        }).orElse(null);
    }

    private static ExecutableHttpRequest answer(Fault fault) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                byte[] body = fault.body().getBytes(StandardCharsets.UTF_8);
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(fault.status())
                        .putHeader("x-amzn-RequestId", java.util.UUID.randomUUID().toString())
                        .putHeader("Content-Length", Integer.toString(body.length));
                fault.headers().forEach(response::putHeader);
                return HttpExecuteResponse.builder().response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {
            }
        };
    }
}
