package dev.atelier;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.atelier.identity.BootstrapAdmin;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.local.LocalResources;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.testing.ApiGatewayEvents;
import dev.atelier.testing.Json;
import dev.atelier.testing.LocalEngine;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda path: API Gateway HTTP API events (payload 2.0, from {@code events/}) answered by
 * {@link LambdaHandler}, with the application configured as on Lambda (no local site, the
 * resources created beforehand as the stack would) and talking to the local AWS engine.
 */
class LambdaHandlerTest {

    private static final String ADMIN_TOKEN = TokenSecrets.newSecret(BootstrapAdmin.USER_ID);

    private static ApplicationContext context;
    private static LambdaHandler handler;
    private static String tableName;

    @BeforeAll
    static void start() {
        Map<String, Object> properties = new HashMap<>(LocalEngine.freshResources());
        properties.put("atelier.bootstrap-token", ADMIN_TOKEN);
        tableName = (String) properties.get("atelier.table-name");
        // "test" only: on Lambda there is no LocalSite; what it would do is done here, once.
        context = ApplicationContext.run(properties, "test");
        context.getBean(LocalResources.class).ensureAll();
        context.getBean(BootstrapAdmin.class).ensure(ADMIN_TOKEN);
        handler = new LambdaHandler(context);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    // --- replaying events -----------------------------------------------------------------

    private static APIGatewayV2HTTPEvent event(String file, String slug) {
        try {
            APIGatewayV2HTTPEvent event = context.getBean(JsonMapper.class)
                    .readValue(ApiGatewayEvents.read(file), APIGatewayV2HTTPEvent.class);
            return ApiGatewayEvents.fill(event, ADMIN_TOKEN, slug);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static APIGatewayV2HTTPResponse replay(String file, String slug) {
        return handler.handleRequest(event(file, slug), new MockLambdaContext());
    }

    private static APIGatewayV2HTTPResponse replay(String file) {
        return replay(file, unique("unused"));
    }

    private static String body(APIGatewayV2HTTPResponse response) {
        String body = response.getBody();
        if (body != null && response.getIsBase64Encoded()) {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return body;
    }

    private static Optional<String> header(APIGatewayV2HTTPResponse response, String name) {
        if (response.getHeaders() != null) {
            for (var header : response.getHeaders().entrySet()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return Optional.of(header.getValue());
                }
            }
        }
        if (response.getMultiValueHeaders() != null) {
            for (var header : response.getMultiValueHeaders().entrySet()) {
                if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                    return Optional.of(header.getValue().get(0));
                }
            }
        }
        return Optional.empty();
    }

    private static void assertJson(APIGatewayV2HTTPResponse response, int status) {
        assertThat(response.getStatusCode()).as(body(response)).isEqualTo(status);
        assertThat(header(response, "Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    private static Map<String, Object> assertProblem(APIGatewayV2HTTPResponse response, int status) {
        assertThat(response.getStatusCode()).as(body(response)).isEqualTo(status);
        assertThat(header(response, "Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        Map<String, Object> problem = Json.object(body(response));
        assertThat(problem).containsKeys("type", "title", "status", "detail");
        assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
        return problem;
    }

    private static String createWorkspace() {
        String slug = unique("lambda");
        assertThat(replay("apigw-v2-create-workspace.json", slug).getStatusCode()).isEqualTo(201);
        return slug;
    }

    // --- health ---------------------------------------------------------------------------

    @Test
    void health_shouldAnswer200Ok_withoutToken() {
        APIGatewayV2HTTPResponse response = replay("apigw-v2-health.json");

        assertJson(response, 200);
        assertThat(Json.object(body(response))).containsEntry("status", "ok");
    }

    @Test
    void coldStart_shouldAnswer_withoutBuildingTheAwsClientsTheCallDoesNotUse() {
        // GIVEN a handler built as the Lambda runtime builds it (its own application context)
        try (LambdaHandler cold = new LambdaHandler()) {
            // WHEN it answers its first event
            APIGatewayV2HTTPResponse response = cold.handleRequest(event("apigw-v2-health.json", "unused"),
                    new MockLambdaContext());

            // THEN it answered, and no AWS client was created on the way
            assertJson(response, 200);
            assertThat(cold.getApplicationContext().getActiveBeanRegistrations(S3Client.class)).isEmpty();
            assertThat(cold.getApplicationContext().getActiveBeanRegistrations(DynamoDbClient.class)).isEmpty();
        }
    }

    // --- create ---------------------------------------------------------------------------

    @Test
    void create_shouldAnswer201WithTheWorkspaceAndItsLocation() {
        String slug = unique("created");

        APIGatewayV2HTTPResponse response = replay("apigw-v2-create-workspace.json", slug);

        assertJson(response, 201);
        Map<String, Object> body = Json.object(body(response));
        assertThat(body).containsEntry("name", "Render Farm").containsEntry("slug", slug).containsEntry("role", "owner");
        assertThat(body.get("id").toString()).isNotBlank();
        assertThat(Instant.parse(body.get("createdAt").toString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(header(response, "Location")).hasValue("/api/v1/workspaces/" + slug);
    }

    @Test
    void create_shouldWriteTheWorkspaceToTheTable_inTheLocalEngine() {
        // GIVEN a workspace created through the handler
        String slug = createWorkspace();

        // WHEN the table is read directly, bypassing the application
        Map<String, AttributeValue> item = context.getBean(DynamoDbClient.class).getItem(r -> r
                .tableName(tableName)
                .consistentRead(true)
                .key(Map.of(TableDefinition.PK, AttributeValue.fromS(Keys.workspace(slug)),
                        TableDefinition.SK, AttributeValue.fromS(Keys.WORKSPACE))))
                .item();

        // THEN the item is there, as the handler described it
        assertThat(item).isNotEmpty();
        assertThat(item.get("slug").s()).isEqualTo(slug);
        assertThat(item.get("name").s()).isEqualTo("Render Farm");
        assertThat(item.get("createdBy").s()).isEqualTo(BootstrapAdmin.USER_ID);
    }

    @Test
    void create_shouldReadTheBody_whenTheEventIsBase64Encoded() {
        String slug = unique("encoded");
        assertThat(event("apigw-v2-create-workspace-base64.json", slug).getIsBase64Encoded()).isTrue();

        APIGatewayV2HTTPResponse response = replay("apigw-v2-create-workspace-base64.json", slug);

        assertJson(response, 201);
        assertThat(Json.object(body(response))).containsEntry("name", "Encoded Studio").containsEntry("slug", slug);
    }

    @Test
    void create_shouldAnswer400NamingTheBody_whenTheJsonIsMalformed() {
        APIGatewayV2HTTPResponse response = replay("apigw-v2-malformed-body.json");

        assertProblem(response, 400);
        assertThat(Json.errorFields(body(response))).containsExactly("body");
    }

    // --- read back ------------------------------------------------------------------------

    @Test
    void get_shouldReturnTheWorkspace_createdThroughTheHandler() {
        // GIVEN a workspace created through the handler
        String slug = unique("readback");
        APIGatewayV2HTTPResponse created = replay("apigw-v2-create-workspace.json", slug);
        assertThat(created.getStatusCode()).isEqualTo(201);

        // WHEN it is read through the handler
        APIGatewayV2HTTPResponse read = replay("apigw-v2-get-workspace.json", slug);

        // THEN it is the same workspace, with its version as ETag
        assertJson(read, 200);
        assertThat(Json.object(body(read)))
                .containsEntry("id", Json.object(body(created)).get("id"))
                .containsEntry("slug", slug)
                .containsEntry("role", "owner");
        assertThat(header(read, "ETag")).hasValue("\"1\"");
    }

    @Test
    void get_shouldAnswer404Problem_whenTheWorkspaceDoesNotExist() {
        APIGatewayV2HTTPResponse response = replay("apigw-v2-get-workspace.json", unique("nothing"));

        assertProblem(response, 404);
    }

    @Test
    void list_shouldIncludeTheWorkspaces_createdThroughTheHandler() {
        // GIVEN a workspace created through the handler
        String slug = createWorkspace();

        // WHEN the caller's workspaces are listed through the handler, page after page
        List<Object> listed = new ArrayList<>();
        String cursor = null;
        do {
            APIGatewayV2HTTPEvent event = event("apigw-v2-list-workspaces.json", "unused");
            if (cursor != null) {
                Map<String, String> query = new HashMap<>(event.getQueryStringParameters());
                query.put("cursor", cursor);
                event.setQueryStringParameters(query);
                event.setRawQueryString(event.getRawQueryString() + "&cursor="
                        + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            }
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, new MockLambdaContext());
            assertJson(response, 200);
            Json.items(body(response)).forEach(item -> listed.add(item.get("slug")));
            cursor = (String) Json.object(body(response)).get("nextCursor");
        } while (cursor != null);

        // THEN it is among them
        assertThat(listed).contains(slug);
    }

    @Test
    void list_shouldHonourTheLimitFromTheQueryString() {
        // GIVEN more than ten workspaces (the event asks for limit=10; without it the page is 50)
        for (int i = 0; i < 11; i++) {
            createWorkspace();
        }

        // WHEN the event's list is replayed
        APIGatewayV2HTTPResponse response = replay("apigw-v2-list-workspaces.json");

        // THEN one page of ten comes back, with a cursor to the rest
        assertJson(response, 200);
        assertThat(Json.items(body(response))).hasSize(10);
        assertThat(Json.object(body(response)).get("nextCursor")).asString().isNotBlank();
    }

    // --- refusals -------------------------------------------------------------------------

    @Test
    void api_shouldAnswer401ProblemWithChallenge_whenTheEventHasNoToken() {
        APIGatewayV2HTTPResponse response = replay("apigw-v2-no-token.json");

        assertProblem(response, 401);
        assertThat(header(response, "WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer"));
    }

    @Test
    void unknownRoute_shouldAnswer404Problem() {
        APIGatewayV2HTTPResponse response = replay("apigw-v2-unknown-route.json");

        assertProblem(response, 404);
    }
}
