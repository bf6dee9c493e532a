package dev.atelier.store;

import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;

/**
 * A write that belongs to another operation's transaction (an audit entry, an idempotency
 * record), so it happens exactly when that operation happens.
 */
public interface TransactionPart {

    void addTo(TransactWriteItemsEnhancedRequest.Builder transaction);
}
