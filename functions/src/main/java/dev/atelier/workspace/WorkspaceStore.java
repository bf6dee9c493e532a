package dev.atelier.workspace;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Condition;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.store.TransactionPart;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workspaces and memberships in the table. Each method is one DynamoDB request, except where a
 * workspace outgrows one transaction (more than {@value Transaction#MAX_ITEMS} items), as noted.
 */
@Singleton
public class WorkspaceStore {

    private static final List<String> GSI1_PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK,
            TableDefinition.GSI1.partitionKey(), TableDefinition.GSI1.sortKey());

    /** What refuses a write of a workspace. */
    public enum Refused implements Refusal {
        /** Another workspace holds the slug. */
        SLUG_TAKEN,
        /** The workspace (or a member's copy of it) changed since it was read. */
        STALE
    }

    private final Table table;
    private final DynamoDbTable<WorkspaceItem> workspaces;
    private final DynamoDbTable<MemberItem> members;
    private final DynamoDbIndex<MemberItem> membersByUser;

    public WorkspaceStore(DynamoDbEnhancedClient dynamoDb, Table table, AtelierConfig config) {
        this.table = table;
        this.workspaces = dynamoDb.table(config.tableName(), WorkspaceItem.SCHEMA);
        this.members = dynamoDb.table(config.tableName(), MemberItem.SCHEMA);
        this.membersByUser = members.index(TableDefinition.GSI1.name());
    }

    /**
     * One TransactWriteItems: the workspace (only if its slug is free), its owner's membership,
     * the audit entry and, when given, the idempotency record — all or nothing.
     *
     * @throws WriteRefusedException {@link Refused#SLUG_TAKEN}, or {@code Idempotency.Refused.KEY_USED}
     *                               when a concurrent request recorded the idempotency key first
     */
    public void create(WorkspaceItem workspace, MemberItem owner, TransactionPart audit,
                       @Nullable TransactionPart idempotency) {
        Transaction tx = table.transaction()
                .put(WorkspaceItem.SCHEMA, workspace, Condition.absent(Refused.SLUG_TAKEN))
                .put(MemberItem.SCHEMA, owner, Condition.absent(Refused.SLUG_TAKEN))
                .add(audit);
        if (idempotency != null) {
            tx.add(idempotency);
        }
        table.commit(tx);
    }

    /** One Query on GSI1: a page of the user's memberships, ordered by slug. */
    public Page<MemberItem> listForUser(String userId, int limit, @Nullable String cursor) {
        String partition = Keys.user(userId);
        var startKey = Cursors.decode(cursor, GSI1_PAGE_KEY, TableDefinition.GSI1.partitionKey(), partition);
        var page = membersByUser.query(r -> r
                .queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(partition).sortValue(Keys.workspaceOfMember("")).build()))
                .limit(limit)
                .exclusiveStartKey(startKey)).iterator().next();
        return new Page<>(page.items(), Cursors.encode(page.lastEvaluatedKey()));
    }

    /** Thrown when the workspace (or a member copy) changed since it was read. */
    public static final class StaleException extends RuntimeException {
        StaleException() {
            super("stale", null, false, false);
        }
    }

    /** One GetItem (consistent): the workspace as it is now. */
    public Optional<WorkspaceItem> get(String slug) {
        return Optional.ofNullable(workspaces.getItem(r -> r.consistentRead(true)
                .key(Keys.workspaceItem(slug).enhanced())));
    }

    /**
     * One Query (consistent): every member of the workspace — more requests only when the
     * members exceed DynamoDB's 1 MB page (thousands of members).
     */
    public List<MemberItem> members(String slug) {
        List<MemberItem> all = new ArrayList<>();
        members.query(r -> r.consistentRead(true).queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.MEMBER_PREFIX).build())))
                .forEach(page -> all.addAll(page.items()));
        return all;
    }

    /**
     * Writes a changed workspace if it is still at {@code expectedVersion}, with the audit entry
     * and the members' copies of its name ({@code renamed}; empty when the name is unchanged),
     * in one TransactWriteItems. Each copy is written only if the member is still at the
     * version read, so a concurrent change to a member is never overwritten.
     *
     * <p>One transaction holds at most {@value Transaction#MAX_ITEMS} items: the workspace,
     * the audit entry and the first 98 copies. Further copies (workspaces of more than 98
     * members) are rewritten afterwards, each only if it still holds the old name — see
     * {@link #renameRemaining}.
     *
     * @throws StaleException when the workspace or one of the copies in the transaction changed
     */
    public void update(long expectedVersion, WorkspaceItem next, List<MemberItem> renamed, TransactionPart audit) {
        int inFirst = Math.min(renamed.size(), Transaction.MAX_ITEMS - 2);
        Transaction tx = table.transaction()
                .put(WorkspaceItem.SCHEMA, next, Condition.atVersion(expectedVersion, Refused.STALE))
                .add(audit);
        for (MemberItem member : renamed.subList(0, inFirst)) {
            tx.put(MemberItem.SCHEMA, member.withWorkspaceName(next.name()),
                    Condition.atVersion(member.version(), Refused.STALE));
        }
        try {
            table.commit(tx);
        } catch (WriteRefusedException e) {
            throw new StaleException();
        }
        renameRemaining(renamed.subList(inFirst, renamed.size()), next.name());
    }

    /**
     * The copies that did not fit the rename's transaction: one conditional UpdateItem each,
     * setting only the name and only where the copy still holds the old name (a later rename
     * or a removed member is left alone). Costs one write request per member beyond 98.
     */
    private void renameRemaining(List<MemberItem> remaining, String name) {
        for (MemberItem member : remaining) {
            try {
                table.update(Keys.memberItem(member.slug(), member.userId()),
                        Expression.builder().expression("SET workspaceName = :new")
                                .putExpressionValue(":new", AttributeValue.fromS(name)).build(),
                        Condition.of(Expression.builder().expression("workspaceName = :old")
                                .putExpressionValue(":old", AttributeValue.fromS(member.workspaceName())).build(),
                                Refused.STALE));
            } catch (WriteRefusedException changed) {
                // renamed again, or removed, since it was read: nothing to do
            }
        }
    }

    /** Every item of the workspace's partition: one consistent Query (paged beyond 1 MB). */
    public List<Map<String, AttributeValue>> partition(String slug) {
        return table.queryAll(Keys.workspace(slug), "", null);
    }

    /** The keys of every item in the workspace's partition: one Query (paged beyond 1 MB). */
    public List<ItemKey> partitionKeys(String slug) {
        return table.keysOf(Keys.workspace(slug));
    }

    /** The keys of the workspace's invitations (they live in partitions of their own): one Query on GSI1. */
    public List<ItemKey> invitationKeys(String slug) {
        List<ItemKey> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = table.query(r -> r.indexName(TableDefinition.GSI1.name())
                    .keyConditionExpression("#gpk = :gpk")
                    .expressionAttributeNames(Map.of("#gpk", TableDefinition.GSI1.partitionKey()))
                    .expressionAttributeValues(Map.of(":gpk", AttributeValue.fromS(Keys.invitationsOf(slug))))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> keys.add(ItemKey.of(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return keys;
    }

    /**
     * Deletes the workspace and every other item of its partition ({@code keys}, from
     * {@link #partitionKeys}), writing the audit entry. The workspace item, the caller's
     * membership, the audit entry, the {@code guarded} items (each deleted only if its condition
     * holds: a build that must have ended) and up to 97 other items in all go in one
     * TransactWriteItems, conditioned on the workspace's version. Items beyond those are deleted
     * first, by BatchWriteItem (25 per request): if the call is interrupted, the workspace and
     * its owner remain and the delete can be repeated.
     *
     * @throws StaleException when the workspace changed since it was read
     * @throws WriteRefusedException naming the refusal of a guarded item whose condition failed
     */
    public void delete(WorkspaceItem workspace, String callerId, List<ItemKey> keys, Map<ItemKey, Condition> guarded,
                       TransactionPart audit) {
        ItemKey workspaceKey = Keys.workspaceItem(workspace.slug());
        ItemKey callerKey = Keys.memberItem(workspace.slug(), callerId);
        List<ItemKey> others = new ArrayList<>(guarded.keySet());
        keys.stream().filter(k -> !k.equals(workspaceKey) && !k.equals(callerKey) && !guarded.containsKey(k))
                .forEach(others::add);
        int inTransaction = Math.min(others.size(), Transaction.MAX_ITEMS - 3);
        if (guarded.size() > inTransaction) {
            throw new IllegalStateException("More guarded items than one transaction holds");
        }
        table.deleteAll(others.subList(inTransaction, others.size()));
        Transaction tx = table.transaction()
                .delete(workspaceKey, Condition.atVersion(workspace.version(), Refused.STALE))
                .delete(callerKey, null)
                .add(audit);
        for (ItemKey key : others.subList(0, inTransaction)) {
            tx.delete(key, guarded.get(key));
        }
        try {
            table.commit(tx);
        } catch (WriteRefusedException e) {
            if (e.by(Refused.STALE)) {
                throw new StaleException();
            }
            throw e;
        }
    }

    /** Deletes items of a deleted workspace found after its transaction (written while it ran). */
    public void deleteAll(List<ItemKey> keys) {
        table.deleteAll(keys);
    }
}
