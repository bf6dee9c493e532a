package dev.atelier.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only fields a PUT or PATCH body carried: clients send back the representation GET
 * answered, so a read-only field is accepted when its value is the current one and refused
 * ({@code "<field>: is read-only"}) when it differs.
 *
 * <p>Fields are named as in problem documents: {@code id}, or {@code [0].groupName} for a field
 * of an element of an array body. Values compare as JSON: numbers by value, objects whatever the
 * order of their keys, arrays element by element; an absent current value equals {@code null}.
 */
public final class EchoedFields {

    static final String READ_ONLY = "is read-only";

    private final JsonMapper json;
    private final Map<String, JsonNode> values = new LinkedHashMap<>();

    EchoedFields(JsonMapper json) {
        this.json = json;
    }

    /** None yet, for bodies read without {@link JsonBody} (an array body), which add what they find. */
    public static EchoedFields empty(JsonMapper json) {
        return new EchoedFields(json);
    }

    /** Keeps the value a body gave a read-only field, to compare once the current state is known. */
    public void add(String field, JsonNode value) {
        values.put(field, value);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * @param current the current representation, as GET answers it (a view record or a list of them)
     * @return one problem per read-only field whose value differs from {@code current}'s
     */
    public List<Problem.FieldError> changedFrom(Object current) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (values.isEmpty()) {
            return errors;
        }
        JsonNode tree;
        try {
            tree = json.writeValueToTree(current);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.forEach((field, sent) -> {
            if (!same(sent, at(tree, field))) {
                errors.add(new Problem.FieldError(field, READ_ONLY));
            }
        });
        return errors;
    }

    /**
     * Checks the fields against the current representation; call it after the current state is
     * read and before anything is written.
     *
     * @throws ApiException 400 naming every read-only field sent with another value than the current one
     */
    public void check(Object current) {
        List<Problem.FieldError> errors = changedFrom(current);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** The node at {@code a.b} or {@code [i].a}; null when there is none. */
    @Nullable
    private static JsonNode at(JsonNode root, String field) {
        JsonNode node = root;
        for (String part : field.split("\\.")) {
            if (node == null) {
                return null;
            }
            if (part.startsWith("[") && part.endsWith("]")) {
                int index = Integer.parseInt(part.substring(1, part.length() - 1));
                node = node.isArray() && index < node.size() ? node.get(index) : null;
            } else {
                node = node.isObject() ? node.get(part) : null;
            }
        }
        return node;
    }

    /** JSON value equality: numbers by value, object keys in any order, absent as null. */
    static boolean same(@Nullable JsonNode a, @Nullable JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.getNumberValue().toString()).compareTo(new BigDecimal(b.getNumberValue().toString())) == 0;
        }
        if (a.isString() && b.isString()) {
            return a.getStringValue().equals(b.getStringValue());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return a.getBooleanValue() == b.getBooleanValue();
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            Map<String, JsonNode> left = present(a);
            Map<String, JsonNode> right = present(b);
            if (!left.keySet().equals(right.keySet())) {
                return false;
            }
            return left.entrySet().stream().allMatch(e -> same(e.getValue(), right.get(e.getKey())));
        }
        return false;
    }

    /** An object's members without those that are null: a null member and an absent one are alike. */
    private static Map<String, JsonNode> present(JsonNode object) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        for (var entry : object.entries()) {
            if (!entry.getValue().isNull()) {
                members.put(entry.getKey(), entry.getValue());
            }
        }
        return members;
    }
}
