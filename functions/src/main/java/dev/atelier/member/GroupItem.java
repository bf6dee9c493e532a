package dev.atelier.member;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.util.List;

/**
 * A group (team) of members of a workspace. Its members also carry the group's id on their
 * member item, which is what authorization reads; both are written in one transaction.
 */
public record GroupItem(String slug, String id, String name, List<String> memberIds, String createdAt, long version) {

    /** The attribute holding the group's members, as a map of user id → true. */
    public static final String MEMBERS = "members";

    public GroupItem {
        memberIds = List.copyOf(memberIds);
    }

    public static final TableSchema<GroupItem> SCHEMA = ItemSchema.<GroupItem>of(GroupItem.class,
                    v -> new GroupItem(v.get("slug"), v.get("id"), v.get("name"), v.strings(MEMBERS),
                            v.get("createdAt"), v.number("version")),
                    g -> Keys.workspace(g.slug()), g -> Keys.group(g.id()))
            .string("slug", GroupItem::slug)
            .string("id", GroupItem::id)
            .string("name", GroupItem::name)
            .nameSet(MEMBERS, GroupItem::memberIds)
            .string("createdAt", GroupItem::createdAt)
            .number("version", GroupItem::version)
            .build();
}
