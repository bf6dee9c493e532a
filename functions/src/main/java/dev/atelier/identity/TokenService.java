package dev.atelier.identity;

import dev.atelier.audit.AuditLog;
import dev.atelier.store.Keys;
import dev.atelier.web.ApiException;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Access tokens: issued to oneself, or by a site administrator to any user; listed without
 * their secrets; revoked by their owner. A token carries its user's email and site
 * administration flag, so authentication needs nothing but the token.
 */
@Singleton
public class TokenService {

    /** How long a session token from a sign-in link lasts. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);

    private final TokenStore store;
    private final UserStore users;
    private final AuditLog audit;
    private final Clock clock;

    public TokenService(TokenStore store, UserStore users, AuditLog audit, Clock clock) {
        this.store = store;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new token; {@code token} (the secret) is shown only in this answer. */
    @Serdeable
    public record IssuedToken(String id, String name, String token, String expiresAt) { }

    /** A token as listed: never its secret. */
    @Serdeable
    public record ListedToken(String id, String name, String createdAt, String expiresAt) { }

    /** Issues the caller a token of their own. */
    public IssuedToken issueOwn(Caller caller, IdentityRequests.NewToken request) {
        return issue(caller.userId(), caller.email(), caller.siteAdmin(), request.name(),
                Duration.ofDays(request.expiresInDays()), null);
    }

    /**
     * A site administrator issues a token to a user.
     *
     * @throws ApiException 403 unless the caller administers the site; 404 when the user does not exist
     */
    public IssuedToken issueTo(Caller caller, String userId, IdentityRequests.NewToken request) {
        UserService.requireSiteAdmin(caller);
        UserItem user = users.find(userId).orElseThrow(() -> ApiException.notFound("No user '" + userId + "'"));
        return issue(user.id(), user.email(), user.siteAdmin(), request.name(), Duration.ofDays(request.expiresInDays()),
                caller.userId());
    }

    /** A session token for a user who proved who they are another way (a sign-in link). */
    public IssuedToken issueSession(String userId, String email, boolean siteAdmin) {
        return issue(userId, email, siteAdmin, "Sign-in link session", SESSION_LIFETIME, null);
    }

    /** The caller's tokens, a page at a time. */
    public Page<ListedToken> list(Caller caller, int limit, @Nullable String cursor) {
        Page<UserTokenItem> page = store.listOfUser(caller.userId(), limit, cursor);
        Instant now = clock.instant();
        return new Page<>(page.items().stream()
                // Expired entries wait for TTL to remove them; they are no longer tokens.
                .filter(t -> now.isBefore(Instant.parse(t.expiresAt())))
                .map(t -> new ListedToken(t.tokenId(), t.name(), t.createdAt(), t.expiresAt())).toList(),
                page.nextCursor());
    }

    /**
     * Revokes one of the caller's tokens: it answers 401 from the next request on.
     *
     * @throws ApiException 404 when the caller has no token with this id
     */
    public void revoke(Caller caller, String tokenId) {
        UserTokenItem entry = store.findOfUser(caller.userId(), tokenId)
                .orElseThrow(() -> ApiException.notFound("No token '" + tokenId + "' among yours"));
        if (!store.delete(entry)) {
            throw ApiException.notFound("No token '" + tokenId + "' among yours");
        }
    }

    private IssuedToken issue(String userId, String email, boolean siteAdmin, String name, Duration lifetime,
                              @Nullable String issuedBy) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(lifetime);
        String secret = TokenSecrets.newSecret(userId);
        TokenItem token = new TokenItem(TokenSecrets.hash(secret), UUID.randomUUID().toString(), userId, email, name,
                siteAdmin, now.toString(), expires.toString(), expires.getEpochSecond());
        ListedToken described = new ListedToken(token.tokenId(), name, token.createdAt(), token.expiresAt());
        store.create(token, issuedBy == null ? null
                : audit.entry(Keys.SITE_AUDIT, issuedBy, "token.issue", "user:" + userId, null, described));
        return new IssuedToken(token.tokenId(), name, secret, token.expiresAt());
    }
}
