package dev.atelier.workspace;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.atelier.LambdaHandler;
import dev.atelier.identity.TokenItem;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.identity.UserItem;
import dev.atelier.local.LocalResources;
import dev.atelier.testing.Json;
import dev.atelier.testing.LocalEngine;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logo through the Lambda entry point, as API Gateway (HTTP API, payload 2.0) delivers it:
 * binary request bodies arrive base64-encoded, and binary answers must leave base64-encoded.
 */
class LogoLambdaTest {

    private static ApplicationContext context;
    private static LambdaHandler handler;
    private static String token;

    @BeforeAll
    static void start() {
        Map<String, Object> properties = new HashMap<>(LocalEngine.freshResources());
        context = ApplicationContext.run(properties, "test");
        context.getBean(LocalResources.class).ensureAll();
        handler = new LambdaHandler(context);
        String table = (String) properties.get("atelier.table-name");
        DynamoDbEnhancedClient dynamoDb = context.getBean(DynamoDbEnhancedClient.class);
        String userId = UUID.randomUUID().toString();
        dynamoDb.table(table, UserItem.SCHEMA).putItem(new UserItem(userId, "lambda@example.com", "Lambda", false,
                Instant.now().toString()));
        token = TokenSecrets.newSecret(userId);
        Instant expires = Instant.now().plus(Duration.ofDays(1));
        dynamoDb.table(table, TokenItem.SCHEMA).putItem(new TokenItem(TokenSecrets.hash(token), UUID.randomUUID().toString(),
                userId, "lambda@example.com", "test", false, Instant.now().toString(), expires.toString(),
                expires.getEpochSecond()));
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    private static APIGatewayV2HTTPResponse call(String method, String path, String contentType, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", "Bearer " + token);
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(headers)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1").withUserAgent("test").build())
                        .withRequestId(UUID.randomUUID().toString())
                        .withStage("$default")
                        .build())
                .withBody(body == null ? null : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body != null)
                .build();
        return handler.handleRequest(event, new MockLambdaContext());
    }

    @Test
    void logo_shouldTravelBase64EncodedBothWays() {
        // GIVEN a workspace created through the Lambda entry point
        String slug = "lambda-" + UUID.randomUUID().toString().substring(0, 8);
        APIGatewayV2HTTPResponse created = call("POST", "/api/v1/workspaces", "application/json",
                Json.write(Map.of("name", "Lambda", "slug", slug)).getBytes(StandardCharsets.UTF_8));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);

        // WHEN a PNG arrives base64-encoded
        APIGatewayV2HTTPResponse put = call("PUT", "/api/v1/workspaces/" + slug + "/logo", "image/png", LogoApiTest.PNG);
        assertThat(put.getStatusCode()).as(put.getBody()).isEqualTo(204);

        // THEN it is read back byte for byte, base64-encoded for API Gateway
        APIGatewayV2HTTPResponse png = call("GET", "/api/v1/workspaces/" + slug + "/logo", null, null);
        assertThat(png.getStatusCode()).isEqualTo(200);
        assertThat(png.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(png.getBody())).isEqualTo(LogoApiTest.PNG);
        assertThat(png.getHeaders()).containsEntry("Content-Type", "image/png");

        // AND an SVG too, with its content security policy
        byte[] svg = LogoApiTest.SVG.getBytes(StandardCharsets.UTF_8);
        assertThat(call("PUT", "/api/v1/workspaces/" + slug + "/logo", "image/svg+xml", svg).getStatusCode())
                .isEqualTo(204);
        APIGatewayV2HTTPResponse read = call("GET", "/api/v1/workspaces/" + slug + "/logo", null, null);
        assertThat(read.getIsBase64Encoded()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(read.getBody()), StandardCharsets.UTF_8)).contains("<rect");
        assertThat(read.getHeaders()).containsEntry("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'");
    }
}
