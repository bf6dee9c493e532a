package dev.atelier.member;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** Holds a group name in a workspace so two groups cannot share it (case-insensitive). */
record GroupNameItem(String slug, String lowerCaseName, String groupId) {

    static final TableSchema<GroupNameItem> SCHEMA = ItemSchema.<GroupNameItem>of(GroupNameItem.class,
                    v -> new GroupNameItem(v.get("slug"), v.get("lowerCaseName"), v.get("groupId")),
                    n -> Keys.workspace(n.slug()), n -> Keys.groupName(n.lowerCaseName()))
            .string("slug", GroupNameItem::slug)
            .string("lowerCaseName", GroupNameItem::lowerCaseName)
            .string("groupId", GroupNameItem::groupId)
            .build();
}
