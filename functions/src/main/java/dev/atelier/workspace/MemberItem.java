package dev.atelier.workspace;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A user's membership of a workspace, stored under the workspace and listed per user through
 * GSI1. It repeats the workspace's id, name and creation time so a user's workspace list is
 * one Query; a rename must rewrite these copies.
 */
public record MemberItem(String slug, String userId, String role, String joinedAt,
                         String workspaceId, String workspaceName, String workspaceCreatedAt) {

    public static final String OWNER = "owner";
    public static final String MEMBER = "member";

    public static final TableSchema<MemberItem> SCHEMA = ItemSchema.<MemberItem>of(MemberItem.class,
                    v -> new MemberItem(v.get("slug"), v.get("userId"), v.get("role"), v.get("joinedAt"),
                            v.get("workspaceId"), v.get("workspaceName"), v.get("workspaceCreatedAt")),
                    m -> Keys.workspace(m.slug()), m -> Keys.member(m.userId()))
            .gsi1(m -> Keys.user(m.userId()), m -> Keys.workspaceOfMember(m.slug()))
            .string("slug", MemberItem::slug)
            .string("userId", MemberItem::userId)
            .string("role", MemberItem::role)
            .string("joinedAt", MemberItem::joinedAt)
            .string("workspaceId", MemberItem::workspaceId)
            .string("workspaceName", MemberItem::workspaceName)
            .string("workspaceCreatedAt", MemberItem::workspaceCreatedAt)
            .build();
}
