package dev.atelier.workspace;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.TransactionPart;
import dev.atelier.store.CreateConflictException;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
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
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workspaces and memberships in the table. Each method is one DynamoDB request, except where a
 * workspace outgrows one transaction (more than {@value #MAX_TRANSACTION_ITEMS} items), as noted.
 */
@Singleton
public class WorkspaceStore {

    private static final Expression NEW_ITEM = Expression.builder().expression("attribute_not_exists(PK)").build();
    private static final List<String> GSI1_PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK,
            TableDefinition.GSI1.partitionKey(), TableDefinition.GSI1.sortKey());

    /** DynamoDB's limit of items in one TransactWriteItems. */
    static final int MAX_TRANSACTION_ITEMS = 100;
    private static final int MAX_BATCH_WRITE_ITEMS = 25;

    private final DynamoDbEnhancedClient dynamoDb;
    private final DynamoDbClient lowLevel;
    private final String tableName;
    private final DynamoDbTable<WorkspaceItem> workspaces;
    private final DynamoDbTable<MemberItem> members;
    private final DynamoDbIndex<MemberItem> membersByUser;

    public WorkspaceStore(DynamoDbEnhancedClient dynamoDb, DynamoDbClient lowLevel, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.lowLevel = lowLevel;
        this.tableName = config.tableName();
        this.workspaces = dynamoDb.table(config.tableName(), WorkspaceItem.SCHEMA);
        this.members = dynamoDb.table(config.tableName(), MemberItem.SCHEMA);
        this.membersByUser = members.index(TableDefinition.GSI1.name());
    }

    /**
     * One TransactWriteItems: the workspace (only if its slug is free), its owner's membership,
     * the audit entry and, when given, the idempotency record — all or nothing.
     *
     * @throws CreateConflictException when the slug is taken, or the idempotency key was
     *                                 recorded by a concurrent request
     */
    public void create(WorkspaceItem workspace, MemberItem owner, TransactionPart audit,
                       @Nullable TransactionPart idempotency) {
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(workspaces, TransactPutItemEnhancedRequest.builder(WorkspaceItem.class)
                        .item(workspace).conditionExpression(NEW_ITEM).build())
                .addPutItem(members, TransactPutItemEnhancedRequest.builder(MemberItem.class)
                        .item(owner).conditionExpression(NEW_ITEM).build());
        audit.addTo(tx);
        if (idempotency != null) {
            idempotency.addTo(tx);
        }
        try {
            dynamoDb.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failed(reasons, 0)) {
                throw new CreateConflictException(CreateConflictException.Conflict.NAME_TAKEN);
            }
            if (failed(reasons, 3)) {
                throw new CreateConflictException(CreateConflictException.Conflict.IDEMPOTENCY_KEY_USED);
            }
            throw e;
        }
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
                .key(Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.WORKSPACE).build())));
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
     * <p>One transaction holds at most {@value #MAX_TRANSACTION_ITEMS} items: the workspace,
     * the audit entry and the first 98 copies. Further copies (workspaces of more than 98
     * members) are rewritten afterwards, each only if it still holds the old name — see
     * {@link #renameRemaining}.
     *
     * @throws StaleException when the workspace or one of the copies in the transaction changed
     */
    public void update(long expectedVersion, WorkspaceItem next, List<MemberItem> renamed, TransactionPart audit) {
        int inFirst = Math.min(renamed.size(), MAX_TRANSACTION_ITEMS - 2);
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(workspaces, TransactPutItemEnhancedRequest.builder(WorkspaceItem.class)
                        .item(next).conditionExpression(atVersion(expectedVersion)).build());
        audit.addTo(tx);
        for (MemberItem member : renamed.subList(0, inFirst)) {
            tx.addPutItem(members, TransactPutItemEnhancedRequest.builder(MemberItem.class)
                    .item(member.withWorkspaceName(next.name())).conditionExpression(atVersion(member.version())).build());
        }
        try {
            dynamoDb.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                throw new StaleException();
            }
            throw e;
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
                lowLevel.updateItem(r -> r.tableName(tableName)
                        .key(Map.of(TableDefinition.PK, AttributeValue.fromS(Keys.workspace(member.slug())),
                                TableDefinition.SK, AttributeValue.fromS(Keys.member(member.userId()))))
                        .updateExpression("SET workspaceName = :new")
                        .conditionExpression("workspaceName = :old")
                        .expressionAttributeValues(Map.of(":new", AttributeValue.fromS(name),
                                ":old", AttributeValue.fromS(member.workspaceName()))));
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException changed) {
                // renamed again, or removed, since it was read: nothing to do
            }
        }
    }

    /** The keys of every item in the workspace's partition: one Query (paged beyond 1 MB). */
    public List<Map<String, AttributeValue>> partitionKeys(String slug) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        lowLevel.queryPaginator(r -> r.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.workspace(slug))))
                        .projectionExpression("PK, SK"))
                .forEach(page -> keys.addAll(page.items()));
        return keys;
    }

    /**
     * Deletes the workspace and every other item of its partition ({@code keys}, from
     * {@link #partitionKeys}), writing the audit entry. The workspace item, the caller's
     * membership, the audit entry and up to 97 other items go in one TransactWriteItems,
     * conditioned on the workspace's version. Items beyond those are deleted first, by
     * BatchWriteItem (25 per request): if the call is interrupted, the workspace and its owner
     * remain and the delete can be repeated.
     *
     * @throws StaleException when the workspace changed since it was read
     */
    public void delete(WorkspaceItem workspace, String callerId, List<Map<String, AttributeValue>> keys,
                       TransactionPart audit) {
        String pk = Keys.workspace(workspace.slug());
        String callerSk = Keys.member(callerId);
        List<Map<String, AttributeValue>> others = keys.stream()
                .filter(k -> !Keys.WORKSPACE.equals(k.get(TableDefinition.SK).s())
                        && !callerSk.equals(k.get(TableDefinition.SK).s()))
                .toList();
        int inTransaction = Math.min(others.size(), MAX_TRANSACTION_ITEMS - 3);
        List<Map<String, AttributeValue>> overflow = others.subList(inTransaction, others.size());
        for (int i = 0; i < overflow.size(); i += MAX_BATCH_WRITE_ITEMS) {
            batchDelete(overflow.subList(i, Math.min(overflow.size(), i + MAX_BATCH_WRITE_ITEMS)));
        }
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addDeleteItem(workspaces, TransactDeleteItemEnhancedRequest.builder()
                        .key(Key.builder().partitionValue(pk).sortValue(Keys.WORKSPACE).build())
                        .conditionExpression(atVersion(workspace.version())).build())
                .addDeleteItem(members, Key.builder().partitionValue(pk).sortValue(callerSk).build());
        audit.addTo(tx);
        for (Map<String, AttributeValue> key : others.subList(0, inTransaction)) {
            tx.addDeleteItem(workspaces, Key.builder().partitionValue(pk)
                    .sortValue(key.get(TableDefinition.SK).s()).build());
        }
        try {
            dynamoDb.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            if (failed(e.cancellationReasons(), 0)) {
                throw new StaleException();
            }
            throw e;
        }
    }

    private void batchDelete(List<Map<String, AttributeValue>> keys) {
        List<WriteRequest> pending = keys.stream()
                .map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build())
                .toList();
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> request = Map.of(tableName, pending);
            var unprocessed = lowLevel.batchWriteItem(r -> r.requestItems(request)).unprocessedItems().get(tableName);
            pending = unprocessed == null ? List.of() : List.copyOf(unprocessed);
        }
    }

    private static Expression atVersion(long version) {
        return Expression.builder().expression("#version = :version")
                .putExpressionName("#version", "version")
                .putExpressionValue(":version", AttributeValue.fromN(Long.toString(version)))
                .build();
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }
}
