package dev.atelier.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atelier.identity.provider.IdTokenVerifier;
import dev.atelier.identity.provider.UserPool;
import dev.atelier.testing.DynamoDbRequests;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static dev.atelier.testing.Workspaces.unique;
import static dev.atelier.testing.ApiAssertions.assertInvalidField;
import static dev.atelier.testing.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in through the identity provider (the local engine's Cognito user pool): real
 * InitiateAuth, real id tokens, verified against the pool's published keys.
 */
class IdentityProviderApiTest {

    private static final String PASSWORD = "Correct-Horse-42";

    private static RunningApp app;
    private static String admin;
    private static CognitoIdentityProviderClient cognito;
    private static UserPool.Coordinates pool;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
        admin = app.bootstrapToken();
        cognito = app.context().getBean(CognitoIdentityProviderClient.class);
        pool = app.context().getBean(UserPool.class).current().orElseThrow();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A user created through the API (so also in the pool), with a permanent password. */
    private static String newUser(String email, boolean permanentPassword) {
        HttpResponse<String> created = app.send("POST", "/api/v1/users", admin,
                Json.write(Map.of("email", email, "displayName", "Signs In")));
        assertThat(created.statusCode()).isEqualTo(201);
        cognito.adminSetUserPassword(r -> r.userPoolId(pool.userPoolId()).username(email).password(PASSWORD)
                .permanent(permanentPassword));
        return Json.object(created.body()).get("id").toString();
    }

    private static HttpResponse<String> signIn(String username, String password) {
        return app.send("POST", "/api/v1/auth/sign-in", null, Json.write(Map.of("username", username, "password", password)));
    }

    private static String idToken(String email) {
        HttpResponse<String> response = signIn(email, PASSWORD);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.object(response.body()).get("idToken").toString();
    }

    // --- users in the pool -----------------------------------------------------------------

    @Test
    void createUser_shouldAlsoCreateThePoolsUser_namingTheAtelierUser() {
        String email = unique("pooled") + "@example.com";
        HttpResponse<String> created = app.send("POST", "/api/v1/users", admin,
                Json.write(Map.of("email", email, "displayName", "Pooled")));
        String id = Json.object(created.body()).get("id").toString();

        Map<String, String> attributes = cognito.adminGetUser(r -> r.userPoolId(pool.userPoolId()).username(email))
                .userAttributes().stream().collect(Collectors.toMap(AttributeType::name, AttributeType::value));

        assertThat(attributes).containsEntry("email", email).containsEntry("email_verified", "true")
                .containsEntry(IdTokenVerifier.USER_ID_CLAIM, id);
    }

    // --- signing in ------------------------------------------------------------------------

    @Test
    void signIn_shouldAnswerAnIdToken_thatSignsTheUserIn() {
        String email = unique("signer") + "@example.com";
        String id = newUser(email, true);

        HttpResponse<String> response = signIn(email, PASSWORD);

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = Json.object(response.body());
        assertThat(body).containsOnlyKeys("idToken", "expiresAt");
        assertThat(Instant.parse(body.get("expiresAt").toString())).isAfter(Instant.now());
        var me = DynamoDbRequests.during(app, () -> app.send("GET", "/api/v1/me", body.get("idToken").toString(), null));
        assertThat(me.result().statusCode()).isEqualTo(200);
        assertThat(Json.object(me.result().body())).containsEntry("id", id).containsEntry("email", email)
                .containsEntry("siteAdmin", false);
        assertThat(me.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L, "Query", 1L));
    }

    @Test
    void idToken_shouldWorkInsideWorkspaces_andKeepSiteAdministrationForAdministratorsOnly() {
        String email = unique("member") + "@example.com";
        newUser(email, true);
        String token = idToken(email);
        String slug = unique("idp-team");

        assertThat(app.send("POST", "/api/v1/workspaces", token, Json.write(Map.of("name", "IdP", "slug", slug)))
                .statusCode()).isEqualTo(201);
        var read = DynamoDbRequests.during(app, () -> app.send("GET", "/api/v1/workspaces/" + slug, token, null));
        assertThat(read.result().statusCode()).isEqualTo(200);
        assertThat(Json.object(read.result().body())).containsEntry("role", "owner");
        assertThat(read.byOperation()).isEqualTo(Map.of("BatchGetItem", 1L));
        assertProblem(app.send("GET", "/api/v1/users", token, null), 403);
    }

    @Test
    void signIn_withATemporaryPassword_shouldAskForANewOne_thenSignIn() {
        String email = unique("first-time") + "@example.com";
        String id = newUser(email, false);

        HttpResponse<String> first = signIn(email, PASSWORD);

        assertProblem(first, 409);
        Map<String, Object> problem = Json.object(first.body());
        assertThat(problem.get("type").toString()).endsWith("new-password-required");
        String session = problem.get("session").toString();
        HttpResponse<String> completed = app.send("POST", "/api/v1/auth/sign-in/new-password", null,
                Json.write(Map.of("username", email, "session", session, "newPassword", "Another-Secret-77")));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        String token = Json.object(completed.body()).get("idToken").toString();
        assertThat(Json.object(app.send("GET", "/api/v1/me", token, null).body())).containsEntry("id", id);
        assertThat(signIn(email, "Another-Secret-77").statusCode()).isEqualTo(200);
    }

    @Test
    void signIn_shouldAnswer401_forAWrongPasswordOrAnUnknownUser_alike() {
        String email = unique("wrong") + "@example.com";
        newUser(email, true);
        HttpResponse<String> wrongPassword = signIn(email, "Not-The-Password-1");
        HttpResponse<String> unknownUser = signIn(unique("ghost") + "@example.com", PASSWORD);
        assertProblem(wrongPassword, 401);
        assertProblem(unknownUser, 401);
        assertThat(Json.object(wrongPassword.body()).get("detail")).isEqualTo(Json.object(unknownUser.body()).get("detail"));
    }

    @Test
    void newPassword_shouldAnswer401_forAnInvalidSession() {
        String email = unique("session") + "@example.com";
        newUser(email, false);
        assertProblem(app.send("POST", "/api/v1/auth/sign-in/new-password", null,
                Json.write(Map.of("username", email, "session", "forged", "newPassword", "Another-Secret-77"))), 401);
    }

    @ParameterizedTest(name = "{0} {1} -> field {2}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/auth/sign-in|''|body",
            "/api/v1/auth/sign-in|'{\"username\": \"a@example.com\"}'|password",
            "/api/v1/auth/sign-in|'{\"password\": \"x\"}'|username",
            "/api/v1/auth/sign-in|'{\"username\": 1, \"password\": \"x\"}'|username",
            "/api/v1/auth/sign-in|'{\"username\": \"a\", \"password\": \"x\", \"mfa\": 1}'|mfa",
            "/api/v1/auth/sign-in/new-password|'{\"username\": \"a\", \"newPassword\": \"x\"}'|session",
            "/api/v1/auth/sign-in/new-password|'{\"username\": \"a\", \"session\": \"s\"}'|newPassword",
    })
    void signIn_shouldAnswer400NamingTheField(String path, String body, String field) {
        assertInvalidField(app.send("POST", path, null, body), field);
    }

    // --- id tokens that must not sign anyone in --------------------------------------------

    /** The engine signs every pool's tokens with one published key: forge with it to test the claims. */
    private static RSAKey engineKey() throws Exception {
        Path key;
        try (Stream<Path> found = Files.find(Path.of("..", ".venv").toAbsolutePath().normalize(), 8,
                (p, a) -> p.endsWith(Path.of("cognitoidp", "resources", "jwks-private.json.gz")))) {
            key = found.findFirst().orElseThrow();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(key))) {
            return RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static JWTClaimsSet.Builder validClaims(String userId) {
        return new JWTClaimsSet.Builder()
                .issuer(pool.issuer())
                .audience(pool.clientId())
                .subject(UUID.randomUUID().toString())
                .claim("token_use", "id")
                .claim(IdTokenVerifier.USER_ID_CLAIM, userId)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("dummy").type(JOSEObjectType.JWT)
                .build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String forged(String userId, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder claims = validClaims(userId);
        change.accept(claims);
        return sign(engineKey(), claims.build());
    }

    @Test
    void forgedTokens_shouldSignIn_onlyWhenEveryClaimIsRight() throws Exception {
        String email = unique("claims") + "@example.com";
        String id = newUser(email, true);

        // the control: signed by the pool's key with every claim right
        assertThat(app.send("GET", "/api/v1/me", forged(id, c -> { }), null).statusCode()).isEqualTo(200);

        assertProblem(app.send("GET", "/api/v1/me", forged(id, c -> c.issuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other")), null), 401);
        assertProblem(app.send("GET", "/api/v1/me", forged(id, c -> c.audience("another-client")), null), 401);
        assertProblem(app.send("GET", "/api/v1/me", forged(id, c -> c.claim("token_use", "access")), null), 401);
        assertProblem(app.send("GET", "/api/v1/me", forged(id, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(5)))), null), 401);
        assertProblem(app.send("GET", "/api/v1/me", forged(id, c -> c.expirationTime(null)), null), 401);
        assertProblem(app.send("GET", "/api/v1/me", forged(id, c -> c.claim(IdTokenVerifier.USER_ID_CLAIM, null)), null), 401);
        assertProblem(app.send("GET", "/api/v1/me", forged(UUID.randomUUID().toString(), c -> { }), null), 401);
    }

    @Test
    void anIdToken_withAlteredClaims_shouldBeRefused() {
        // GIVEN a real id token of a plain user, its payload changed to name the administrator
        String email = unique("tamper") + "@example.com";
        newUser(email, true);
        String[] parts = idToken(email).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String altered = payload.replaceAll("\"custom:atelier_user_id\":\\s*\"[^\"]+\"",
                "\"custom:atelier_user_id\": \"" + BootstrapAdmin.USER_ID + "\"");
        assertThat(altered).isNotEqualTo(payload);
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(altered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        // WHEN it is presented THEN 401
        assertProblem(app.send("GET", "/api/v1/me", tampered, null), 401);
        assertProblem(app.send("GET", "/api/v1/users", tampered, null), 401);
    }

    @Test
    void anIdToken_signedWithAnotherKey_shouldBeRefused() throws Exception {
        String email = unique("resigned") + "@example.com";
        String id = newUser(email, true);
        RSAKey ours = new RSAKeyGenerator(2048).keyID("dummy").generate();
        assertProblem(app.send("GET", "/api/v1/me", sign(ours, validClaims(id).build()), null), 401);
        RSAKey unknownKid = new RSAKeyGenerator(2048).keyID("unknown-key").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-key").build(),
                validClaims(id).build());
        jwt.sign(new RSASSASigner(unknownKid));
        assertProblem(app.send("GET", "/api/v1/me", jwt.serialize(), null), 401);
    }

    @Test
    void anIdToken_withAnotherAlgorithm_shouldBeRefused() throws Exception {
        String email = unique("hmac") + "@example.com";
        String id = newUser(email, true);
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("dummy").build(),
                validClaims(id).build());
        hmac.sign(new MACSigner(new byte[32]));
        assertProblem(app.send("GET", "/api/v1/me", hmac.serialize(), null), 401);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + hmac.serialize().split("\\.")[1] + ".";
        assertProblem(app.send("GET", "/api/v1/me", none, null), 401);
        assertProblem(app.send("GET", "/api/v1/me", "eyJhbGciOi.not-a.jwt", null), 401);
    }
}
