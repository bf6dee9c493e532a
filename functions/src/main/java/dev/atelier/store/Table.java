package dev.atelier.store;

import dev.atelier.config.AtelierConfig;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The table's requests that every store shares: consistent reads by key, queries, conditional
 * writes that name their refusal, transactions. Stores build keys with {@link Keys} and items
 * with their schemas; only this class knows the table's name and how DynamoDB reports a failed
 * condition.
 */
@Singleton
public class Table {

    /** Attempts of a transaction that keeps losing races with others on the same items. */
    static final int CONFLICT_ATTEMPTS = 5;
    private static final int MAX_BATCH_WRITE_ITEMS = 25;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient dynamoDb;
    private final String name;

    public Table(DynamoDbClient dynamoDb, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.name = config.tableName();
    }

    public String name() {
        return name;
    }

    /** One consistent GetItem. */
    public Optional<Map<String, AttributeValue>> get(ItemKey key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(name).consistentRead(true)
                .key(key.toMap())).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * One TransactGetItems: the items at {@code keys}, read at one instant, in the same order
     * (an empty map where there is none).
     */
    public List<Map<String, AttributeValue>> getAll(List<ItemKey> keys) {
        var response = dynamoDb.transactGetItems(r -> r.transactItems(keys.stream()
                .map(k -> TransactGetItem.builder().get(g -> g.tableName(name).key(k.toMap())).build())
                .toList()));
        return response.responses().stream()
                .map(r -> r.item() == null ? Map.<String, AttributeValue>of() : r.item())
                .toList();
    }

    /** One Query on the table (its name is set here). */
    public QueryResponse query(Consumer<QueryRequest.Builder> request) {
        return dynamoDb.query(r -> {
            request.accept(r);
            r.tableName(name);
        });
    }

    /**
     * One consistent Query: a page of the items of partition {@code pk} whose sort key starts with
     * {@code prefix} (every item of it for an empty prefix).
     */
    public QueryResponse queryPrefix(String pk, String prefix, boolean forward, @Nullable Expression filter,
                                     int limit, @Nullable Map<String, AttributeValue> startKey) {
        // DynamoDB refuses an empty prefix: the whole partition is then a plain key condition.
        Expression key = prefix.isEmpty()
                ? Expression.builder().expression("#pk = :pk").putExpressionName("#pk", TableDefinition.PK)
                        .putExpressionValue(":pk", AttributeValue.fromS(pk)).build()
                : Expression.builder().expression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .putExpressionName("#pk", TableDefinition.PK).putExpressionName("#sk", TableDefinition.SK)
                        .putExpressionValue(":pk", AttributeValue.fromS(pk))
                        .putExpressionValue(":prefix", AttributeValue.fromS(prefix)).build();
        Expression all = filter == null ? key : Expression.join(key, filter, " ");
        return query(r -> {
            r.keyConditionExpression(key.expression()).scanIndexForward(forward).consistentRead(true)
                    .expressionAttributeNames(Transaction.names(all)).expressionAttributeValues(Transaction.values(all))
                    .limit(limit).exclusiveStartKey(startKey);
            if (filter != null) {
                r.filterExpression(filter.expression());
            }
        });
    }

    /** Every item of partition {@code pk} whose sort key starts with {@code prefix} (paged Queries). */
    public List<Map<String, AttributeValue>> queryAll(String pk, String prefix, @Nullable Expression filter) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = queryPrefix(pk, prefix, true, filter, 1000, start);
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** Every item of the table that {@code filter} keeps (paged Scans): for local mode's small table only. */
    public List<Map<String, AttributeValue>> scanAll(Expression filter) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(name).consistentRead(true).filterExpression(filter.expression())
                        .expressionAttributeNames(Transaction.names(filter))
                        .expressionAttributeValues(Transaction.values(filter)))
                .items().forEach(items::add);
        return items;
    }

    /** The keys of every item of partition {@code pk} (paged Queries, keys only). */
    public List<ItemKey> keysOf(String pk) {
        List<ItemKey> keys = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(name).consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", TableDefinition.PK, "#sk", TableDefinition.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                        .projectionExpression("#pk, #sk"))
                .forEach(page -> page.items().forEach(item -> keys.add(ItemKey.of(item))));
        return keys;
    }

    public void put(Map<String, AttributeValue> item, @Nullable Condition condition) {
        refusedAs(condition, () -> dynamoDb.putItem(r -> {
            r.tableName(name).item(item);
            if (condition != null) {
                Expression e = condition.expression();
                r.conditionExpression(e.expression()).expressionAttributeNames(Transaction.names(e))
                        .expressionAttributeValues(Transaction.values(e));
            }
        }));
    }

    /**
     * One UpdateItem.
     *
     * @throws WriteRefusedException naming the condition's refusal when it does not hold
     */
    public void update(ItemKey key, Expression update, @Nullable Condition condition) {
        Expression all = condition == null ? update : Expression.join(update, condition.expression(), " ");
        refusedAs(condition, () -> dynamoDb.updateItem(r -> {
            r.tableName(name).key(key.toMap()).updateExpression(update.expression())
                    .expressionAttributeNames(Transaction.names(all))
                    .expressionAttributeValues(Transaction.values(all));
            if (condition != null) {
                r.conditionExpression(condition.expression().expression());
            }
        }));
    }

    /**
     * One DeleteItem.
     *
     * @throws WriteRefusedException naming the condition's refusal when it does not hold
     */
    public void delete(ItemKey key, @Nullable Condition condition) {
        refusedAs(condition, () -> dynamoDb.deleteItem(r -> {
            r.tableName(name).key(key.toMap());
            if (condition != null) {
                Expression e = condition.expression();
                r.conditionExpression(e.expression()).expressionAttributeNames(Transaction.names(e))
                        .expressionAttributeValues(Transaction.values(e));
            }
        }));
    }

    /** Runs one conditional write; its failed condition becomes the condition's refusal. */
    private static void refusedAs(@Nullable Condition condition, Runnable write) {
        try {
            write.run();
        } catch (ConditionalCheckFailedException e) {
            throw new WriteRefusedException(List.of(condition.refusal()));
        }
    }

    /** Deletes the items at {@code keys}, 25 per BatchWriteItem, until none is left unprocessed. */
    public void deleteAll(List<ItemKey> keys) {
        for (int i = 0; i < keys.size(); i += MAX_BATCH_WRITE_ITEMS) {
            List<WriteRequest> pending = keys.subList(i, Math.min(keys.size(), i + MAX_BATCH_WRITE_ITEMS)).stream()
                    .map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k.toMap()).build()).build())
                    .toList();
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                Map<String, List<WriteRequest>> request = Map.of(name, pending);
                var unprocessed = dynamoDb.batchWriteItem(r -> r.requestItems(request)).unprocessedItems().get(name);
                pending = unprocessed == null ? List.of() : List.copyOf(unprocessed);
                if (!pending.isEmpty()) {
                    pause(attempt);
                }
            }
        }
    }

    public Transaction transaction() {
        return new Transaction(name);
    }

    /**
     * Commits {@code tx}, trying again when it lost a race with another transaction on the same
     * items (nothing was written; its conditions are checked again).
     *
     * @throws WriteRefusedException naming the refusals of the writes whose condition did not hold
     * @throws TransactionCanceledException for any other cancellation (throttling, conflicts that persist)
     */
    public void commit(Transaction tx) {
        var items = tx.writeItems();
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                List<Refusal> refused = tx.refusals(e.cancellationReasons());
                if (!refused.isEmpty()) {
                    throw new WriteRefusedException(refused);
                }
                boolean conflict = e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(20L * attempt + RANDOM.nextInt(30));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a write", interrupted);
        }
    }
}
