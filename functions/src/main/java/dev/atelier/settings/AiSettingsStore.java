package dev.atelier.settings;

import dev.atelier.store.WriteRefusedException;
import dev.atelier.store.Refusal;
import dev.atelier.store.Condition;
import dev.atelier.store.Table;
import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import dev.atelier.store.TransactionPart;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.Optional;

/** AI settings in the table. Each method is one DynamoDB request. */
@Singleton
public class AiSettingsStore {

    private final Table store;
    private final DynamoDbTable<AiSettingsItem> table;

    public AiSettingsStore(DynamoDbEnhancedClient dynamoDb, Table store, AtelierConfig config) {
        this.store = store;
        this.table = dynamoDb.table(config.tableName(), AiSettingsItem.SCHEMA);
    }

    /** Thrown when the settings changed since they were read. */
    public static final class StaleException extends RuntimeException {
        StaleException() {
            super("stale", null, false, false);
        }
    }

    /** One GetItem (consistent). */
    public Optional<AiSettingsItem> get(String slug) {
        return Optional.ofNullable(table.getItem(r -> r.consistentRead(true)
                .key(Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.AI_SETTINGS).build())));
    }

    /**
     * One TransactWriteItems: the settings, if still at {@code expectedVersion} (0: never set),
     * and the audit entry.
     *
     * @throws StaleException when they changed since they were read
     */
    public void put(long expectedVersion, AiSettingsItem next, TransactionPart audit) {
        Condition condition = expectedVersion == 0 ? Condition.absent(Refused.STALE)
                : Condition.atVersion(expectedVersion, Refused.STALE);
        try {
            store.commit(store.transaction().put(AiSettingsItem.SCHEMA, next, condition).add(audit));
        } catch (WriteRefusedException e) {
            throw new StaleException();
        }
    }

    /** What refuses a write of the settings. */
    enum Refused implements Refusal { STALE }
}
