package dev.atelier.grant;

import dev.atelier.access.Principal;
import dev.atelier.store.Condition;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.Transaction;
import dev.atelier.store.TransactionPart;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Grants on resources in the table. Each method is one DynamoDB request. */
@Singleton
public class GrantStore {

    /** What refuses a replacement of grants. */
    public enum Refused implements Refusal {
        /** The grants changed since they were read. */
        GRANTS_CHANGED,
        /** The resource was deleted meanwhile. */
        RESOURCE_GONE
    }

    /** The principal at {@code index} of the grants is no member (or group) of the workspace. */
    public record PrincipalGone(int index) implements Refusal { }

    private final Table table;

    public GrantStore(Table table) {
        this.table = table;
    }

    /** The item that makes {@code principal} exist in the workspace: its member item or group. */
    static ItemKey principalKey(String slug, Principal principal) {
        return principal.type() == Principal.Type.USER ? Keys.memberItem(slug, principal.id())
                : Keys.groupItem(slug, principal.id());
    }

    /** One TransactGetItems: the items at {@code keys}, in order, {@code null} where there is none. */
    List<Map<String, AttributeValue>> read(List<ItemKey> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        table.getAll(keys).forEach(item -> items.add(item.isEmpty() ? null : item));
        return items;
    }

    /**
     * One TransactWriteItems: the grants (if still at the version of {@code before}; absent when
     * {@code null}), the resource's readers (it keeps who may read it, so its list is one Query
     * filtered without more reads), a check that each principal still exists, and the audit entry.
     *
     * @throws dev.atelier.store.WriteRefusedException naming {@link Refused} or {@link PrincipalGone}
     */
    void replace(String slug, String kind, String resourceId, @Nullable GrantsItem before, GrantsItem after,
                 AttributeValue readers, List<Principal> principals, TransactionPart audit) {
        Transaction tx = table.transaction()
                .put(GrantsItem.SCHEMA, after, before == null ? Condition.absent(Refused.GRANTS_CHANGED)
                        : Condition.atVersion(before.version(), Refused.GRANTS_CHANGED))
                .update(Keys.resourceItem(slug, kind, resourceId),
                        Expression.builder().expression("SET readers = :r").putExpressionValue(":r", readers).build(),
                        Condition.present(Refused.RESOURCE_GONE));
        for (int i = 0; i < principals.size(); i++) {
            tx.check(principalKey(slug, principals.get(i)), Condition.present(new PrincipalGone(i)));
        }
        table.commit(tx.add(audit));
    }
}
