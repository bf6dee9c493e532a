package dev.atelier.store;

import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One TransactWriteItems on the table, built write by write: puts of mapped items, updates
 * with their own expressions (which the Enhanced Client cannot express, e.g. adding one entry
 * to a map), deletes, each with an optional condition. All or nothing.
 */
public final class Transaction {

    /** DynamoDB's limit of writes in one transaction. */
    public static final int MAX_ITEMS = 100;

    private final String table;
    private final List<TransactWriteItem> items = new ArrayList<>();

    public Transaction(String table) {
        this.table = table;
    }

    public <T> Transaction put(TableSchema<T> schema, T item, @Nullable String condition,
                               Map<String, AttributeValue> values) {
        Put.Builder put = Put.builder().tableName(table).item(schema.itemToMap(item, true));
        if (condition != null) {
            put.conditionExpression(condition);
            if (!values.isEmpty()) {
                put.expressionAttributeValues(values);
            }
        }
        items.add(TransactWriteItem.builder().put(put.build()).build());
        return this;
    }

    /** A put of an item already in DynamoDB's shape. */
    public Transaction put(Map<String, AttributeValue> item, @Nullable String condition,
                           Map<String, AttributeValue> values) {
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            put.conditionExpression(condition);
            if (!values.isEmpty()) {
                put.expressionAttributeValues(values);
            }
        }
        items.add(TransactWriteItem.builder().put(put.build()).build());
        return this;
    }

    public Transaction update(String pk, String sk, String expression, Map<String, String> names,
                              Map<String, AttributeValue> values, @Nullable String condition) {
        Update.Builder update = Update.builder().tableName(table).key(key(pk, sk)).updateExpression(expression);
        if (condition != null) {
            update.conditionExpression(condition);
        }
        if (!names.isEmpty()) {
            update.expressionAttributeNames(names);
        }
        if (!values.isEmpty()) {
            update.expressionAttributeValues(values);
        }
        items.add(TransactWriteItem.builder().update(update.build()).build());
        return this;
    }

    public Transaction delete(String pk, String sk, @Nullable String condition, Map<String, AttributeValue> values) {
        Delete.Builder delete = Delete.builder().tableName(table).key(key(pk, sk));
        if (condition != null) {
            delete.conditionExpression(condition);
            if (!values.isEmpty()) {
                delete.expressionAttributeValues(values);
            }
        }
        items.add(TransactWriteItem.builder().delete(delete.build()).build());
        return this;
    }

    /** A condition on an item that is not written. */
    public Transaction check(String pk, String sk, String condition, Map<String, AttributeValue> values) {
        items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(pk, sk))
                .conditionExpression(condition).expressionAttributeValues(values.isEmpty() ? null : values)).build());
        return this;
    }

    public Transaction add(TransactionPart part) {
        items.add(part.writeItem());
        return this;
    }

    public int size() {
        return items.size();
    }

    /**
     * Sends the transaction.
     *
     * @return empty when it committed; else the index of the first write whose condition failed
     * @throws TransactionCanceledException for any other cancellation (conflicts, throttling)
     */
    public OptionalInt commit(DynamoDbClient dynamoDb) {
        if (items.size() > MAX_ITEMS) {
            throw new IllegalStateException("A transaction holds at most " + MAX_ITEMS + " writes");
        }
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
            return OptionalInt.empty();
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            for (int i = 0; i < reasons.size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    return OptionalInt.of(i);
                }
            }
            throw e;
        }
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(TableDefinition.PK, AttributeValue.fromS(pk));
        key.put(TableDefinition.SK, AttributeValue.fromS(sk));
        return key;
    }
}
