package dev.atelier.idempotency;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * The remembered result of a create made with an Idempotency-Key, kept for a day.
 *
 * @param requestHash what the request asked for, to tell a replay from a reuse of the key
 * @param resultJson  the created resource as it was answered
 */
public record IdempotencyItem(String userId, String key, String requestHash, String resultJson, String location,
                              String createdAt, long ttl) {

    public static final TableSchema<IdempotencyItem> SCHEMA = ItemSchema.<IdempotencyItem>of(IdempotencyItem.class,
                    v -> new IdempotencyItem(v.get("userId"), v.get("key"), v.get("requestHash"), v.get("resultJson"),
                            v.get("location"), v.get("createdAt"), v.<Long>get(TableDefinition.TTL_ATTRIBUTE)),
                    i -> Keys.idempotency(i.userId(), i.key()), i -> Keys.IDEMPOTENCY)
            .string("userId", IdempotencyItem::userId)
            .string("key", IdempotencyItem::key)
            .string("requestHash", IdempotencyItem::requestHash)
            .string("resultJson", IdempotencyItem::resultJson)
            .string("location", IdempotencyItem::location)
            .string("createdAt", IdempotencyItem::createdAt)
            .number(TableDefinition.TTL_ATTRIBUTE, IdempotencyItem::ttl)
            .build();
}
