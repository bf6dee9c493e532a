package dev.atelier.store;

import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A write that belongs to another operation's transaction (an audit entry, an idempotency
 * record), so it happens exactly when that operation happens. It can join an Enhanced Client
 * transaction or a {@link Transaction}.
 */
public interface TransactionPart {

    void addTo(TransactWriteItemsEnhancedRequest.Builder transaction);

    /** The same write as a low-level transaction item. */
    TransactWriteItem writeItem();
}
