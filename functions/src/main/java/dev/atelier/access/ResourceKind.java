package dev.atelier.access;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of resource that carry grants. */
public enum ResourceKind {
    DEFINITION("definition", "definitions"),
    IMAGE("image", "images"),
    WORKSTATION("workstation", "workstations");

    private final String wireName;
    private final String collection;

    ResourceKind(String wireName, String collection) {
        this.wireName = wireName;
        this.collection = collection;
    }

    /** As in {@code resource=definition:<id>}. */
    public String wireName() {
        return wireName;
    }

    /** As in {@code /workspaces/{slug}/definitions/…}. */
    public String collection() {
        return collection;
    }

    public static Optional<ResourceKind> parse(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }

    public static Optional<ResourceKind> fromCollection(String collection) {
        return Arrays.stream(values()).filter(k -> k.collection.equals(collection)).findFirst();
    }
}
