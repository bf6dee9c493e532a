package dev.atelier.identity;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A single-use sign-in link as stored: found by the SHA-256 of its token, never by the token.
 * It carries what the session token it turns into needs, so redeeming reads nothing else.
 */
public record LoginLinkItem(String tokenHash, String userId, String email, boolean siteAdmin, String createdAt,
                            String expiresAt, long ttl) {

    public static final TableSchema<LoginLinkItem> SCHEMA = ItemSchema.<LoginLinkItem>of(LoginLinkItem.class,
                    v -> new LoginLinkItem(v.get("tokenHash"), v.get("userId"), v.get("email"), v.bool("siteAdmin"),
                            v.get("createdAt"), v.get("expiresAt"), v.number(TableDefinition.TTL_ATTRIBUTE)),
                    l -> Keys.loginLink(l.tokenHash()), l -> Keys.LOGIN_LINK)
            .string("tokenHash", LoginLinkItem::tokenHash)
            .string("userId", LoginLinkItem::userId)
            .string("email", LoginLinkItem::email)
            .bool("siteAdmin", LoginLinkItem::siteAdmin)
            .string("createdAt", LoginLinkItem::createdAt)
            .string("expiresAt", LoginLinkItem::expiresAt)
            .number(TableDefinition.TTL_ATTRIBUTE, LoginLinkItem::ttl)
            .build();
}
