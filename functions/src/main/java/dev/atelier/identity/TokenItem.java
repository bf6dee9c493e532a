package dev.atelier.identity;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.time.Instant;

/**
 * An access token as stored: found by the SHA-256 of its secret, never by the secret itself.
 * Its user's token list holds a {@link UserTokenItem} for it, written in the same transaction.
 *
 * @param secretHash hex SHA-256 of the token's secret
 * @param email      the user's email, copied so authentication is one read
 * @param ttl        expiry in epoch seconds, so DynamoDB removes expired tokens by itself
 */
public record TokenItem(String secretHash, String tokenId, String userId, String email, String name, boolean siteAdmin,
                        String createdAt, String expiresAt, long ttl) {

    public static final TableSchema<TokenItem> SCHEMA = ItemSchema.<TokenItem>of(TokenItem.class,
                    v -> new TokenItem(v.<String>get("secretHash"), v.get("tokenId"), v.get("userId"), v.get("email"), v.get("name"),
                            v.bool("siteAdmin"), v.get("createdAt"), v.get("expiresAt"),
                            v.<Long>get(TableDefinition.TTL_ATTRIBUTE)),
                    t -> Keys.token(t.secretHash()), t -> Keys.TOKEN)
            .string("secretHash", TokenItem::secretHash)
            .string("tokenId", TokenItem::tokenId)
            .string("userId", TokenItem::userId)
            .string("email", TokenItem::email)
            .string("name", TokenItem::name)
            .bool("siteAdmin", TokenItem::siteAdmin)
            .string("createdAt", TokenItem::createdAt)
            .string("expiresAt", TokenItem::expiresAt)
            .number(TableDefinition.TTL_ATTRIBUTE, TokenItem::ttl)
            .build();

    public boolean expiredAt(Instant now) {
        return !now.isBefore(Instant.parse(expiresAt));
    }
}
