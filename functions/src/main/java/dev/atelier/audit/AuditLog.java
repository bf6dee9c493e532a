package dev.atelier.audit;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.TransactionPart;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The audit log: who changed what, when, before and after. Entries are written inside the
 * transaction of the change they describe, so the log holds exactly the changes that happened.
 * Fields that hold secrets are replaced by {@value #REDACTED} before anything is stored.
 */
@Singleton
public class AuditLog {

    public static final String REDACTED = "[redacted]";

    /** Field names whose values never reach the log. */
    static final Set<String> SECRET_FIELDS = Set.of("apiKey", "token", "secret", "password", "secretHash",
            "apiKeyCiphertext");

    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK);

    private final DynamoDbTable<AuditItem> table;
    private final String tableName;
    private final JsonMapper json;
    private final Clock clock;

    public AuditLog(DynamoDbEnhancedClient dynamoDb, AtelierConfig config, JsonMapper json, Clock clock) {
        this.table = dynamoDb.table(config.tableName(), AuditItem.SCHEMA);
        this.tableName = config.tableName();
        this.json = json;
        this.clock = clock;
    }

    /** An entry of the audit log as the API shows it. */
    @Serdeable
    public record Entry(String at, String actor, String action, String target,
                        @Nullable Object before, @Nullable Object after) { }

    /**
     * The entry for one change, to add to the change's transaction.
     *
     * @param action what happened, e.g. {@code workspace.create}
     * @param target what it happened to, e.g. {@code workspace:acme}
     */
    public TransactionPart entry(String slug, String actor, String action, String target,
                                 @Nullable Object before, @Nullable Object after) {
        String at = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        // Newest first: the sort key inverts time, so a forward Query reads the latest entries.
        String sortKey = invert(at) + "#" + UUID.randomUUID();
        AuditItem item = new AuditItem(slug, sortKey, at, actor, action, target, redactedJson(before),
                redactedJson(after));
        return new TransactionPart(TransactWriteItem.builder().put(p -> p.tableName(tableName)
                .item(AuditItem.SCHEMA.itemToMap(item, true))).build(), null);
    }

    /** One Query: a page of a workspace's audit log, newest first. */
    public Page<Entry> list(String slug, int limit, @Nullable String cursor) {
        return list(slug, null, limit, cursor);
    }

    /**
     * One Query: a page of the audit log of the workspace now holding {@code slug}, newest
     * first, from {@code since} on. The log of a deleted workspace is kept; bounding the Query
     * by the current workspace's creation time keeps a later workspace that takes the same
     * slug from reading it.
     */
    public Page<Entry> list(String slug, @Nullable String since, int limit, @Nullable String cursor) {
        String partition = Keys.audit(slug);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        // Sort keys invert time: entries at or after `since` sort at or before its inverted form.
        QueryConditional condition = since == null
                ? QueryConditional.keyEqualTo(Key.builder().partitionValue(partition).build())
                : QueryConditional.sortLessThanOrEqualTo(Key.builder().partitionValue(partition)
                        .sortValue(invert(since) + "#\uffff").build());
        var page = table.query(r -> r.queryConditional(condition)
                .limit(limit).exclusiveStartKey(startKey)).iterator().next();
        List<Entry> entries = page.items().stream().map(i -> new Entry(i.at(), i.actor(), i.action(), i.target(),
                parse(i.before()), parse(i.after()))).toList();
        return new Page<>(entries, Cursors.encode(page.lastEvaluatedKey()));
    }

    @Nullable
    String redactedJson(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode tree = json.writeValueToTree(value);
            return json.writeValueAsString(redact(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            for (var field : node.entries()) {
                fields.put(field.getKey(), SECRET_FIELDS.contains(field.getKey()) && !field.getValue().isNull()
                        ? JsonNode.createStringNode(REDACTED) : redact(field.getValue()));
            }
            return JsonNode.createObjectNode(fields);
        }
        if (node.isArray()) {
            List<JsonNode> values = new java.util.ArrayList<>();
            node.values().forEach(v -> values.add(redact(v)));
            return JsonNode.createArrayNode(values);
        }
        return node;
    }

    @Nullable
    private Object parse(@Nullable String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Maps a timestamp to a string that sorts in the opposite order. */
    static String invert(String timestamp) {
        StringBuilder out = new StringBuilder(timestamp.length());
        for (char c : timestamp.toCharArray()) {
            out.append(Character.isDigit(c) ? (char) ('9' - (c - '0')) : c);
        }
        return out.toString();
    }
}
