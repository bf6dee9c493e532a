package dev.atelier.member;

import dev.atelier.access.Operation;
import dev.atelier.audit.AuditLog;
import dev.atelier.config.PortalAddress;
import dev.atelier.facts.RequestFacts;
import dev.atelier.identity.Caller;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.mail.Mail;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.ApiException;
import dev.atelier.web.Throttling;
import dev.atelier.web.JsonBody;
import dev.atelier.web.Page;
import dev.atelier.workspace.MemberItem;
import dev.atelier.workspace.WorkspaceItem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Invitations: a member who manages members invites an email address; the mailed link carries a
 * single-use token valid {@link #LIFETIME}; the invitee, signed in with that address, accepts
 * and joins with no permissions. Exactly one accept succeeds, however many race.
 */
@Singleton
public class InvitationService {

    public static final Duration LIFETIME = Duration.ofDays(7);
    /** Invitation tokens start with this, so they are recognisable (and redacted) wherever they appear. */
    public static final String PREFIX = "ati_";

    private static final Logger LOG = LoggerFactory.getLogger(InvitationService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final InvitationStore store;
    private final AuditLog audit;
    private final Mail mail;
    private final JsonMapper json;
    private final Clock clock;
    private final PortalAddress portal;

    public InvitationService(InvitationStore store, AuditLog audit, Mail mail, JsonMapper json, Clock clock,
                             PortalAddress portal) {
        this.store = store;
        this.audit = audit;
        this.mail = mail;
        this.json = json;
        this.clock = clock;
        this.portal = portal;
    }

    /** What an accept answers. */
    @Serdeable
    public record Accepted(String slug, String role) { }

    /**
     * Creates the invitation, then mails the link.
     *
     * @throws ApiException 502 when the mail service refuses the message, 503 when it throttled it beyond the
     *                      SDK's retries (either way the invitation is then withdrawn)
     */
    public InvitationView invite(RequestFacts facts, @Nullable String raw) {
        RequestFacts.Membership membership = facts.require(Operation.MEMBERS_MANAGE);
        JsonBody body = JsonBody.parse(json, raw, Set.of("email"));
        String given = body.requiredString("email");
        String email = null;
        if (given != null) {
            email = EmailAddresses.normalise(given).orElse(null);
            if (email == null) {
                body.reject("email", "is not an email address");
            }
        }
        body.validate();
        String token = newToken(facts.slug());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(LIFETIME);
        InvitationItem item = new InvitationItem(TokenSecrets.hash(token), UUID.randomUUID().toString(), facts.slug(),
                membership.workspace().id(), email, facts.caller().userId(), now.toString(), expires.toString(), InvitationItem.PENDING, null,
                expires.plus(Duration.ofDays(30)).getEpochSecond());
        InvitationView view = InvitationView.of(item);
        store.create(item, audit.entry(facts.slug(), facts.caller().userId(), "invitation.create",
                "invitation:" + item.id(), null, view));
        try {
            mail.send(new Mail.Message(email, "You are invited to " + membership.workspace().name() + " on Atelier",
                    "You have been invited to join the workspace \"" + membership.workspace().name() + "\" on Atelier.\n\n"
                            + "Sign in with this email address (" + email + "), then open this link to accept:\n\n"
                            + portal.url() + "/invitations/#" + token + "\n\n"
                            + "The link works once and expires on " + expires + ".\n"));
        } catch (Mail.MailException e) {
            LOG.warn("Invitation {} to workspace {} could not be mailed; withdrawn", item.id(), facts.slug(), e);
            store.withdraw(item);
            if (Throttling.isThrottling(e)) {
                throw Throttling.busy();
            }
            throw new ApiException(502, "mail-failed", "Mail not sent", "The mail service refused the invitation",
                    List.of());
        }
        return view;
    }

    /** One Query: the workspace's invitations, oldest first (a page may hold fewer than {@code limit}). */
    public Page<InvitationView> list(RequestFacts facts, int limit, @Nullable String cursor) {
        WorkspaceItem workspace = facts.require(Operation.MEMBERS_MANAGE).workspace();
        Page<InvitationItem> page = store.page(facts.slug(), limit, cursor);
        // Invitations of an earlier workspace under this slug are not this one's.
        return new Page<>(page.items().stream().filter(i -> i.invitesTo(workspace)).map(InvitationView::of).toList(),
                page.nextCursor());
    }

    /**
     * Accepts an invitation for the caller.
     *
     * @throws ApiException 404 for an unknown token, 410 when used or expired, 403 when the caller
     *                      is signed in with another address, 409 when already a member
     */
    public Accepted accept(Caller caller, String token) {
        String slug = slugOf(token);
        if (slug == null || !TokenSecrets.plausible(token)) {
            throw ApiException.notFound("No such invitation");
        }
        InvitationStore.Found found = store.read(TokenSecrets.hash(token), slug);
        InvitationItem invitation = found.invitation();
        WorkspaceItem workspace = found.workspace();
        if (invitation == null || !invitation.slug().equals(slug)) {
            throw ApiException.notFound("No such invitation");
        }
        Instant now = clock.instant();
        if (!invitation.usableAt(now)) {
            throw gone();
        }
        if (!invitation.email().equalsIgnoreCase(caller.email())) {
            throw ApiException.forbidden("This invitation is for another email address");
        }
        if (workspace == null || !invitation.invitesTo(workspace)) {
            throw gone();
        }
        String joinedAt = now.truncatedTo(ChronoUnit.MILLIS).toString();
        MemberItem member = new MemberItem(workspace.slug(), caller.userId(), caller.email(), MemberItem.MEMBER,
                joinedAt, workspace.id(), workspace.name(), workspace.createdAt(), List.of(), List.of(), 1);
        try {
            store.accept(invitation, member, workspace.version(), now, audit.entry(workspace.slug(), caller.userId(),
                    "invitation.accept", "member:" + caller.userId(), null,
                    Map.of("email", caller.email(), "role", MemberItem.MEMBER, "invitation", invitation.id())));
        } catch (WriteRefusedException e) {
            if (e.by(InvitationStore.Refused.INVITATION_USED)) {
                throw gone();
            }
            if (e.by(InvitationStore.Refused.ALREADY_MEMBER)) {
                throw ApiException.conflict(null, "You are already a member of this workspace");
            }
            throw ApiException.conflict(null, "The workspace changed while joining; try again");
        }
        return new Accepted(workspace.slug(), MemberItem.MEMBER);
    }

    private static ApiException gone() {
        return new ApiException(410, "gone", "Gone", "This invitation was already used or has expired", List.of());
    }

    /** {@code ati_<slug>.<256 random bits>}: the slug lets an accept read invitation and workspace at once. */
    private static String newToken(String slug) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + slug + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Nullable
    private static String slugOf(String token) {
        int dot = token.indexOf('.');
        if (!token.startsWith(PREFIX) || dot <= PREFIX.length()) {
            return null;
        }
        String slug = token.substring(PREFIX.length(), dot);
        return dev.atelier.workspace.Slug.problem(slug).isEmpty() ? slug : null;
    }
}
