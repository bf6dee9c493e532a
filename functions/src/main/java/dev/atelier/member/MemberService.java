package dev.atelier.member;

import dev.atelier.access.Operation;
import dev.atelier.audit.AuditLog;
import dev.atelier.facts.RequestFacts;
import dev.atelier.store.Transaction;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.ApiException;
import dev.atelier.web.ETags;
import dev.atelier.web.Page;
import dev.atelier.workspace.MemberItem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The rules of membership: who sees the members, who changes their actions, who leaves. */
@Singleton
public class MemberService {

    private final MemberStore store;
    private final AuditLog audit;
    private final JsonMapper json;

    public MemberService(MemberStore store, AuditLog audit, JsonMapper json) {
        this.store = store;
        this.audit = audit;
        this.json = json;
    }

    public Page<MemberView> list(RequestFacts facts, int limit, @Nullable String cursor) {
        facts.require(Operation.MEMBERS_READ);
        Page<MemberItem> page = store.members(facts.slug(), limit, cursor);
        return new Page<>(page.items().stream().map(MemberView::of).toList(), page.nextCursor());
    }

    public MemberView get(RequestFacts facts, String userId) {
        facts.require(Operation.MEMBERS_READ);
        return MemberView.of(find(facts, userId));
    }

    /**
     * Replaces a member's actions.
     *
     * @throws ApiException 409 for the owner (who holds every action), 412 when {@code If-Match}
     *                      is stale or the member changed while this request ran
     */
    public MemberView setActions(RequestFacts facts, String userId, @Nullable String body, @Nullable String ifMatch) {
        facts.require(Operation.MEMBERS_MANAGE);
        MemberRequests.Actions request = MemberRequests.actions(json, body);
        OptionalLong expected = ETags.ifMatch(ifMatch);
        MemberItem before = find(facts, userId);
        if (before.owner()) {
            throw ApiException.conflict(null, "The owner holds every action; theirs cannot be changed");
        }
        ETags.check(expected, before.version());
        request.echoed().check(MemberView.of(before));
        MemberItem after = before.withActions(request.actions());
        Transaction tx = store.transaction();
        store.replaceMember(tx, before, after);
        tx.add(audit.entry(facts.slug(), facts.caller().userId(), "member.actions", "member:" + userId,
                Map.of("actions", before.actions()), Map.of("actions", after.actions())));
        try {
            store.commit(tx);
        } catch (WriteRefusedException e) {
            throw ApiException.preconditionFailed("The member changed while this request ran; read it again");
        }
        return MemberView.of(after);
    }

    /**
     * Removes a member; a member removing themselves leaves the workspace.
     *
     * @throws ApiException 409 for the owner, who cannot leave their workspace (they delete it)
     */
    public void remove(RequestFacts facts, String userId) {
        boolean leaving = userId.equals(facts.caller().userId());
        facts.require(leaving ? Operation.WORKSPACE_READ : Operation.MEMBERS_MANAGE);
        MemberItem member = leaving ? facts.member() : find(facts, userId);
        if (member.owner()) {
            throw ApiException.conflict(null, leaving
                    ? "The owner cannot leave the workspace; delete it instead"
                    : "The owner cannot be removed");
        }
        if (member.groupIds().size() + 2 > Transaction.MAX_ITEMS) {
            throw ApiException.conflict(null, "Take the member out of some of their groups first");
        }
        Transaction tx = store.transaction();
        store.deleteMember(tx, member);
        for (String groupId : member.groupIds()) {
            store.setMemberOnGroup(tx, member.slug(), groupId, member.userId(), false);
        }
        tx.add(audit.entry(facts.slug(), facts.caller().userId(), leaving ? "member.leave" : "member.remove",
                "member:" + userId, MemberView.of(member), null));
        try {
            store.commit(tx);
        } catch (WriteRefusedException e) {
            throw ApiException.conflict(null, "The member changed while this request ran; try again");
        }
    }

    private MemberItem find(RequestFacts facts, String userId) {
        return store.member(facts.slug(), userId)
                .orElseThrow(() -> ApiException.notFound("No member '" + userId + "' in this workspace"));
    }
}
