package dev.atelier.workspace;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.TransactionPart;
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
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;

/** Workspaces and memberships in the table. Each method is one DynamoDB request. */
@Singleton
public class WorkspaceStore {

    private static final Expression NEW_ITEM = Expression.builder().expression("attribute_not_exists(PK)").build();
    private static final List<String> GSI1_PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK,
            TableDefinition.GSI1.partitionKey(), TableDefinition.GSI1.sortKey());

    private final DynamoDbEnhancedClient dynamoDb;
    private final DynamoDbTable<WorkspaceItem> workspaces;
    private final DynamoDbTable<MemberItem> members;
    private final DynamoDbIndex<MemberItem> membersByUser;

    public WorkspaceStore(DynamoDbEnhancedClient dynamoDb, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.workspaces = dynamoDb.table(config.tableName(), WorkspaceItem.SCHEMA);
        this.members = dynamoDb.table(config.tableName(), MemberItem.SCHEMA);
        this.membersByUser = members.index(TableDefinition.GSI1.name());
    }

    /** Why a create was refused. */
    public enum CreateConflict { SLUG_TAKEN, IDEMPOTENCY_KEY_USED }

    /** Thrown by {@link #create} when a condition of the transaction failed. */
    public static final class CreateConflictException extends RuntimeException {
        private final CreateConflict conflict;

        CreateConflictException(CreateConflict conflict) {
            super(conflict.name(), null, false, false);
            this.conflict = conflict;
        }

        public CreateConflict conflict() {
            return conflict;
        }
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
                throw new CreateConflictException(CreateConflict.SLUG_TAKEN);
            }
            if (failed(reasons, 3)) {
                throw new CreateConflictException(CreateConflict.IDEMPOTENCY_KEY_USED);
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

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }
}
