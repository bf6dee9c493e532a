package dev.atelier.workspace;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A workspace as stored, keyed by its slug (slugs never change).
 *
 * @param primaryColor    {@code #rrggbb}, lower case; null for the default
 * @param logoKey         the blob-bucket key of the logo; null when the workspace shows the default
 * @param logoContentType the logo's media type, when there is one
 * @param logoUpdatedAt   when the logo was last replaced, when there is one
 * @param version         incremented by every change; the workspace's ETag
 */
public record WorkspaceItem(String slug, String id, String name, String createdAt, String createdBy,
                            @Nullable String primaryColor, @Nullable String logoKey,
                            @Nullable String logoContentType, @Nullable String logoUpdatedAt, long version) {

    /** The colour a workspace shows until one is chosen. */
    public static final String DEFAULT_PRIMARY_COLOR = "#4f46e5";

    public static final TableSchema<WorkspaceItem> SCHEMA = ItemSchema.<WorkspaceItem>of(WorkspaceItem.class,
                    v -> new WorkspaceItem(v.get("slug"), v.get("id"), v.get("name"), v.get("createdAt"),
                            v.get("createdBy"), v.get("primaryColor"), v.get("logoKey"), v.get("logoContentType"),
                            v.get("logoUpdatedAt"), v.number("version")),
                    w -> Keys.workspace(w.slug()), w -> Keys.WORKSPACE)
            .string("slug", WorkspaceItem::slug)
            .string("id", WorkspaceItem::id)
            .string("name", WorkspaceItem::name)
            .string("createdAt", WorkspaceItem::createdAt)
            .string("createdBy", WorkspaceItem::createdBy)
            .string("primaryColor", WorkspaceItem::primaryColor)
            .string("logoKey", WorkspaceItem::logoKey)
            .string("logoContentType", WorkspaceItem::logoContentType)
            .string("logoUpdatedAt", WorkspaceItem::logoUpdatedAt)
            .number("version", WorkspaceItem::version)
            .build();

    /** A new workspace: default colour, default logo, version 1. */
    public static WorkspaceItem created(String slug, String id, String name, String createdAt, String createdBy) {
        return new WorkspaceItem(slug, id, name, createdAt, createdBy, null, null, null, null, 1);
    }

    public String effectivePrimaryColor() {
        return primaryColor == null ? DEFAULT_PRIMARY_COLOR : primaryColor;
    }

    /** The same workspace with new name and colour, one version later. */
    public WorkspaceItem withSettings(String newName, @Nullable String newPrimaryColor) {
        return new WorkspaceItem(slug, id, newName, createdAt, createdBy, newPrimaryColor, logoKey, logoContentType,
                logoUpdatedAt, version + 1);
    }

    /** The same workspace with another logo (all null: the default), one version later. */
    public WorkspaceItem withLogo(@Nullable String key, @Nullable String contentType, @Nullable String updatedAt) {
        return new WorkspaceItem(slug, id, name, createdAt, createdBy, primaryColor, key, contentType, updatedAt,
                version + 1);
    }

    /** The ETag header value of this version. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
