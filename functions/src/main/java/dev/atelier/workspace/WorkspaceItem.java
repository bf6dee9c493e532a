package dev.atelier.workspace;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A workspace as stored, keyed by its slug (slugs never change).
 *
 * @param version incremented by every change; the workspace's ETag
 */
public record WorkspaceItem(String slug, String id, String name, String createdAt, String createdBy, long version) {

    public static final TableSchema<WorkspaceItem> SCHEMA = ItemSchema.<WorkspaceItem>of(WorkspaceItem.class,
                    v -> new WorkspaceItem(v.get("slug"), v.get("id"), v.get("name"), v.get("createdAt"),
                            v.get("createdBy"), v.<Long>get("version")),
                    w -> Keys.workspace(w.slug()), w -> Keys.WORKSPACE)
            .string("slug", WorkspaceItem::slug)
            .string("id", WorkspaceItem::id)
            .string("name", WorkspaceItem::name)
            .string("createdAt", WorkspaceItem::createdAt)
            .string("createdBy", WorkspaceItem::createdBy)
            .number("version", WorkspaceItem::version)
            .build();
}
