package dev.atelier.testing;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Reads response bodies in tests. */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.createDefault();

    private Json() { }

    public static Map<String, Object> object(String json) {
        try {
            return MAPPER.readValue(json, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON object: " + json, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> items(String json) {
        return (List<Map<String, Object>>) object(json).get("items");
    }

    /** The field names of a problem document's {@code errors}. */
    @SuppressWarnings("unchecked")
    public static List<String> errorFields(String json) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) object(json).get("errors");
        return errors == null ? List.of() : errors.stream().map(e -> (String) e.get("field")).toList();
    }

    /** A problem document's {@code errors}: {@code [{field, message}]}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> errors(String json) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) object(json).get("errors");
        return errors == null ? List.of() : errors;
    }

    /** Any JSON value: objects as maps, arrays as lists. */
    public static Object value(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + json, e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
