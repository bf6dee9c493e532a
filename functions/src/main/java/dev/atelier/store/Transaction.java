package dev.atelier.store;

import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One TransactWriteItems on the table, built write by write: puts of mapped items, updates with
 * their own expressions (which the Enhanced Client cannot express, e.g. adding one entry to a
 * map), deletes and checks, each with an optional {@link Condition} naming its refusal. All or
 * nothing; committed by {@link Table#commit}.
 */
public final class Transaction {

    /** DynamoDB's limit of writes in one transaction. */
    public static final int MAX_ITEMS = 100;

    private final String table;
    private final List<TransactionPart> parts = new ArrayList<>();

    Transaction(String table) {
        this.table = table;
    }

    public <T> Transaction put(TableSchema<T> schema, T item, @Nullable Condition condition) {
        return put(schema.itemToMap(item, true), condition);
    }

    /** A put of an item already in DynamoDB's shape. */
    public Transaction put(Map<String, AttributeValue> item, @Nullable Condition condition) {
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            Expression e = condition.expression();
            put.conditionExpression(e.expression()).expressionAttributeNames(names(e)).expressionAttributeValues(values(e));
        }
        return add(TransactWriteItem.builder().put(put.build()).build(), condition);
    }

    /**
     * An update of one item.
     *
     * @param update an update expression ({@code SET …}, {@code REMOVE …}) with its names and values; names
     *               and values must not collide with the condition's
     */
    public Transaction update(ItemKey key, Expression update, @Nullable Condition condition) {
        Expression all = condition == null ? update : Expression.join(update, condition.expression(), " ");
        Update.Builder builder = Update.builder().tableName(table).key(key.toMap()).updateExpression(update.expression())
                .expressionAttributeNames(names(all)).expressionAttributeValues(values(all));
        if (condition != null) {
            builder.conditionExpression(condition.expression().expression());
        }
        return add(TransactWriteItem.builder().update(builder.build()).build(), condition);
    }

    public Transaction delete(ItemKey key, @Nullable Condition condition) {
        Delete.Builder delete = Delete.builder().tableName(table).key(key.toMap());
        if (condition != null) {
            Expression e = condition.expression();
            delete.conditionExpression(e.expression()).expressionAttributeNames(names(e))
                    .expressionAttributeValues(values(e));
        }
        return add(TransactWriteItem.builder().delete(delete.build()).build(), condition);
    }

    /** A condition on an item that is not written. */
    public Transaction check(ItemKey key, Condition condition) {
        Expression e = condition.expression();
        return add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(key.toMap())
                .conditionExpression(e.expression()).expressionAttributeNames(names(e))
                .expressionAttributeValues(values(e)).build()).build(), condition);
    }

    public Transaction add(TransactionPart part) {
        parts.add(part);
        return this;
    }

    public int size() {
        return parts.size();
    }

    List<TransactWriteItem> writeItems() {
        if (parts.size() > MAX_ITEMS) {
            throw new IllegalStateException("A transaction holds at most " + MAX_ITEMS + " writes");
        }
        return parts.stream().map(TransactionPart::writeItem).toList();
    }

    /** The refusals of the writes whose condition failed, from DynamoDB's cancellation reasons (same order). */
    List<Refusal> refusals(List<CancellationReason> reasons) {
        List<Refusal> refused = new ArrayList<>();
        for (int i = 0; i < reasons.size() && i < parts.size(); i++) {
            if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                Refusal refusal = parts.get(i).refusal();
                if (refusal == null) {
                    throw new IllegalStateException("A write without a condition was refused by one");
                }
                refused.add(refusal);
            }
        }
        return refused;
    }

    private Transaction add(TransactWriteItem item, @Nullable Condition condition) {
        parts.add(new TransactionPart(item, condition == null ? null : condition.refusal()));
        return this;
    }

    @Nullable
    static Map<String, String> names(Expression e) {
        return e.expressionNames() == null || e.expressionNames().isEmpty() ? null : e.expressionNames();
    }

    @Nullable
    static Map<String, AttributeValue> values(Expression e) {
        return e.expressionValues() == null || e.expressionValues().isEmpty() ? null : e.expressionValues();
    }
}
