package dev.atelier.idempotency;

import dev.atelier.config.AtelierConfig;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.TransactionPart;
import dev.atelier.web.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} contract of every create: a replay with the same key and the same
 * request answers the original result; the same key with another request is refused (422).
 * The remembered result is written in the same transaction as the resource it describes, so
 * there is never a resource without its record or the reverse.
 */
@Singleton
public class Idempotency {

    /** How long a key is remembered. */
    public static final Duration RETENTION = Duration.ofHours(24);

    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final DynamoDbTable<IdempotencyItem> table;
    private final JsonMapper json;
    private final Clock clock;

    public Idempotency(DynamoDbEnhancedClient dynamoDb, AtelierConfig config, JsonMapper json, Clock clock) {
        this.table = dynamoDb.table(config.tableName(), IdempotencyItem.SCHEMA);
        this.json = json;
        this.clock = clock;
    }

    /** A request that carries a key, identified by what it asks for. */
    public record Request(String userId, String key, String requestHash) { }

    /**
     * @return the request to remember, or empty when no key was sent
     * @throws ApiException 400 when the key is not 1–255 visible ASCII characters
     */
    public Optional<Request> request(String userId, @Nullable String key, String... fields) {
        if (key == null) {
            return Optional.empty();
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        return Optional.of(new Request(userId, key, TokenSecrets.hash(String.join("\u0000", fields))));
    }

    /**
     * One consistent GetItem: the earlier result of this request, if any.
     *
     * @throws ApiException 422 when the key was used for a different request
     */
    public <T> Optional<T> replay(Request request, Class<T> resultType) {
        Key key = key(request).enhanced();
        return interpret(request, table.getItem(r -> r.key(key).consistentRead(true)), resultType);
    }

    /** The key of the record of {@code request}, for a caller who reads it along with other items. */
    public ItemKey key(Request request) {
        return new ItemKey(Keys.idempotency(request.userId(), request.key()), Keys.IDEMPOTENCY);
    }

    /**
     * As {@link #replay}, for a record the caller read itself (null when there was none).
     *
     * @throws ApiException 422 when the key was used for a different request
     */
    public <T> Optional<T> replay(Request request, @Nullable Map<String, AttributeValue> stored, Class<T> resultType) {
        return interpret(request, stored == null ? null : IdempotencyItem.SCHEMA.mapToItem(stored), resultType);
    }

    private <T> Optional<T> interpret(Request request, @Nullable IdempotencyItem item, Class<T> resultType) {
        if (item == null || Instant.parse(item.createdAt()).plus(RETENTION).isBefore(clock.instant())) {
            return Optional.empty();
        }
        if (!item.requestHash().equals(request.requestHash())) {
            throw ApiException.unprocessable("This Idempotency-Key was already used for a different request");
        }
        try {
            return Optional.of(json.readValue(item.resultJson().getBytes(StandardCharsets.UTF_8), resultType));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What refuses the record of a result: the key was recorded by a concurrent request first. */
    public enum Refused implements Refusal { KEY_USED }

    /** The conditional put that remembers {@code result}; add it to the create's transaction. */
    public TransactionPart remember(Request request, Object result, String location) {
        Instant now = clock.instant();
        String resultJson;
        try {
            resultJson = json.writeValueAsString(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IdempotencyItem item = new IdempotencyItem(request.userId(), request.key(), request.requestHash(), resultJson,
                location, now.toString(), now.plus(RETENTION).getEpochSecond());
        // A record past its retention may linger until TTL removes it: it no longer counts.
        Expression condition = Expression.builder()
                .expression("attribute_not_exists(PK) OR createdAt < :cutoff")
                .putExpressionValue(":cutoff", AttributeValue.fromS(now.minus(RETENTION).toString()))
                .build();
        return new TransactionPart(TransactWriteItem.builder().put(p -> p.tableName(table.tableName())
                .item(IdempotencyItem.SCHEMA.itemToMap(item, true))
                .conditionExpression(condition.expression())
                .expressionAttributeValues(condition.expressionValues())).build(), Refused.KEY_USED);
    }
}
