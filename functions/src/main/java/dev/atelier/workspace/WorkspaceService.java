package dev.atelier.workspace;

import dev.atelier.audit.AuditLog;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.identity.Caller;
import dev.atelier.web.ApiException;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The rules of workspaces: who sees which, how one is created. */
@Singleton
public class WorkspaceService {

    public static final int NAME_MAX_LENGTH = 64;

    private final WorkspaceStore store;
    private final Idempotency idempotency;
    private final AuditLog audit;
    private final Clock clock;

    public WorkspaceService(WorkspaceStore store, Idempotency idempotency, AuditLog audit, Clock clock) {
        this.store = store;
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
        WorkspaceItem workspace = new WorkspaceItem(request.slug(), UUID.randomUUID().toString(), request.name(),
                now, caller.userId(), 1);
        MemberItem owner = new MemberItem(workspace.slug(), caller.userId(), caller.email(), MemberItem.OWNER, now,
                workspace.id(), workspace.name(), workspace.createdAt(), List.of(), List.of(), 1);
        WorkspaceView view = WorkspaceView.of(workspace, MemberItem.OWNER);
        String location = location(workspace.slug());
        try {
            store.create(workspace, owner, audit.entry(workspace.slug(), caller.userId(), "workspace.create",
                            "workspace:" + workspace.slug(), null, view),
                    replayable.map(r -> idempotency.remember(r, view, location)).orElse(null));
        } catch (WorkspaceStore.CreateConflictException e) {
            if (e.conflict() == WorkspaceStore.CreateConflict.IDEMPOTENCY_KEY_USED) {
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
    public Page<WorkspaceView> list(Caller caller, int limit, @Nullable String cursor) {
        Page<MemberItem> page = store.listForUser(caller.userId(), limit, cursor);
        return new Page<>(page.items().stream().map(WorkspaceView::of).toList(), page.nextCursor());
    }

    static String location(String slug) {
        return "/api/v1/workspaces/" + slug;
    }
}
