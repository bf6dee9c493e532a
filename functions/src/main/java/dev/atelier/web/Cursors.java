package dev.atelier.web;

import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * List cursors: DynamoDB's LastEvaluatedKey (string attributes only) made opaque. A decoded
 * cursor is checked against the partition the caller is allowed to list, so a cursor cannot
 * move a query into another partition.
 */
public final class Cursors {

    /** Default and largest page sizes of every list. */
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    private static final char SEPARATOR = '\u001f';

    private Cursors() { }

    @Nullable
    public static String encode(@Nullable Map<String, AttributeValue> lastKey) {
        if (lastKey == null || lastKey.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        lastKey.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                out.append(e.getKey()).append(SEPARATOR).append(e.getValue().s()).append(SEPARATOR));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param attributes   the key attributes the cursor must hold, no more, no less
     * @param partitionKey the attribute that must equal {@code partition}
     * @throws ApiException 400 naming {@code cursor} when it is not one this list issued
     */
    @Nullable
    public static Map<String, AttributeValue> decode(@Nullable String cursor, List<String> attributes,
                                                     String partitionKey, String partition) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(String.valueOf(SEPARATOR), -1);
            for (int i = 0; i + 1 < parts.length; i += 2) {
                key.put(parts[i], AttributeValue.fromS(parts[i + 1]));
            }
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        AttributeValue owner = key.get(partitionKey);
        if (key.size() != attributes.size() || !key.keySet().containsAll(attributes)
                || owner == null || !partition.equals(owner.s())) {
            throw invalid();
        }
        return key;
    }

    /**
     * @throws ApiException 400 naming {@code limit} when it is outside 1…{@link #MAX_LIMIT}
     */
    public static int limit(@Nullable String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static ApiException invalid() {
        return ApiException.invalid("cursor", "is not a cursor of this list");
    }
}
