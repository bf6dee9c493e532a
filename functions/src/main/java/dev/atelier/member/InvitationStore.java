package dev.atelier.member;

import dev.atelier.store.Condition;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.TransactionPart;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import dev.atelier.workspace.MemberItem;
import dev.atelier.workspace.WorkspaceItem;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Invitations in the table: each in a partition of its own, found by the SHA-256 of its token,
 * and listed per workspace on GSI1. Each method is one DynamoDB request.
 */
@Singleton
public class InvitationStore {

    /** What refuses a write of an invitation. */
    public enum Refused implements Refusal {
        /** An invitation with this token exists (never, with random tokens). */
        INVITATION_EXISTS,
        /** The invitation was used, or has expired, since it was read. */
        INVITATION_USED,
        /** The user already is a member. */
        ALREADY_MEMBER,
        /** The workspace changed or was deleted while the request ran. */
        WORKSPACE_CHANGED
    }

    /** An invitation and the workspace its token names, read at one instant; either may be absent. */
    record Found(@Nullable InvitationItem invitation, @Nullable WorkspaceItem workspace) { }

    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK,
            TableDefinition.GSI1.partitionKey(), TableDefinition.GSI1.sortKey());

    private final Table table;

    public InvitationStore(Table table) {
        this.table = table;
    }

    /**
     * One TransactWriteItems: the new invitation, a check that its workspace still exists (an
     * invitation racing the workspace's deletion leaves nothing behind), and the audit entry.
     *
     * @throws dev.atelier.store.WriteRefusedException naming {@link Refused#INVITATION_EXISTS} or
     *                                                 {@link Refused#WORKSPACE_CHANGED}
     */
    void create(InvitationItem invitation, TransactionPart audit) {
        table.commit(table.transaction()
                .put(InvitationItem.SCHEMA, invitation, Condition.absent(Refused.INVITATION_EXISTS))
                .check(Keys.workspaceItem(invitation.slug()), Condition.present(Refused.WORKSPACE_CHANGED))
                .add(audit));
    }

    /** One DeleteItem: withdraws an invitation (one that could not be mailed); nothing when it is gone. */
    void withdraw(InvitationItem invitation) {
        table.delete(Keys.invitationItem(invitation.tokenHash()), null);
    }

    /** One Query on GSI1: a page of the invitations listed under the slug, oldest first. */
    Page<InvitationItem> page(String slug, int limit, @Nullable String cursor) {
        String partition = Keys.invitationsOf(slug);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.GSI1.partitionKey(), partition);
        var response = table.query(r -> r.indexName(TableDefinition.GSI1.name())
                .keyConditionExpression("#gpk = :gpk")
                .expressionAttributeNames(Map.of("#gpk", TableDefinition.GSI1.partitionKey()))
                .expressionAttributeValues(Map.of(":gpk", AttributeValue.fromS(partition)))
                .limit(limit)
                .exclusiveStartKey(startKey));
        return new Page<>(response.items().stream().map(InvitationItem.SCHEMA::mapToItem).toList(),
                Cursors.encode(response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null));
    }

    /** One TransactGetItems: the invitation of {@code tokenHash} and the workspace {@code slug}. */
    Found read(String tokenHash, String slug) {
        List<Map<String, AttributeValue>> items = table.getAll(List.of(Keys.invitationItem(tokenHash),
                Keys.workspaceItem(slug)));
        return new Found(items.get(0).isEmpty() ? null : InvitationItem.SCHEMA.mapToItem(items.get(0)),
                items.get(1).isEmpty() ? null : WorkspaceItem.SCHEMA.mapToItem(items.get(1)));
    }

    /**
     * One TransactWriteItems: the invitation is marked accepted by the member's user if it is
     * still pending and unexpired at {@code now} (so exactly one of racing accepts wins), the
     * member is added if not one yet, the workspace must still be at {@code workspaceVersion},
     * and the audit entry.
     *
     * @throws dev.atelier.store.WriteRefusedException naming {@link Refused#INVITATION_USED},
     *                                                 {@link Refused#ALREADY_MEMBER} or {@link Refused#WORKSPACE_CHANGED}
     */
    void accept(InvitationItem invitation, MemberItem member, long workspaceVersion, Instant now,
                TransactionPart audit) {
        Expression accepted = Expression.builder().expression("SET #s = :accepted, acceptedBy = :user")
                .putExpressionName("#s", "status")
                .putExpressionValue(":accepted", AttributeValue.fromS(InvitationItem.ACCEPTED))
                .putExpressionValue(":user", AttributeValue.fromS(member.userId())).build();
        Expression usable = Expression.builder().expression("#s = :pending AND expiresAt > :now")
                .putExpressionName("#s", "status")
                .putExpressionValue(":pending", AttributeValue.fromS(InvitationItem.PENDING))
                .putExpressionValue(":now", AttributeValue.fromS(now.toString())).build();
        table.commit(table.transaction()
                .update(Keys.invitationItem(invitation.tokenHash()), accepted, Condition.of(usable, Refused.INVITATION_USED))
                .put(MemberItem.SCHEMA, member, Condition.absent(Refused.ALREADY_MEMBER))
                .check(Keys.workspaceItem(member.slug()), Condition.atVersion(workspaceVersion, Refused.WORKSPACE_CHANGED))
                .add(audit));
    }
}
