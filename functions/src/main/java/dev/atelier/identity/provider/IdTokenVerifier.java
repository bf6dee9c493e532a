package dev.atelier.identity.provider;

import io.micronaut.context.annotation.Requires;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atelier.config.AtelierConfig;
import dev.atelier.web.ApiException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Verifies the identity provider's id tokens (RS256 JWTs) and says which Atelier user they
 * are: signature against the pool's published keys, then {@code iss} (the pool), {@code aud}
 * (Atelier's app client), {@code token_use = id} and {@code exp}. The keys are fetched once and
 * kept; a token signed with an unknown key id fetches them again, at most once a minute.
 */
@Singleton
@Requires(classes = SignedJWT.class)
public class IdTokenVerifier {

    /** The user attribute, set when Atelier creates the user, naming the Atelier user. */
    public static final String USER_ID_CLAIM = "custom:atelier_user_id";
    static final Duration REFETCH_AT_MOST_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(IdTokenVerifier.class);
    private static final int TIMEOUT_MILLIS = 5000;
    private static final int SIZE_LIMIT = 64 * 1024;

    private final UserPool pool;
    private final AtelierConfig config;
    private final Clock clock;
    private volatile KeyCache keys;

    private record KeyCache(String url, JWKSet set, Instant fetchedAt) { }

    public IdTokenVerifier(UserPool pool, AtelierConfig config, Clock clock) {
        this.pool = pool;
        this.config = config;
        this.clock = clock;
    }

    /** Whether a bearer value has the shape of a JWT rather than of an Atelier token. */
    public static boolean looksLikeJwt(String bearer) {
        return bearer.startsWith("eyJ") && bearer.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * @return the Atelier user id the token names
     * @throws ApiException 401 when the token is malformed, not signed by the pool, meant for
     *                      another client or use, expired, or names no Atelier user
     */
    public String verify(String jwt) {
        UserPool.Coordinates coordinates = pool.current()
                .orElseThrow(() -> ApiException.unauthorized("Sign-in through an identity provider is not set up"));
        SignedJWT token;
        JWTClaimsSet claims;
        try {
            token = SignedJWT.parse(jwt);
            claims = token.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid();
        }
        if (!JWSAlgorithm.RS256.equals(token.getHeader().getAlgorithm()) || token.getHeader().getKeyID() == null) {
            throw invalid();
        }
        RSAKey key = key(coordinates, token.getHeader().getKeyID());
        try {
            if (key == null || !token.verify(new RSASSAVerifier(key))) {
                throw invalid();
            }
        } catch (JOSEException e) {
            throw invalid();
        }
        Date expires = claims.getExpirationTime();
        if (!coordinates.issuer().equals(claims.getIssuer())
                || claims.getAudience() == null || !claims.getAudience().contains(coordinates.clientId())
                || !"id".equals(claim(claims, "token_use"))
                || expires == null) {
            throw invalid();
        }
        if (!clock.instant().isBefore(expires.toInstant())) {
            throw ApiException.unauthorized("The token has expired");
        }
        String userId = claim(claims, USER_ID_CLAIM);
        if (userId == null || userId.isBlank()) {
            throw ApiException.unauthorized("The identity provider's user is not an Atelier user");
        }
        return userId;
    }

    private RSAKey key(UserPool.Coordinates coordinates, String keyId) {
        String url = jwksUrl(coordinates);
        KeyCache cached = keys;
        if (cached == null || !cached.url().equals(url)
                || (cached.set().getKeyByKeyId(keyId) == null
                    && cached.fetchedAt().plus(REFETCH_AT_MOST_EVERY).isBefore(clock.instant()))) {
            cached = fetch(url, cached);
        }
        JWK jwk = cached == null ? null : cached.set().getKeyByKeyId(keyId);
        return jwk instanceof RSAKey rsa ? rsa : null;
    }

    private synchronized KeyCache fetch(String url, KeyCache seen) {
        if (keys != seen) {
            return keys; // another request fetched them meanwhile
        }
        try {
            keys = new KeyCache(url, JWKSet.load(new URL(url), TIMEOUT_MILLIS, TIMEOUT_MILLIS, SIZE_LIMIT), clock.instant());
        } catch (IOException | ParseException e) {
            LOG.warn("Cannot fetch the identity provider's keys from {}: {}", url, e.toString());
            // Keep the keys we had (if any); try again no sooner than a minute from now.
            keys = new KeyCache(url, seen != null && seen.url().equals(url) ? seen.set() : new JWKSet(),
                    clock.instant());
        }
        return keys;
    }

    private String jwksUrl(UserPool.Coordinates coordinates) {
        String base = config.localEndpoint()
                ? stripSlash(config.endpointUrl()) + "/" + coordinates.userPoolId()
                : coordinates.issuer();
        return base + "/.well-known/jwks.json";
    }

    private static String claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static ApiException invalid() {
        return ApiException.unauthorized("The token is not valid");
    }
}
