package dev.atelier.identity;

import dev.atelier.web.ApiException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/** Turns an Authorization header into the request's {@link Caller}, or refuses it. */
@Singleton
public class Authenticator {

    private static final String BEARER = "Bearer ";

    private final TokenStore tokens;
    private final Clock clock;

    public Authenticator(TokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * @throws ApiException 401 when the header is missing, malformed, or names no valid token
     *                      (unknown, expired); the detail never repeats the presented value
     */
    public Caller authenticate(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("An Authorization: Bearer <token> header is required");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("The Authorization header must use the Bearer scheme");
        }
        String secret = authorization.substring(BEARER.length()).trim();
        if (!TokenSecrets.plausible(secret)) {
            throw ApiException.unauthorized("The token is not valid");
        }
        Optional<TokenItem> token = tokens.findBySecretHash(TokenSecrets.hash(secret));
        if (token.isEmpty()) {
            throw ApiException.unauthorized("The token is not valid");
        }
        if (token.get().expiredAt(clock.instant())) {
            throw ApiException.unauthorized("The token has expired");
        }
        return new Caller(token.get().userId(), token.get().email(), token.get().siteAdmin(), token.get().tokenId());
    }
}
