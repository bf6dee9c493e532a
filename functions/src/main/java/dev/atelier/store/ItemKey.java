package dev.atelier.store;

import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** The primary key of one item of the table; made by {@link Keys}, never from loose strings. */
public record ItemKey(String pk, String sk) {

    /** The key in DynamoDB's shape. */
    public Map<String, AttributeValue> toMap() {
        return Map.of(TableDefinition.PK, AttributeValue.fromS(pk), TableDefinition.SK, AttributeValue.fromS(sk));
    }

    /** The key in the Enhanced Client's shape. */
    public Key enhanced() {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    /** The key of an item read from the table. */
    public static ItemKey of(Map<String, AttributeValue> item) {
        return new ItemKey(item.get(TableDefinition.PK).s(), item.get(TableDefinition.SK).s());
    }
}
