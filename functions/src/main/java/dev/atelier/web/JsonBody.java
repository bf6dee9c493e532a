package dev.atelier.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A request body read as a JSON object, checked field by field. Every problem found is
 * collected and reported at once by {@link #validate()}, each naming its field: a missing
 * body, malformed JSON, a field of the wrong type, or a field the operation does not know.
 *
 * <p>A PUT or PATCH also names the read-only fields of the representation it changes: they are
 * set aside ({@link #echoed()}) and accepted only with their current value, so a client can send
 * back what GET answered with its changes.
 */
public final class JsonBody {

    private final JsonNode root;
    private final List<Problem.FieldError> errors = new ArrayList<>();
    private final EchoedFields echoed;

    private JsonBody(JsonNode root, EchoedFields echoed) {
        this.root = root;
        this.echoed = echoed;
    }

    /**
     * Parses the raw body.
     *
     * @throws ApiException 400 when the body is missing, not JSON, or not a JSON object
     */
    public static JsonBody parse(JsonMapper mapper, @Nullable String raw, Set<String> knownFields) {
        return parse(mapper, raw, knownFields, Set.of());
    }

    /**
     * Parses the body of a PUT or PATCH whose representation has read-only fields: those present
     * are kept in {@link #echoed()} rather than noted as unknown.
     *
     * @throws ApiException 400 when the body is missing, not JSON, or not a JSON object
     */
    public static JsonBody parse(JsonMapper mapper, @Nullable String raw, Set<String> knownFields,
                                 Set<String> readOnlyFields) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.invalid("body", "a JSON object is required");
        }
        JsonNode node;
        try {
            node = mapper.readValue(raw.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalid("body", "malformed JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        JsonBody body = new JsonBody(node, new EchoedFields(mapper));
        for (var entry : node.entries()) {
            if (readOnlyFields.contains(entry.getKey())) {
                body.echoed.add(entry.getKey(), entry.getValue());
            } else if (!knownFields.contains(entry.getKey())) {
                body.errors.add(new Problem.FieldError(entry.getKey(), "unknown field"));
            }
        }
        return body;
    }

    /** A string field that must be present and not blank; {@code null} (with an error noted) otherwise. */
    @Nullable
    public String requiredString(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            errors.add(new Problem.FieldError(field, "is required"));
            return null;
        }
        return string(field, value);
    }

    /** A string field that may be absent or null. */
    @Nullable
    public String optionalString(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return string(field, value);
    }

    /** A whole-number field that must be present; {@code null} (with an error noted) otherwise. */
    @Nullable
    public Long requiredInteger(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            errors.add(new Problem.FieldError(field, "is required"));
            return null;
        }
        Number number = value.isNumber() ? value.getNumberValue() : null;
        if (number == null || !(number instanceof Integer || number instanceof Long)) {
            errors.add(new Problem.FieldError(field, "must be a whole number"));
            return null;
        }
        return number.longValue();
    }

    /** Whether the body has the field at all (a JSON null counts: it says "clear this"). */
    public boolean has(String field) {
        return root.get(field) != null;
    }

    /**
     * An array of strings that must be present; elements that are not strings are noted as
     * errors ({@code field[i]}) and come back as null.
     */
    @Nullable
    public List<String> requiredStrings(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            errors.add(new Problem.FieldError(field, "is required"));
            return null;
        }
        if (!value.isArray()) {
            errors.add(new Problem.FieldError(field, "must be an array of strings"));
            return null;
        }
        List<String> strings = new ArrayList<>();
        int i = 0;
        for (JsonNode element : value.values()) {
            if (element.isString()) {
                strings.add(element.getStringValue());
            } else {
                errors.add(new Problem.FieldError(field + "[" + i + "]", "must be a string"));
                strings.add(null);
            }
            i++;
        }
        return strings;
    }

    /** The raw value of a field, for parts of a body read elsewhere; null when absent. */
    @Nullable
    public JsonNode node(String field) {
        return root.get(field);
    }

    /** The read-only fields the body carried, to check once the current representation is known. */
    public EchoedFields echoed() {
        return echoed;
    }

    /**
     * Notes each read-only field the body carried with another value than in {@code current},
     * the representation GET answers now; for operations that have it at hand while parsing.
     */
    public void rejectChangedReadOnly(Object current) {
        errors.addAll(echoed.changedFrom(current));
    }

    /** Where problems are collected, for parts of a body read elsewhere. */
    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** Notes a problem with a field found by the caller's own rules. */
    public void reject(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    public boolean hasError(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** @throws ApiException 400 listing every problem noted so far */
    public void validate() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    @Nullable
    private String string(String field, JsonNode value) {
        if (!value.isString()) {
            errors.add(new Problem.FieldError(field, "must be a string"));
            return null;
        }
        return value.getStringValue();
    }
}
