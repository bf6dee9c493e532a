package dev.atelier.workspace;

import dev.atelier.audit.AuditLog;
import dev.atelier.facts.RequestFacts;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.identity.Caller;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.ApiException;
import dev.atelier.web.ETags;
import dev.atelier.web.Throttling;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The rules of workspaces: who sees which, how one is created, changed and deleted.
 *
 * <p>Every change is conditional on the version it was computed from. With {@code If-Match}
 * the caller names that version, and a change that loses a race answers 412. Without it, a
 * change that loses a race is computed again on the fresh version (a PATCH names the fields it
 * sets, so applying it to the newer workspace is what was asked), up to
 * {@value #ATTEMPTS} times, then 409.
 */
@Singleton
public class WorkspaceService {

    public static final int NAME_MAX_LENGTH = 64;
    static final int ATTEMPTS = 3;

    private final WorkspaceStore store;
    private final LogoBlobs logos;
    private final Idempotency idempotency;
    private final AuditLog audit;
    private final Clock clock;
    private final List<WorkspaceHoldings> holdings;

    public WorkspaceService(WorkspaceStore store, LogoBlobs logos, Idempotency idempotency, AuditLog audit,
                            Clock clock, List<WorkspaceHoldings> holdings) {
        this.holdings = List.copyOf(holdings);
        this.store = store;
        this.logos = logos;
        this.idempotency = idempotency;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a create asks for, already checked by {@link WorkspaceRequests}. */
    public record NewWorkspace(String name, String slug) { }

    /** A created (or replayed) workspace and where it lives. */
    public record Created(WorkspaceView workspace, String location) { }

    /**
     * Creates a workspace whose owner is the caller. Any signed-in user may create one.
     *
     * @throws ApiException 409 when the slug is taken; 422 when the Idempotency-Key was used
     *                      for another request
     */
    public Created create(Caller caller, NewWorkspace request, @Nullable String idempotencyKey) {
        Optional<Idempotency.Request> replayable = idempotency.request(caller.userId(), idempotencyKey,
                "workspace.create", request.name(), request.slug());
        if (replayable.isPresent()) {
            Optional<WorkspaceView> earlier = idempotency.replay(replayable.get(), WorkspaceView.class);
            if (earlier.isPresent()) {
                return new Created(earlier.get(), location(earlier.get().slug()));
            }
        }
        String now = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        WorkspaceItem workspace = WorkspaceItem.created(request.slug(), UUID.randomUUID().toString(), request.name(),
                now, caller.userId());
        MemberItem owner = new MemberItem(workspace.slug(), caller.userId(), caller.email(), MemberItem.OWNER, now,
                workspace.id(), workspace.name(), workspace.createdAt(), List.of(), List.of(), 1);
        WorkspaceView view = WorkspaceView.of(workspace, MemberItem.OWNER);
        String location = location(workspace.slug());
        try {
            store.create(workspace, owner, audit.entry(workspace.slug(), caller.userId(), "workspace.create",
                            "workspace:" + workspace.slug(), null, view),
                    replayable.map(r -> idempotency.remember(r, view, location)).orElse(null));
        } catch (WriteRefusedException e) {
            if (e.by(Idempotency.Refused.KEY_USED)) {
                // A concurrent request with the same key won: answer what it created.
                WorkspaceView winner = idempotency.replay(replayable.orElseThrow(), WorkspaceView.class)
                        .orElseThrow(() -> ApiException.conflict(null, "A request with this Idempotency-Key is in progress"));
                return new Created(winner, location(winner.slug()));
            }
            throw ApiException.conflict("slug", "The slug '" + request.slug() + "' is already taken");
        }
        return new Created(view, location);
    }

    /** The caller's workspaces, a page at a time. */
    public Page<WorkspaceSummary> list(Caller caller, int limit, @Nullable String cursor) {
        Page<MemberItem> page = store.listForUser(caller.userId(), limit, cursor);
        return new Page<>(page.items().stream().map(WorkspaceSummary::of).toList(), page.nextCursor());
    }

    /**
     * What a PATCH asks for, checked by {@link WorkspaceRequests}.
     *
     * @param name         the new name; null to keep it
     * @param setColor     whether the colour changes
     * @param primaryColor the new colour, lower case; null (with {@code setColor}) for the default
     */
    public record Changes(@Nullable String name, boolean setColor, @Nullable String primaryColor) { }

    /** A workspace after a change. */
    public record Changed(WorkspaceView workspace, String etag) { }

    /**
     * Renames and recolours a workspace. A rename rewrites every member's copy of the name in
     * the same transaction (see {@link WorkspaceStore#update} for workspaces beyond 98 members).
     *
     * @param ifMatch the version the caller saw, or null
     * @throws ApiException 412 when {@code ifMatch} is not the current version
     */
    public Changed update(Caller caller, RequestFacts.Membership found, OptionalLong ifMatch, Changes changes) {
        WorkspaceItem updated = change(found.workspace(), ifMatch, current -> {
            WorkspaceItem next = current.withSettings(changes.name() == null ? current.name() : changes.name(),
                    changes.setColor() ? changes.primaryColor() : current.primaryColor());
            List<MemberItem> renamed = next.name().equals(current.name()) ? List.of() : store.members(current.slug());
            store.update(current.version(), next, renamed, audit.entry(current.slug(), caller.userId(),
                    "workspace.update", target(current), settings(current), settings(next)));
            return next;
        });
        return changed(updated, found.member());
    }

    /**
     * Deletes a workspace and everything it holds: nothing of it is left in any service. What
     * still runs in it (builds in progress; later, workstations) stops the deletion, named in the
     * answer; then every holder releases what it made (Image Builder resources, AMIs and their
     * snapshots, blobs), then the records go — its partition, its invitations — and its logo. Its
     * audit log is kept, ending with the deletion (docs/workspace-settings.md). A deletion that
     * fails half-way leaves the workspace, to be deleted again.
     *
     * @throws ApiException 412 when {@code ifMatch} is not the current version, 409 naming what
     *                      still runs, 502 when a service refused to remove something
     */
    public void delete(Caller caller, RequestFacts.Membership found, OptionalLong ifMatch) {
        String slug = found.workspace().slug();
        ETags.check(ifMatch, found.workspace().version());
        List<Map<String, AttributeValue>> items = store.partition(slug);
        List<String> running = holdings.stream().flatMap(h -> h.stillRunning(slug, items).stream()).toList();
        if (!running.isEmpty()) {
            throw ApiException.conflict(null, "Still running in this workspace: " + String.join("; ", running)
                    + ". Cancel them (or wait for them to end), then delete the workspace.");
        }
        try {
            holdings.forEach(h -> h.release(slug, items));
        } catch (WorkspaceHoldings.ReleaseException e) {
            throw new ApiException(502, "release-failed", "Bad gateway", e.getMessage()
                    + ". The workspace was not deleted; try again.", List.of());
        }
        change(found.workspace(), ifMatch, current -> {
            List<ItemKey> keys = new ArrayList<>(items.stream().map(ItemKey::of).toList());
            keys.addAll(store.invitationKeys(current.slug()));
            store.delete(current, caller.userId(), keys, Map.of(),
                    audit.entry(current.slug(), caller.userId(), "workspace.delete", target(current),
                            WorkspaceView.of(current, MemberItem.OWNER), null));
            return current;
        });
        // Written while the deletion ran (a create that read the workspace before it went): swept too.
        // The workspace is gone: what follows must get through rather than answer "nothing changed".
        Throttling.persist(() -> store.deleteAll(store.partitionKeys(slug)));
        Throttling.persist(() -> logos.deleteAll(slug));
        holdings.forEach(h -> h.gone(slug));
    }

    /** The logo's bytes and type, when the workspace has one. */
    public record StoredLogo(String contentType, byte[] bytes) { }

    public Optional<StoredLogo> logo(RequestFacts.Membership found) {
        WorkspaceItem workspace = found.workspace();
        if (workspace.logoKey() == null) {
            return Optional.empty();
        }
        return logos.get(workspace.logoKey()).map(bytes -> new StoredLogo(workspace.logoContentType(), bytes));
    }

    /**
     * Replaces the logo. The image is stored under a new key first, then the workspace points
     * at it (conditionally, like every change), then the old image is removed; a failed change
     * removes the new image again.
     *
     * @throws ApiException 400/413/415 for an image {@link LogoImage} refuses; 412 on a stale If-Match
     */
    public Changed setLogo(Caller caller, RequestFacts.Membership found, OptionalLong ifMatch,
                           @Nullable String contentType, @Nullable byte[] body) {
        LogoImage image = LogoImage.check(contentType, body);
        String slug = found.workspace().slug();
        String key = Keys.logo(slug, UUID.randomUUID().toString());
        logos.put(key, image);
        String now = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        String[] replaced = new String[1];
        WorkspaceItem updated;
        try {
            updated = change(found.workspace(), ifMatch, current -> {
                WorkspaceItem next = current.withLogo(key, image.contentType(), now);
                store.update(current.version(), next, List.of(), audit.entry(slug, caller.userId(),
                        "workspace.logo.set", target(current), logo(current), logo(next)));
                replaced[0] = current.logoKey();
                return next;
            });
        } catch (RuntimeException e) {
            logos.delete(key);
            throw e;
        }
        if (replaced[0] != null) {
            logos.delete(replaced[0]);
        }
        return changed(updated, found.member());
    }

    /** Goes back to the default logo; nothing is written when the workspace already shows it. */
    public void deleteLogo(Caller caller, RequestFacts.Membership found, OptionalLong ifMatch) {
        ETags.check(ifMatch, found.workspace().version());
        if (found.workspace().logoKey() == null) {
            return;
        }
        String[] removed = new String[1];
        change(found.workspace(), ifMatch, current -> {
            WorkspaceItem next = current.withLogo(null, null, null);
            store.update(current.version(), next, List.of(), audit.entry(current.slug(), caller.userId(),
                    "workspace.logo.delete", target(current), logo(current), null));
            removed[0] = current.logoKey();
            return next;
        });
        if (removed[0] != null) {
            logos.delete(removed[0]);
        }
    }

    /** A change computed from a version of the workspace and written only if it is still that version. */
    private interface Change {
        /** @throws WorkspaceStore.StaleException when the workspace moved on */
        WorkspaceItem apply(WorkspaceItem current);
    }

    private WorkspaceItem change(WorkspaceItem read, OptionalLong ifMatch, Change change) {
        WorkspaceItem current = read;
        for (int attempt = 1; ; attempt++) {
            ETags.check(ifMatch, current.version());
            try {
                return change.apply(current);
            } catch (WorkspaceStore.StaleException stale) {
                String slug = current.slug();
                current = store.get(slug).orElseThrow(() -> ApiException.notFound("No workspace '" + slug + "' among yours"));
                if (attempt == ATTEMPTS) {
                    ETags.check(ifMatch, current.version());
                    throw ApiException.conflict(null, "The workspace is being changed by others; try again");
                }
            }
        }
    }

    private static Changed changed(WorkspaceItem workspace, MemberItem member) {
        return new Changed(WorkspaceView.of(workspace, member.role()), workspace.etag());
    }

    private static String target(WorkspaceItem workspace) {
        return "workspace:" + workspace.slug();
    }

    /** What the audit log shows of a workspace's settings. */
    @io.micronaut.serde.annotation.Serdeable
    record Settings(String name, String primaryColor) { }

    private static Settings settings(WorkspaceItem w) {
        return new Settings(w.name(), w.effectivePrimaryColor());
    }

    @Nullable
    private static WorkspaceView.Logo logo(WorkspaceItem w) {
        return w.logoKey() == null ? null : new WorkspaceView.Logo(w.logoContentType(), w.logoUpdatedAt());
    }

    static String location(String slug) {
        return "/api/v1/workspaces/" + slug;
    }
}
