package dev.atelier.workstation;

import dev.atelier.store.Condition;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.TransactionPart;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A workspace's auto-stop default ({@code WS#<slug>} / {@code AUTOSTOP}) and a workstation's last
 * activity someone asked to count ({@code lastActivityAt} on the workstation, outside its own
 * attributes so it changes neither its version nor its ETag). Each method is one DynamoDB request.
 */
@Singleton
public class AutoStopStore {

    /** What refuses a write. */
    public enum Refused implements Refusal {
        /** The workspace (or the workstation) is gone. */
        GONE
    }

    /** The stored default: its settings, who set it and when. */
    public record Default(AutoStop settings, String updatedAt, String updatedBy) { }

    private final Table table;

    public AutoStopStore(Table table) {
        this.table = table;
    }

    public static ItemKey key(String slug) {
        return new ItemKey(Keys.workspace(slug), Keys.AUTO_STOP);
    }

    /** One consistent GetItem. */
    public Optional<Default> get(String slug) {
        return table.get(key(slug)).map(AutoStopStore::of);
    }

    /** The default an item read with others holds (an empty map: none). */
    @Nullable
    public static AutoStop settingsOf(Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? null : of(item).settings();
    }

    /** One TransactWriteItems: the default of a workspace that still exists, with its audit entry. */
    public void put(String slug, AutoStop settings, String at, String by, TransactionPart audit) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableDefinition.PK, AttributeValue.fromS(Keys.workspace(slug)));
        item.put(TableDefinition.SK, AttributeValue.fromS(Keys.AUTO_STOP));
        if (settings.idleMinutes() != null) {
            item.put("idleMinutes", AttributeValue.fromN(settings.idleMinutes().toString()));
        }
        if (settings.warnMinutes() != null) {
            item.put("warnMinutes", AttributeValue.fromN(settings.warnMinutes().toString()));
        }
        if (settings.schedule() != null) {
            item.put("schedule", AttributeValue.fromS(settings.schedule().encode()));
        }
        item.put("updatedAt", AttributeValue.fromS(at));
        item.put("updatedBy", AttributeValue.fromS(by));
        table.commit(table.transaction()
                .check(Keys.workspaceItem(slug), Condition.present(Refused.GONE))
                .put(item, null)
                .add(audit));
    }

    /** One UpdateItem: someone is at the workstation at {@code at} (the idle deadline counts from it). */
    public void keepAlive(String slug, String id, String at) {
        table.update(Keys.workstationItem(slug, id), Expression.builder().expression("SET #t = :t")
                .putExpressionName("#t", "lastActivityAt").putExpressionValue(":t", AttributeValue.fromS(at)).build(),
                Condition.present(Refused.GONE));
    }

    private static Default of(Map<String, AttributeValue> item) {
        AttributeValue idle = item.get("idleMinutes");
        AttributeValue warn = item.get("warnMinutes");
        AttributeValue schedule = item.get("schedule");
        return new Default(new AutoStop(idle == null ? null : Long.parseLong(idle.n()),
                warn == null ? null : Long.parseLong(warn.n()),
                AutoStop.Schedule.decode(schedule == null ? null : schedule.s())),
                item.get("updatedAt") == null ? null : item.get("updatedAt").s(),
                item.get("updatedBy") == null ? null : item.get("updatedBy").s());
    }
}
