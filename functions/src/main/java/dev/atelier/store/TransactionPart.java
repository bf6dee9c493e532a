package dev.atelier.store;

import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A write that belongs to another operation's transaction (an audit entry, an idempotency
 * record), so it happens exactly when that operation happens.
 *
 * @param writeItem the write, in DynamoDB's shape
 * @param refusal   what it means when its condition does not hold ({@code null}: it has none)
 */
public record TransactionPart(TransactWriteItem writeItem, @Nullable Refusal refusal) {
}
