package dev.atelier.identity;

import dev.atelier.audit.AuditLog;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.identity.provider.CognitoIdentityProvider;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.store.Keys;
import dev.atelier.web.ApiException;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/** The site's users: only site administrators create and list them. */
@Singleton
public class UserService {

    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);

    private final UserStore store;
    private final Idempotency idempotency;
    private final AuditLog audit;
    private final CognitoIdentityProvider identityProvider;
    private final Clock clock;

    public UserService(UserStore store, Idempotency idempotency, AuditLog audit,
                       CognitoIdentityProvider identityProvider, Clock clock) {
        this.store = store;
        this.idempotency = idempotency;
        this.audit = audit;
        this.identityProvider = identityProvider;
        this.clock = clock;
    }

    /** A created user as answered. */
    @Serdeable
    public record CreatedUser(String id, String email, String displayName) { }

    /** A user as the directory lists them. */
    @Serdeable
    public record ListedUser(String id, String email, String displayName, boolean siteAdmin, String createdAt) { }

    /**
     * Creates a user (not a site administrator) and, when an identity provider is set up, their
     * account there.
     *
     * @throws ApiException 403 unless the caller administers the site; 409 when the email is
     *                      taken; 422 when the Idempotency-Key was used for another request
     */
    public CreatedUser create(Caller caller, IdentityRequests.NewUser request, @Nullable String idempotencyKey) {
        requireSiteAdmin(caller);
        Optional<Idempotency.Request> replayable = idempotency.request(caller.userId(), idempotencyKey,
                "user.create", request.email(), request.displayName());
        if (replayable.isPresent()) {
            Optional<CreatedUser> earlier = idempotency.replay(replayable.get(), CreatedUser.class);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        String now = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        UserItem user = new UserItem(UUID.randomUUID().toString(), request.email(), request.displayName(), false, now);
        CreatedUser created = new CreatedUser(user.id(), user.email(), user.displayName());
        try {
            store.create(user, audit.entry(Keys.SITE_AUDIT, caller.userId(), "user.create", "user:" + user.id(),
                            null, created),
                    replayable.map(r -> idempotency.remember(r, created, location(user.id()))).orElse(null));
        } catch (WriteRefusedException e) {
            if (e.by(Idempotency.Refused.KEY_USED)) {
                return idempotency.replay(replayable.orElseThrow(), CreatedUser.class)
                        .orElseThrow(() -> ApiException.conflict(null, "A request with this Idempotency-Key is in progress"));
            }
            throw ApiException.conflict("email", "A user with this email already exists");
        }
        try {
            identityProvider.createUser(user.email(), user.id());
        } catch (RuntimeException e) {
            // The Atelier user exists and can sign in with tokens and links; the identity
            // provider account can be made later (docs/identity.md).
            LOG.error("The identity provider refused to create the account of user {}", user.id(), e);
        }
        return created;
    }

    /**
     * A page of the site's users, ordered by email.
     *
     * @throws ApiException 403 unless the caller administers the site
     */
    public Page<ListedUser> list(Caller caller, int limit, @Nullable String cursor) {
        requireSiteAdmin(caller);
        Page<UserEmailItem> page = store.list(limit, cursor);
        return new Page<>(page.items().stream().map(e -> new ListedUser(e.userId(), e.email(), e.displayName(),
                e.siteAdmin(), e.createdAt())).toList(), page.nextCursor());
    }

    /** @throws ApiException 403 unless the caller administers the site */
    static void requireSiteAdmin(Caller caller) {
        if (!caller.siteAdmin()) {
            throw ApiException.forbidden("Only a site administrator may do this");
        }
    }

    static String location(String userId) {
        return "/api/v1/users/" + userId;
    }
}
