package dev.atelier.definition;

import dev.atelier.access.Principal;
import dev.atelier.grant.GrantStore;
import dev.atelier.grant.GrantsItem;
import dev.atelier.imagebuild.BuildItem;
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

/**
 * Workstation definitions in the table: each definition with its CLI name's claim, its grants
 * and the record of the build of each version, written together. Each method is one DynamoDB
 * request.
 */
@Singleton
public class DefinitionStore {

    /** What refuses a write of a definition. */
    public enum Refused implements Refusal {
        /** Another definition of the workspace has this CLI name. */
        CLI_NAME_TAKEN,
        /** The definition changed (or was deleted) since it was read. */
        DEFINITION_CHANGED,
        /** A definition (or build) with this id exists: never, with random ids. */
        ALREADY_EXISTS,
        /** The workspace was deleted while the request ran. */
        WORKSPACE_GONE
    }

    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK);

    private final Table table;

    public DefinitionStore(Table table) {
        this.table = table;
    }

    /** One TransactGetItems: the items at {@code keys}, in order, {@code null} where there is none. */
    List<Map<String, AttributeValue>> read(List<ItemKey> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        table.getAll(keys).forEach(item -> items.add(item.isEmpty() ? null : item));
        return items;
    }

    /** One Query: a page of the workspace's definitions, by id. */
    Page<DefinitionItem> page(String slug, int limit, @Nullable String cursor) {
        String partition = Keys.workspace(slug);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        var response = table.queryPrefix(partition, Keys.resource(DefinitionItem.KIND, ""), true, null, limit, startKey);
        return new Page<>(response.items().stream().map(DefinitionItem.SCHEMA::mapToItem).toList(),
                Cursors.encode(response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null));
    }

    /**
     * One TransactWriteItems: a new definition, its CLI name's claim, its grants, a check that
     * each principal the grants name ({@code checked}) exists, the audit entry, the idempotency
     * record and the first build's record.
     *
     * @throws dev.atelier.store.WriteRefusedException naming {@link Refused}, {@link GrantStore.PrincipalGone}
     *                                                 (index in {@code checked}) or the idempotency key's refusal
     */
    void create(DefinitionItem item, List<GrantsItem.Entry> grants, List<Principal> checked, TransactionPart audit,
                @Nullable TransactionPart idempotency, @Nullable BuildItem build) {
        Transaction tx = table.transaction()
                .check(Keys.workspaceItem(item.slug()), Condition.present(Refused.WORKSPACE_GONE))
                .put(DefinitionItem.SCHEMA, item, Condition.absent(Refused.ALREADY_EXISTS))
                .put(CliNameItem.SCHEMA, new CliNameItem(item.slug(), item.cliName(), item.id()),
                        Condition.absent(Refused.CLI_NAME_TAKEN))
                .put(GrantsItem.SCHEMA, new GrantsItem(item.slug(), DefinitionItem.KIND, item.id(),
                        grants.stream().map(GrantsItem.Entry::encode).toList(), 1), Condition.absent(Refused.ALREADY_EXISTS));
        for (int i = 0; i < checked.size(); i++) {
            Principal p = checked.get(i);
            tx.check(p.type() == Principal.Type.USER ? Keys.memberItem(item.slug(), p.id()) : Keys.groupItem(item.slug(), p.id()),
                    Condition.present(new GrantStore.PrincipalGone(i)));
        }
        tx.add(audit);
        if (idempotency != null) {
            tx.add(idempotency);
        }
        table.commit(withBuild(tx, build));
    }

    /**
     * One TransactWriteItems: the next version, if the definition is still at {@code before}'s
     * version and image (the build steps may record a newer image meanwhile, without a new
     * version: the put must not undo that); the CLI name moved when it changed; the audit entry
     * and the version's build record.
     *
     * @throws dev.atelier.store.WriteRefusedException naming {@link Refused#DEFINITION_CHANGED} or
     *                                                 {@link Refused#CLI_NAME_TAKEN}
     */
    void update(DefinitionItem before, DefinitionItem after, TransactionPart audit, @Nullable BuildItem build) {
        Expression.Builder image = Expression.builder();
        if (before.builds().imageBuildId() != null) {
            image.expression("currentImageBuildId = :ci")
                    .putExpressionValue(":ci", AttributeValue.fromS(before.builds().imageBuildId()));
        } else {
            image.expression("attribute_not_exists(currentImageBuildId)");
        }
        Transaction tx = table.transaction().put(DefinitionItem.SCHEMA, after,
                Condition.atVersion(before.version(), Refused.DEFINITION_CHANGED).and(image.build()));
        if (!after.cliName().equals(before.cliName())) {
            tx.put(CliNameItem.SCHEMA, new CliNameItem(after.slug(), after.cliName(), after.id()),
                    Condition.absent(Refused.CLI_NAME_TAKEN));
            tx.delete(Keys.cliNameItem(before.slug(), before.cliName()), null);
        }
        table.commit(withBuild(tx.add(audit), build));
    }

    /**
     * One TransactWriteItems: the definition (at the version read), its grants and its CLI name,
     * with the audit entry.
     *
     * @throws dev.atelier.store.WriteRefusedException naming {@link Refused#DEFINITION_CHANGED}
     */
    void delete(DefinitionItem item, TransactionPart audit) {
        table.commit(table.transaction()
                .delete(Keys.definitionItem(item.slug(), item.id()),
                        Condition.atVersion(item.version(), Refused.DEFINITION_CHANGED))
                .delete(Keys.grantsItem(item.slug(), DefinitionItem.KIND, item.id()), null)
                .delete(Keys.cliNameItem(item.slug(), item.cliName()), null)
                .add(audit));
    }

    private static Transaction withBuild(Transaction tx, @Nullable BuildItem build) {
        return build == null ? tx : tx.put(build.toItem(), Condition.absent(Refused.ALREADY_EXISTS));
    }
}
