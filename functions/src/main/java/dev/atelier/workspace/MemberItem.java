package dev.atelier.workspace;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.util.List;

/**
 * A user's membership of a workspace, stored under the workspace and listed per user through
 * GSI1. It repeats the workspace's id, name and creation time so a user's workspace list is
 * one Query; a rename rewrites these copies. It carries everything authorization needs about
 * the member — role, actions, groups — so one read gives the facts of a request.
 *
 * @param actions  the member's action toggles (wire names), none for a new member
 * @param groupIds the workspace groups the member belongs to
 * @param version  incremented by every change to the member; their ETag
 */
public record MemberItem(String slug, String userId, String email, String role, String joinedAt,
                         String workspaceId, String workspaceName, String workspaceCreatedAt,
                         List<String> actions, List<String> groupIds, long version) {

    public static final String OWNER = "owner";
    public static final String MEMBER = "member";
    /** The attribute holding the member's groups, as a map of group id → true. */
    public static final String GROUPS = "groups";

    public MemberItem {
        actions = List.copyOf(actions);
        groupIds = List.copyOf(groupIds);
    }

    public static final TableSchema<MemberItem> SCHEMA = ItemSchema.<MemberItem>of(MemberItem.class,
                    v -> new MemberItem(v.get("slug"), v.get("userId"), v.get("email"), v.get("role"), v.get("joinedAt"),
                            v.get("workspaceId"), v.get("workspaceName"), v.get("workspaceCreatedAt"),
                            v.strings("actions"), v.strings(GROUPS), v.number("version")),
                    m -> Keys.workspace(m.slug()), m -> Keys.member(m.userId()))
            .gsi1(m -> Keys.user(m.userId()), m -> Keys.workspaceOfMember(m.slug()))
            .string("slug", MemberItem::slug)
            .string("userId", MemberItem::userId)
            .string("email", MemberItem::email)
            .string("role", MemberItem::role)
            .string("joinedAt", MemberItem::joinedAt)
            .string("workspaceId", MemberItem::workspaceId)
            .string("workspaceName", MemberItem::workspaceName)
            .string("workspaceCreatedAt", MemberItem::workspaceCreatedAt)
            .strings("actions", MemberItem::actions)
            .nameSet(GROUPS, MemberItem::groupIds)
            .number("version", MemberItem::version)
            .build();

    public boolean owner() {
        return OWNER.equals(role);
    }

    public MemberItem withActions(List<String> newActions) {
        return new MemberItem(slug, userId, email, role, joinedAt, workspaceId, workspaceName, workspaceCreatedAt,
                newActions, groupIds, version + 1);
    }

    public MemberItem withGroups(List<String> newGroupIds) {
        return new MemberItem(slug, userId, email, role, joinedAt, workspaceId, workspaceName, workspaceCreatedAt,
                actions, newGroupIds, version + 1);
    }

    public MemberItem withWorkspaceName(String name) {
        return new MemberItem(slug, userId, email, role, joinedAt, workspaceId, name, workspaceCreatedAt,
                actions, groupIds, version);
    }
}
