package dev.atelier.identity;

import dev.atelier.web.Throttling;
import dev.atelier.config.PortalAddress;
import dev.atelier.mail.Mail;
import dev.atelier.web.ApiException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Direct sign-in links: asked for by email address, mailed to that address, valid
 * {@link #LIFETIME}, good for one {@link TokenService#SESSION_LIFETIME} session token. Asking
 * never tells whether the address belongs to a user; each address gets at most
 * {@link #MAX_PER_HOUR} links an hour. Links are stored only as the SHA-256 of their token.
 */
@Singleton
public class LoginLinkService {

    public static final Duration LIFETIME = Duration.ofMinutes(15);
    public static final int MAX_PER_HOUR = 5;
    /** Where the portal takes a link's token from (the fragment never reaches a server log). */
    public static final String PORTAL_PATH = "/sign-in/link/#";

    private static final Logger LOG = LoggerFactory.getLogger(LoginLinkService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LoginLinkStore store;
    private final TokenService tokens;
    private final Mail mail;
    private final PortalAddress portalAddress;
    private final Clock clock;

    public LoginLinkService(LoginLinkStore store, TokenService tokens, Mail mail,
                            PortalAddress portalAddress, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.mail = mail;
        this.portalAddress = portalAddress;
        this.clock = clock;
    }

    /** Mails a sign-in link when the (normalised) address is a user's; otherwise does nothing, alike. */
    public void request(String email) {
        LoginLinkStore.Recipient recipient = store.recipient(email);
        Optional<UserEmailItem> user = recipient.user();
        if (user.isEmpty()) {
            return;
        }
        // The address the deployment recorded wins: in AWS, ATELIER_PORTAL_URL cannot name the
        // distribution (docs/identity.md); locally there is none and PortalAddress decides.
        String portal = recipient.portalUrl().map(LoginLinkService::withoutSlash).orElseGet(portalAddress::url);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(LIFETIME);
        String token = newToken();
        LoginLinkItem link = new LoginLinkItem(TokenSecrets.hash(token), user.get().userId(), email,
                user.get().siteAdmin(), now.toString(), expires.toString(), expires.getEpochSecond());
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        if (!store.create(link, hour.toString().substring(0, 13), hour.plus(Duration.ofHours(2)).getEpochSecond(),
                MAX_PER_HOUR)) {
            LOG.info("Sign-in link not sent: the address had {} links this hour", MAX_PER_HOUR);
            return;
        }
        try {
            mail.send(new Mail.Message(email, "Your Atelier sign-in link",
                    "Hello " + user.get().displayName() + ",\n\n"
                            + "Open this link to sign in to Atelier. It works once, for 15 minutes:\n\n"
                            + portal + PORTAL_PATH + token + "\n\n"
                            + "If you did not ask to sign in, ignore this message.\n"));
        } catch (Mail.MailException e) {
            // Answered like every other request: a failure only for users would tell who has an account.
            LOG.error("The mail service refused a sign-in link for user {}", user.get().userId(), e);
        }
    }

    /**
     * Turns a link's token into a session token; the link is gone afterwards.
     *
     * @throws ApiException 410 when the link was used already, has expired, or never existed; when
     *                      AWS throttles the session's writes the link is put back (503, web/Throttling)
     */
    public TokenService.IssuedToken redeem(String token) {
        LoginLinkItem link = store.take(TokenSecrets.hash(token))
                .orElseThrow(LoginLinkService::gone);
        if (!clock.instant().isBefore(Instant.parse(link.expiresAt()))) {
            throw gone();
        }
        try {
            return tokens.issueSession(link.userId(), link.email(), link.siteAdmin());
        } catch (RuntimeException e) {
            if (Throttling.isThrottling(e)) {
                // AWS wrote no session: the link goes back, so the 503 changes nothing and it still works.
                store.restore(link);
            }
            throw e;
        }
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static ApiException gone() {
        return new ApiException(410, "gone", "Gone", "This sign-in link was used already or has expired; ask for a new one",
                List.of());
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
