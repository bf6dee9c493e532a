package dev.atelier.testing;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.identity.BootstrapAdmin;
import dev.atelier.identity.TokenItem;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.identity.UserItem;
import dev.atelier.local.LocalResources;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The whole application as a person runs it locally — real HTTP server, the built portal,
 * local mode against the local AWS engine — on a random port with a fresh table.
 */
public final class RunningApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedServer server;
    private final String bootstrapToken;
    private final Map<String, Object> properties;

    private RunningApp(EmbeddedServer server, String bootstrapToken, Map<String, Object> properties) {
        this.server = server;
        this.bootstrapToken = bootstrapToken;
        this.properties = properties;
    }

    /** Starts an application with fresh resources and a fresh data directory. */
    public static RunningApp start() {
        return start(Map.of());
    }

    /** Starts an application; {@code overrides} replace the defaults (e.g. the same table and data dir again). */
    public static RunningApp start(Map<String, Object> overrides) {
        return start(overrides, true);
    }

    /**
     * Starts the application configured as on Lambda: environment {@code test} only, so no
     * local site (no snapshot saver scanning the table in the background, no portal); the table
     * and the site administrator are created beforehand, as the stack does in AWS. What the
     * DynamoDB request counter sees is then exactly what the API calls sent.
     */
    public static RunningApp startWithoutLocalSite() {
        return start(Map.of(), false);
    }

    private static RunningApp start(Map<String, Object> overrides, boolean localSite) {
        Map<String, Object> properties = new HashMap<>(LocalEngine.freshResources());
        properties.put("micronaut.server.port", -1);
        // Saved at shutdown only: a periodic save scans the table, which tests that count requests would see.
        properties.put("atelier.snapshot-every-seconds", 0);
        properties.put("atelier.bootstrap-token", TokenSecrets.newSecret("site-admin"));
        try {
            properties.put("atelier.data-dir", Files.createTempDirectory("atelier-data").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path site = Path.of("..", "site", "public").toAbsolutePath().normalize();
        if (Files.isDirectory(site)) {
            properties.put("atelier.site-dir", site.toString());
        }
        properties.putAll(overrides);
        String token = (String) properties.get("atelier.bootstrap-token");
        if (!localSite) {
            EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
            server.getApplicationContext().getBean(LocalResources.class).ensureAll();
            server.getApplicationContext().getBean(BootstrapAdmin.class).ensure(token);
            return new RunningApp(server, token, properties);
        }
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties, "local", "test");
        return new RunningApp(server, token, properties);
    }

    /** The properties this application was started with, to start another on the same data. */
    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public String bootstrapToken() {
        return bootstrapToken;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public DynamoDbRequestCounter dynamoDbRequests() {
        return context().getBean(DynamoDbRequestCounter.class);
    }

    public String tableName() {
        return (String) properties.get("atelier.table-name");
    }

    /** A user made for a test, with a valid token. */
    public record TestUser(String id, String email, String token) { }

    /** Signs up a plain user (no site administration) with a valid token. */
    public TestUser newUser(String email) {
        DynamoDbEnhancedClient dynamoDb = context().getBean(DynamoDbEnhancedClient.class);
        String userId = UUID.randomUUID().toString();
        String now = Instant.now().toString();
        dynamoDb.table(tableName(), UserItem.SCHEMA).putItem(new UserItem(userId, email, email, false, now));
        return new TestUser(userId, email, issueToken(userId, email, Instant.now().plus(Duration.ofDays(1))));
    }

    /** Signs up a plain user (no site administration) and returns a valid token of theirs. */
    public String newUserToken(String email) {
        return newUser(email).token();
    }

    /** Writes a token for {@code userId} expiring at {@code expiresAt} and returns its secret. */
    public String issueToken(String userId, String email, Instant expiresAt) {
        DynamoDbEnhancedClient dynamoDb = context().getBean(DynamoDbEnhancedClient.class);
        String secret = TokenSecrets.newSecret(userId);
        dynamoDb.table(tableName(), TokenItem.SCHEMA).putItem(new TokenItem(TokenSecrets.hash(secret),
                UUID.randomUUID().toString(), userId, email, "test", false, Instant.now().toString(), expiresAt.toString(),
                expiresAt.getEpochSecond()));
        return secret;
    }

    /**
     * Stores a resource item (definition, image, running workstation) directly, for tests of the
     * grant machinery before the resource's own API exists.
     *
     * @param launchedBy for a workstation, who launched it; may be null
     */
    public void plantResource(String slug, String kind, String id, String launchedBy) {
        if (kind.equals("workstation")) {
            Plants.workstation(this, slug, id, "planted-definition", launchedBy, "running");
            return;
        }
        java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new java.util.HashMap<>();
        item.put("PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(dev.atelier.store.Keys.workspace(slug)));
        item.put("SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(dev.atelier.store.Keys.resource(kind, id)));
        item.put("id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(id));
        context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class)
                .putItem(r -> r.tableName(tableName()).item(item));
    }

    /** How many items the application's table holds (to prove a refused request wrote nothing). */
    public int itemCount() {
        return context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class)
                .scan(r -> r.tableName(tableName()).select("COUNT")).count();
    }

    /** The text of every mail sent to {@code email}, oldest first, read from the local outbox. */
    public java.util.List<String> mailTo(String email) {
        Path outbox = Path.of((String) properties.get("atelier.data-dir"), "outbox");
        if (!Files.isDirectory(outbox)) {
            return java.util.List.of();
        }
        try (var files = Files.list(outbox)) {
            return files.sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).filter(text -> text.contains("\r\nTo: " + email + "\r\n")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request; {@code token} and {@code jsonBody} may be null. */
    public HttpResponse<String> send(String method, String path, String token, String jsonBody, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends raw bytes (e.g. an image) and reads raw bytes back; {@code token} and {@code body} may be null. */
    public HttpResponse<byte[]> sendBytes(String method, String path, String token, byte[] body, String contentType,
                                          String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
