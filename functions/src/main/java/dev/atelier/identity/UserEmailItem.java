package dev.atelier.identity;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * An email address in use. Its key makes addresses unique (written with the profile in one
 * transaction, only if absent); its GSI1 entry under {@code USERS}, ordered by address, is the
 * site's user directory, so it repeats what the directory shows.
 */
public record UserEmailItem(String email, String userId, String displayName, boolean siteAdmin, String createdAt) {

    public static final TableSchema<UserEmailItem> SCHEMA = ItemSchema.<UserEmailItem>of(UserEmailItem.class,
                    v -> new UserEmailItem(v.get("email"), v.get("userId"), v.get("displayName"), v.bool("siteAdmin"),
                            v.get("createdAt")),
                    e -> Keys.email(e.email()), e -> Keys.EMAIL)
            .gsi1(e -> Keys.USERS, e -> Keys.email(e.email()))
            .string("email", UserEmailItem::email)
            .string("userId", UserEmailItem::userId)
            .string("displayName", UserEmailItem::displayName)
            .bool("siteAdmin", UserEmailItem::siteAdmin)
            .string("createdAt", UserEmailItem::createdAt)
            .build();

    public static UserEmailItem of(UserItem user) {
        return new UserEmailItem(user.email(), user.id(), user.displayName(), user.siteAdmin(), user.createdAt());
    }
}
