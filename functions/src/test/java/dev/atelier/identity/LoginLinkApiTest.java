package dev.atelier.identity;

import dev.atelier.testing.DynamoDbRequests;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.atelier.testing.Workspaces.unique;
import static dev.atelier.testing.ApiAssertions.assertInvalidField;
import static dev.atelier.testing.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Direct sign-in links: asked for by email, mailed, redeemed once for a session token. */
class LoginLinkApiTest {

    private static final String PORTAL = "https://atelier.example.com";
    private static final Pattern LINK = Pattern.compile(Pattern.quote(PORTAL + LoginLinkService.PORTAL_PATH) + "([A-Za-z0-9_-]+)");

    private static RunningApp app;
    private static String admin;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("atelier.portal-url", PORTAL + "/"));
        admin = app.bootstrapToken();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A user made through the API, so their email is known to the directory. */
    private static String newUser(String email) {
        HttpResponse<String> created = app.send("POST", "/api/v1/users", admin,
                Json.write(Map.of("email", email, "displayName", "Linked")));
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.object(created.body()).get("id").toString();
    }

    private static HttpResponse<String> requestLink(String email) {
        return app.send("POST", "/api/v1/auth/login-links", null, Json.write(Map.of("email", email)));
    }

    private static HttpResponse<String> redeem(String token) {
        return app.send("POST", "/api/v1/auth/login-links/redeem", null, Json.write(Map.of("token", token)));
    }

    private static List<String> mailsTo(String email) {
        Path outbox = Path.of(app.properties().get("atelier.data-dir").toString(), "outbox");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().contains(email)).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String linkToken(String mail) {
        Matcher m = LINK.matcher(mail);
        assertThat(m.find()).as(mail).isTrue();
        return m.group(1);
    }

    // --- asking for a link -----------------------------------------------------------------

    @Test
    void request_shouldMailASingleUseLinkToThePortal_whenTheUserExists() {
        String email = unique("linked") + "@example.com";
        newUser(email);

        HttpResponse<String> response = requestLink(email.toUpperCase());

        assertThat(response.statusCode()).isEqualTo(202);
        List<String> mails = mailsTo(email);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0)).contains("To: " + email).contains("15 minutes");
        assertThat(linkToken(mails.get(0))).hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void request_shouldLinkToThePortalAddressTheDeploymentRecorded() {
        // GIVEN a deployment that recorded its CloudFront address
        BootstrapAdmin bootstrap = app.context().getBean(BootstrapAdmin.class);
        bootstrap.rememberPortalUrl("https://d111.cloudfront.net/");
        try {
            String email = unique("deployed") + "@example.com";
            newUser(email);
            // WHEN a link is asked for THEN it points there
            requestLink(email);
            assertThat(mailsTo(email)).singleElement().asString()
                    .contains("https://d111.cloudfront.net" + LoginLinkService.PORTAL_PATH);
        } finally {
            app.context().getBean(DynamoDbClient.class).deleteItem(r -> r.tableName(app.tableName()).key(Map.of(
                    "PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SITE"),
                    "SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("PORTAL"))));
        }
    }

    @Test
    void request_shouldAnswer202AndMailNothing_whenNoUserHasTheAddress() {
        String email = unique("nobody") + "@example.com";
        int before = app.itemCount();

        HttpResponse<String> response = requestLink(email);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(mailsTo(email)).isEmpty();
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void request_shouldNeedNoToken_andIgnoreAnInvalidOne() {
        String email = unique("anon") + "@example.com";
        newUser(email);
        HttpResponse<String> response = app.send("POST", "/api/v1/auth/login-links", null,
                Json.write(Map.of("email", email)), "Authorization", "Bearer not-a-valid-token-at-all");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(mailsTo(email)).hasSize(1);
    }

    @Test
    void request_shouldMailAtMostFiveLinksAnHour_perAddress() {
        String email = unique("eager") + "@example.com";
        newUser(email);
        for (int i = 0; i < LoginLinkService.MAX_PER_HOUR + 2; i++) {
            assertThat(requestLink(email).statusCode()).isEqualTo(202);
        }
        assertThat(mailsTo(email)).hasSize(LoginLinkService.MAX_PER_HOUR);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{'|body",
            "'{}'|email",
            "'{\"email\": 3}'|email",
            "'{\"email\": \"no-at-sign\"}'|email",
            "'{\"email\": \"a@example.com\", \"next\": \"/x\"}'|next",
    })
    void request_shouldAnswer400NamingTheField(String body, String field) {
        assertInvalidField(app.send("POST", "/api/v1/auth/login-links", null, body), field);
    }

    // --- redeeming -------------------------------------------------------------------------

    @Test
    void redeem_shouldAnswerASessionTokenOfTheUser_valid12Hours() {
        String email = unique("redeemer") + "@example.com";
        String id = newUser(email);
        requestLink(email);

        HttpResponse<String> response = redeem(linkToken(mailsTo(email).get(0)));

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> session = Json.object(response.body());
        assertThat(session).containsOnlyKeys("token", "expiresAt");
        assertThat(Instant.parse(session.get("expiresAt").toString()))
                .isBetween(Instant.now().plus(Duration.ofHours(12)).minusSeconds(60), Instant.now().plus(Duration.ofHours(12)));
        Map<String, Object> me = Json.object(app.send("GET", "/api/v1/me", session.get("token").toString(), null).body());
        assertThat(me).containsEntry("id", id).containsEntry("email", email);
    }

    @Test
    void redeem_shouldAnswer410_theSecondTime() {
        String email = unique("twice") + "@example.com";
        newUser(email);
        requestLink(email);
        String token = linkToken(mailsTo(email).get(0));
        assertThat(redeem(token).statusCode()).isEqualTo(200);

        HttpResponse<String> again = redeem(token);

        assertProblem(again, 410);
        assertThat(Json.object(again.body()).get("type").toString()).endsWith("/gone");
    }

    @Test
    void redeem_shouldAnswer410AndIssueNothing_whenTheLinkHasExpired() {
        // GIVEN a link stored 16 minutes ago (the engine never expires items by TTL)
        String token = "expired-" + UUID.randomUUID();
        Instant issued = Instant.now().minus(Duration.ofMinutes(16));
        app.context().getBean(DynamoDbEnhancedClient.class).table(app.tableName(), LoginLinkItem.SCHEMA)
                .putItem(new LoginLinkItem(TokenSecrets.hash(token), BootstrapAdmin.USER_ID, BootstrapAdmin.EMAIL, true,
                        issued.toString(), issued.plus(LoginLinkService.LIFETIME).toString(),
                        issued.plus(LoginLinkService.LIFETIME).getEpochSecond()));
        int before = app.itemCount();

        assertProblem(redeem(token), 410);
        assertThat(app.itemCount()).isEqualTo(before - 1); // the dead link went, no token came
    }

    @Test
    void redeem_shouldAnswer410_forATokenThatWasNeverALink() {
        assertProblem(redeem("never-issued-" + UUID.randomUUID()), 410);
    }

    @Test
    void redeem_shouldLetExactlyOneOfTwentyConcurrentRedeemersIn() throws Exception {
        String email = unique("race") + "@example.com";
        newUser(email);
        requestLink(email);
        String token = linkToken(mailsTo(email).get(0));
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(() -> redeem(token).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 410).hasSize(19);
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "'{}'|token",
            "'{\"token\": 12}'|token",
            "'{\"token\": \"\"}'|token",
    })
    void redeem_shouldAnswer400NamingTheField(String body, String field) {
        assertInvalidField(app.send("POST", "/api/v1/auth/login-links/redeem", null, body), field);
    }

    @Test
    void storedLinks_shouldHoldOnlyTheHashOfTheirToken() {
        String email = unique("hashed") + "@example.com";
        newUser(email);
        requestLink(email);
        String token = linkToken(mailsTo(email).get(0));
        String stored = app.context().getBean(DynamoDbClient.class).scan(r -> r.tableName(app.tableName())).items().toString();
        assertThat(stored).doesNotContain(token).contains(TokenSecrets.hash(token));
    }

    // --- the rest of the API stays closed ----------------------------------------------------

    @Test
    void onlyTheAuthRoutes_shouldBePublic() {
        assertProblem(app.send("GET", "/api/v1/me", null, null), 401);
        assertProblem(app.send("GET", "/api/v1/auth", null, null), 401);
        assertProblem(app.send("GET", "/api/v1/authx/anything", null, null), 401);
        assertProblem(app.send("GET", "/api/v1/auth/../me", null, null), 401);
    }

    // --- request budget --------------------------------------------------------------------

    @Test
    void everyRoute_shouldStayWithinItsDynamoDbRequestBudget() {
        String email = unique("budget") + "@example.com";
        newUser(email);
        var known = DynamoDbRequests.during(app, () -> requestLink(email));
        assertThat(known.result().statusCode()).isEqualTo(202);
        assertThat(known.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "TransactWriteItems", 1L));

        var unknown = DynamoDbRequests.during(app, () -> requestLink(unique("nobody") + "@example.com"));
        assertThat(unknown.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L));

        String token = linkToken(mailsTo(email).get(0));
        var redeem = DynamoDbRequests.during(app, () -> redeem(token));
        assertThat(redeem.result().statusCode()).isEqualTo(200);
        assertThat(redeem.byOperation()).isEqualTo(Map.of("DeleteItem", 1L, "TransactWriteItems", 1L));
    }
}
