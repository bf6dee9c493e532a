package dev.atelier.identity;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A user's profile as stored. It also sits in GSI1 under the user, just before the user's
 * workspaces, so "who am I and where am I a member" is one Query.
 */
public record UserItem(String id, String email, String displayName, boolean siteAdmin, String createdAt) {

    public static final TableSchema<UserItem> SCHEMA = ItemSchema.<UserItem>of(UserItem.class,
                    v -> new UserItem(v.get("id"), v.get("email"), v.get("displayName"), v.bool("siteAdmin"),
                            v.get("createdAt")),
                    u -> Keys.user(u.id()), u -> Keys.PROFILE)
            .gsi1(u -> Keys.user(u.id()), u -> Keys.PROFILE_IN_USER_INDEX)
            .string("id", UserItem::id)
            .string("email", UserItem::email)
            .string("displayName", UserItem::displayName)
            .bool("siteAdmin", UserItem::siteAdmin)
            .string("createdAt", UserItem::createdAt)
            .build();
}
