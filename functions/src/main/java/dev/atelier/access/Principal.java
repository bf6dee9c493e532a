package dev.atelier.access;

import java.util.Optional;

/**
 * Who a grant is for: a user or a group of the workspace, written {@code user:<id>} or
 * {@code group:<id>} in the API.
 */
public record Principal(Type type, String id) {

    public enum Type { USER, GROUP }

    public static Principal user(String id) {
        return new Principal(Type.USER, id);
    }

    public static Principal group(String id) {
        return new Principal(Type.GROUP, id);
    }

    public static Optional<Principal> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int colon = value.indexOf(':');
        if (colon < 1 || colon == value.length() - 1) {
            return Optional.empty();
        }
        String id = value.substring(colon + 1);
        if (id.length() > 64 || !id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            return Optional.empty();
        }
        return switch (value.substring(0, colon)) {
            case "user" -> Optional.of(user(id));
            case "group" -> Optional.of(group(id));
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return (type == Type.USER ? "user:" : "group:") + id;
    }
}
