package dev.atelier.workstation;

import dev.atelier.store.Condition;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.store.TransactionPart;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workstations in the table. Every change is conditioned on the version read and written as an
 * UpdateItem of the workstation's own attributes, so the readers its grants keep are never
 * overwritten. Each method is one DynamoDB request.
 */
@Singleton
public class WorkstationStore {

    /** What refuses a write of a workstation. */
    public enum Refused implements Refusal {
        /** It changed (or went) since it was read. */
        CHANGED,
        /** A workstation with this id exists: never, with random ids. */
        ALREADY_EXISTS,
        /** The workspace was deleted while the request ran. */
        WORKSPACE_GONE
    }

    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK);
    /** The version of the definition's newest image, as last shown to the workstation. */
    private static final String LATEST_IMAGE = "latestImageVersion";

    private final Table table;

    public WorkstationStore(Table table) {
        this.table = table;
    }

    /** One consistent GetItem. */
    public Optional<WorkstationItem> get(String slug, String id) {
        return table.get(Keys.workstationItem(slug, id)).map(WorkstationItem::of);
    }

    /**
     * One Query of GSI1: the workstation running on {@code instanceId}, as the index has it (it is
     * eventually consistent: read the workstation itself before changing it).
     */
    public Optional<WorkstationItem> byInstance(String instanceId) {
        var response = table.query(r -> r.indexName(TableDefinition.GSI1.name())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableDefinition.GSI1.partitionKey()))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.instance(instanceId))))
                .limit(1));
        return response.items().stream().findFirst().map(WorkstationItem::of);
    }

    /**
     * A workstation as listed, with the version of its definition's newest image (kept by
     * {@link #showLatestImage}; 0 when none was ever shown).
     */
    public record Listed(WorkstationItem item, long latestImageVersion) { }

    /** One Query: a page of the workspace's workstations, by id. */
    public Page<Listed> page(String slug, int limit, @Nullable String cursor) {
        String partition = Keys.workspace(slug);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        var response = table.queryPrefix(partition, Keys.resource(WorkstationItem.KIND, ""), true, null, limit, startKey);
        return new Page<>(response.items().stream().map(i -> new Listed(WorkstationItem.of(i), latestImageVersion(i)))
                .toList(), Cursors.encode(response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null));
    }

    /**
     * Paged Queries, then one UpdateItem per workstation of the definition that is not
     * terminated: its definition's newest image is now of {@code version} (never lowered; the
     * attribute is not one {@link #save} writes, so no change of the workstation undoes it).
     */
    public void showLatestImage(String slug, String definitionId, long version) {
        Expression ofDefinition = Expression.builder().expression("#d = :d AND #s <> :t")
                .putExpressionName("#d", "definitionId").putExpressionName("#s", "status")
                .putExpressionValue(":d", AttributeValue.fromS(definitionId))
                .putExpressionValue(":t", AttributeValue.fromS(WorkstationStatus.TERMINATED.wireName())).build();
        for (Map<String, AttributeValue> item : table.queryAll(Keys.workspace(slug),
                Keys.resource(WorkstationItem.KIND, ""), ofDefinition)) {
            Expression update = Expression.builder().expression("SET #l = :l").putExpressionName("#l", LATEST_IMAGE)
                    .putExpressionValue(":l", AttributeValue.fromN(Long.toString(version))).build();
            Expression lower = Expression.builder()
                    .expression("attribute_exists(PK) AND (attribute_not_exists(#l2) OR #l2 < :l2)")
                    .putExpressionName("#l2", LATEST_IMAGE)
                    .putExpressionValue(":l2", AttributeValue.fromN(Long.toString(version))).build();
            try {
                table.update(ItemKey.of(item), update, Condition.of(lower, Refused.CHANGED));
            } catch (dev.atelier.store.WriteRefusedException e) {
                // gone, or shown a newer one already
            }
        }
    }

    private static long latestImageVersion(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(LATEST_IMAGE);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /**
     * One TransactWriteItems: a new workstation in a workspace that still exists, with the audit
     * entry and the idempotency record.
     */
    public void create(WorkstationItem item, long latestImageVersion, TransactionPart audit,
                       @Nullable TransactionPart idempotency) {
        Map<String, AttributeValue> attributes = new java.util.HashMap<>(item.toItem(true));
        attributes.put(LATEST_IMAGE, AttributeValue.fromN(Long.toString(latestImageVersion)));
        Transaction tx = table.transaction()
                .check(Keys.workspaceItem(item.slug()), Condition.present(Refused.WORKSPACE_GONE))
                .put(attributes, Condition.absent(Refused.ALREADY_EXISTS))
                .add(audit);
        if (idempotency != null) {
            tx.add(idempotency);
        }
        table.commit(tx);
    }

    /**
     * One UpdateItem (a TransactWriteItems with {@code audit}): {@code after}, if the workstation
     * is still at {@code before}'s version.
     *
     * @throws dev.atelier.store.WriteRefusedException naming {@link Refused#CHANGED}
     */
    public void save(WorkstationItem before, WorkstationItem after, @Nullable TransactionPart audit) {
        Expression update = updateOf(after.toItem(false));
        Condition condition = Condition.atVersion(before.version(), Refused.CHANGED);
        ItemKey key = Keys.workstationItem(after.slug(), after.id());
        if (audit == null) {
            table.update(key, update, condition);
        } else {
            table.commit(table.transaction().update(key, update, condition).add(audit));
        }
    }

    /** SET every own attribute {@code item} has, REMOVE the others. */
    private static Expression updateOf(Map<String, AttributeValue> item) {
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        Expression.Builder e = Expression.builder();
        int i = 0;
        for (String name : WorkstationItem.OWN_ATTRIBUTES) {
            if (name.equals("version")) {
                continue;
            }
            String n = "#a" + i;
            e.putExpressionName(n, name);
            AttributeValue value = item.get(name);
            if (value == null) {
                removes.add(n);
            } else {
                sets.add(n + " = :a" + i);
                e.putExpressionValue(":a" + i, value);
            }
            i++;
        }
        sets.add("#v = :v");
        e.putExpressionName("#v", "version").putExpressionValue(":v", item.get("version"));
        return e.expression("SET " + String.join(", ", sets)
                + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes))).build();
    }
}
