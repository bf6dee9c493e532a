package dev.atelier.identity.provider;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.config.AtelierConfig;
import dev.atelier.web.ApiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the verifier keeps the pool's keys: fetched once, fetched again for a new key at most once a minute. */
class IdTokenVerifierTest {

    private static final String POOL = "us-east-1_TestPool";
    private static final String CLIENT = "test-client";

    private HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private IdTokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/" + POOL + "/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList())
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        AtelierConfig config = new AtelierConfig("t", "b", "k", "m@example.com",
                "http://127.0.0.1:" + server.getAddress().getPort(), null, null, null, null);
        UserPool pool = new UserPool(new CognitoConfig(POOL, CLIENT, "us-east-1"));
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now; }
        };
        verifier = new IdTokenVerifier(pool, config, clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String token(RSAKey key, String userId) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("https://cognito-idp.us-east-1.amazonaws.com/" + POOL)
                        .audience(CLIENT).claim("token_use", "id").claim(IdTokenVerifier.USER_ID_CLAIM, userId)
                        .expirationTime(Date.from(now.plusSeconds(3600))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void verify_shouldFetchTheKeysOnce_forManyTokens() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        published.add(key);
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(token(key, "user-" + i))).isEqualTo("user-" + i);
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void verify_shouldFetchAgainForAnUnknownKey_atMostOnceAMinute() throws Exception {
        // GIVEN keys fetched for k1, then the pool rotates to k2
        RSAKey k1 = new RSAKeyGenerator(2048).keyID("k1").generate();
        published.add(k1);
        verifier.verify(token(k1, "u"));
        RSAKey k2 = new RSAKeyGenerator(2048).keyID("k2").generate();
        published.add(k2);

        // WHEN a k2 token comes within the minute THEN it is refused without fetching again
        now = now.plusSeconds(30);
        assertThatThrownBy(() -> verifier.verify(token(k2, "u"))).isInstanceOf(ApiException.class);
        assertThat(fetches).hasValue(1);

        // WHEN it comes after the minute THEN the keys are fetched again and it is accepted
        now = now.plus(IdTokenVerifier.REFETCH_AT_MOST_EVERY);
        assertThat(verifier.verify(token(k2, "u"))).isEqualTo("u");
        assertThat(fetches).hasValue(2);

        // AND tokens with a key nobody publishes do not make it fetch on every request
        RSAKey rogue = new RSAKeyGenerator(2048).keyID("rogue").generate();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> verifier.verify(token(rogue, "u"))).isInstanceOf(ApiException.class);
        }
        assertThat(fetches).hasValue(2);
    }

    @Test
    void verify_shouldRefuseAnExpiredToken() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        published.add(key);
        String token = token(key, "u");
        now = now.plus(Duration.ofHours(1));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(ApiException.class).hasMessageContaining("expired");
    }
}
