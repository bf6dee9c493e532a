package dev.atelier.member;

import dev.atelier.access.Operation;
import dev.atelier.audit.AuditLog;
import dev.atelier.facts.RequestFacts;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.store.Transaction;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.ApiException;
import dev.atelier.web.ETags;
import dev.atelier.web.JsonBody;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/** Groups (teams) of a workspace's members, which grants can name. */
@Singleton
public class GroupService {

    public static final int NAME_MAX_LENGTH = 64;
    /** Members changed by one request: a transaction also writes the group and the audit entry. */
    public static final int MAX_CHANGED_MEMBERS = Transaction.MAX_ITEMS - 3;

    private final MemberStore store;
    private final AuditLog audit;
    private final Idempotency idempotency;
    private final JsonMapper json;
    private final Clock clock;

    public GroupService(MemberStore store, AuditLog audit, Idempotency idempotency, JsonMapper json, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.idempotency = idempotency;
        this.json = json;
        this.clock = clock;
    }

    /** A created (or replayed) group. */
    public record Created(GroupView group, String location) { }

    public Created create(RequestFacts facts, @Nullable String raw, @Nullable String idempotencyKey) {
        facts.require(Operation.MEMBERS_MANAGE);
        JsonBody body = JsonBody.parse(json, raw, Set.of("name"));
        String name = body.requiredString("name");
        if (name != null) {
            name = name.strip();
            if (name.isEmpty() || name.length() > NAME_MAX_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
                body.reject("name", "must be 1 to " + NAME_MAX_LENGTH + " characters without control characters");
            }
        }
        body.validate();
        Optional<Idempotency.Request> replayable = idempotency.request(facts.caller().userId(), idempotencyKey,
                "group.create", facts.slug(), name);
        if (replayable.isPresent()) {
            Optional<GroupView> earlier = idempotency.replay(replayable.get(), GroupView.class);
            if (earlier.isPresent()) {
                return new Created(earlier.get(), location(facts.slug(), earlier.get().id()));
            }
        }
        GroupItem group = new GroupItem(facts.slug(), UUID.randomUUID().toString(), name, List.of(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS).toString(), 1);
        GroupView view = GroupView.of(group);
        String location = location(facts.slug(), group.id());
        Transaction tx = store.transaction();
        store.createGroup(tx, group);
        tx.add(audit.entry(facts.slug(), facts.caller().userId(), "group.create", "group:" + group.id(), null, view));
        replayable.ifPresent(r -> tx.add(idempotency.remember(r, view, location)));
        try {
            store.commit(tx);
        } catch (WriteRefusedException e) {
            if (e.by(MemberStore.Refused.GROUP_NAME_TAKEN)) {
                throw ApiException.conflict("name", "A group named '" + name + "' already exists");
            }
            if (e.by(Idempotency.Refused.KEY_USED)) {
                throw ApiException.conflict(null, "A request with this Idempotency-Key is in progress");
            }
            throw e;
        }
        return new Created(view, location);
    }

    public Page<GroupView> list(RequestFacts facts, int limit, @Nullable String cursor) {
        facts.require(Operation.MEMBERS_READ);
        Page<GroupItem> page = store.groups(facts.slug(), limit, cursor);
        return new Page<>(page.items().stream().map(GroupView::of).toList(), page.nextCursor());
    }

    public GroupView get(RequestFacts facts, String groupId) {
        facts.require(Operation.MEMBERS_READ);
        return GroupView.of(find(facts, groupId));
    }

    /**
     * Sets who is in the group; every user must be a member of the workspace.
     *
     * @throws ApiException 400 naming {@code userIds[i]} for a non-member, 412 when stale
     */
    public GroupView setMembers(RequestFacts facts, String groupId, @Nullable String raw, @Nullable String ifMatch) {
        facts.require(Operation.MEMBERS_MANAGE);
        MemberRequests.GroupMembers request = MemberRequests.groupMembers(json, raw);
        List<String> userIds = request.userIds();
        OptionalLong expected = ETags.ifMatch(ifMatch);
        GroupItem before = find(facts, groupId);
        ETags.check(expected, before.version());
        request.echoed().check(GroupView.of(before));

        Set<String> wanted = new LinkedHashSet<>(userIds);
        List<String> added = wanted.stream().filter(id -> !before.memberIds().contains(id)).toList();
        List<String> removed = before.memberIds().stream().filter(id -> !wanted.contains(id)).toList();
        if (added.size() + removed.size() > MAX_CHANGED_MEMBERS) {
            throw ApiException.invalid("userIds", "may change at most " + MAX_CHANGED_MEMBERS + " members at once");
        }
        GroupItem after = new GroupItem(before.slug(), before.id(), before.name(), new ArrayList<>(wanted),
                before.createdAt(), before.version() + 1);
        Transaction tx = store.transaction();
        store.replaceGroup(tx, before, after);
        added.forEach(id -> store.setGroupOnMember(tx, facts.slug(), id, groupId, true));
        removed.forEach(id -> store.setGroupOnMember(tx, facts.slug(), id, groupId, false));
        tx.add(audit.entry(facts.slug(), facts.caller().userId(), "group.members", "group:" + groupId,
                Map.of("userIds", before.memberIds()), Map.of("userIds", after.memberIds())));
        try {
            store.commit(tx);
        } catch (WriteRefusedException e) {
            if (e.first() instanceof MemberStore.NotAMember notAMember) {
                String userId = notAMember.userId();
                throw ApiException.invalid("userIds[" + userIds.indexOf(userId) + "]",
                        "'" + userId + "' is not a member of this workspace");
            }
            throw ApiException.preconditionFailed("The group changed while this request ran; read it again");
        }
        return GroupView.of(after);
    }

    public void delete(RequestFacts facts, String groupId) {
        facts.require(Operation.MEMBERS_MANAGE);
        GroupItem group = find(facts, groupId);
        if (group.memberIds().size() > MAX_CHANGED_MEMBERS - 1) {
            throw ApiException.conflict(null, "Take members out of the group before deleting it");
        }
        Transaction tx = store.transaction();
        store.deleteGroup(tx, group);
        group.memberIds().forEach(id -> store.setGroupOnMember(tx, facts.slug(), id, groupId, false));
        tx.add(audit.entry(facts.slug(), facts.caller().userId(), "group.delete", "group:" + groupId,
                GroupView.of(group), null));
        try {
            store.commit(tx);
        } catch (WriteRefusedException e) {
            throw ApiException.conflict(null, "The group changed while this request ran; try again");
        }
    }

    private GroupItem find(RequestFacts facts, String groupId) {
        return store.group(facts.slug(), groupId)
                .orElseThrow(() -> ApiException.notFound("No group '" + groupId + "' in this workspace"));
    }

    static String location(String slug, String groupId) {
        return "/api/v1/workspaces/" + slug + "/groups/" + groupId;
    }
}
