package dev.atelier.store;

import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTag;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * Builds a {@link StaticImmutableTableSchema} for an item record without a hand-written builder
 * class per record: attribute values are gathered by name, then the record is made in one step.
 * Schemas are built once, at class initialisation of each item record (no reflection).
 */
public final class ItemSchema<T> {

    /** Attribute values read from DynamoDB, by attribute name. */
    public static final class Values {
        private final Map<String, Object> byName = new HashMap<>();

        @SuppressWarnings("unchecked")
        public <V> V get(String name) {
            return (V) byName.get(name);
        }

        public boolean bool(String name) {
            return Boolean.TRUE.equals(byName.get(name));
        }

        /** A number attribute, 0 when absent. */
        public long number(String name) {
            Object value = byName.get(name);
            return value == null ? 0 : (Long) value;
        }

        /** A string-list attribute, empty when absent. */
        @SuppressWarnings("unchecked")
        public List<String> strings(String name) {
            Object value = byName.get(name);
            return value == null ? List.of() : List.copyOf((List<String>) value);
        }

        void put(String name, Object value) {
            byName.put(name, value);
        }
    }

    private final StaticImmutableTableSchema.Builder<T, Values> builder;

    private ItemSchema(Class<T> type, Function<Values, T> make) {
        this.builder = StaticImmutableTableSchema.builder(type, Values.class)
                .newItemBuilder(Values::new, make);
    }

    /** Starts a schema for items of {@code type} with the table's PK and SK. */
    public static <T> ItemSchema<T> of(Class<T> type, Function<Values, T> make,
                                       Function<T, String> pk, Function<T, String> sk) {
        return new ItemSchema<>(type, make)
                .attribute(String.class, TableDefinition.PK, pk, primaryPartitionKey())
                .attribute(String.class, TableDefinition.SK, sk, primarySortKey());
    }

    /** Adds the GSI1 keys. */
    public ItemSchema<T> gsi1(Function<T, String> pk, Function<T, String> sk) {
        String index = TableDefinition.GSI1.name();
        return attribute(String.class, TableDefinition.GSI1.partitionKey(), pk, secondaryPartitionKey(index))
                .attribute(String.class, TableDefinition.GSI1.sortKey(), sk, secondarySortKey(index));
    }

    public ItemSchema<T> string(String name, Function<T, String> getter) {
        return attribute(String.class, name, getter);
    }

    public ItemSchema<T> number(String name, Function<T, Long> getter) {
        return attribute(Long.class, name, getter);
    }

    public ItemSchema<T> bool(String name, Function<T, Boolean> getter) {
        return attribute(Boolean.class, name, getter);
    }

    /**
     * A set of names stored as a map of name → true, so single names can be added and removed
     * by an UpdateItem ({@code SET #m.#n = :true}, {@code REMOVE #m.#n}) without reading first.
     */
    public ItemSchema<T> nameSet(String name, Function<T, List<String>> getter) {
        builder.addAttribute(EnhancedType.mapOf(String.class, Boolean.class), a -> a.name(name)
                .getter(item -> {
                    Map<String, Boolean> map = new java.util.TreeMap<>();
                    getter.apply(item).forEach(n -> map.put(n, true));
                    return map;
                })
                .setter((values, value) -> values.put(name, value == null ? List.of()
                        : List.copyOf(new java.util.TreeSet<>(value.keySet())))));
        return this;
    }

    /** A list of strings (a DynamoDB list, which unlike a string set may be empty). */
    public ItemSchema<T> strings(String name, Function<T, List<String>> getter) {
        builder.addAttribute(EnhancedType.listOf(String.class), a -> a.name(name)
                .getter(getter)
                .setter((values, value) -> values.put(name, value)));
        return this;
    }

    public StaticImmutableTableSchema<T, Values> build() {
        return builder.build();
    }

    private <V> ItemSchema<T> attribute(Class<V> valueType, String name, Function<T, V> getter,
                                        StaticAttributeTag... tags) {
        builder.addAttribute(valueType, a -> a.name(name)
                .getter(getter)
                .setter((values, value) -> values.put(name, value))
                .tags(tags));
        return this;
    }
}
