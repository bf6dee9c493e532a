package dev.atelier.identity;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A token in its user's token list, under the user's own partition: listing is a consistent
 * Query, and revoking finds the token's key (the hash of its secret) here with a consistent
 * read, so a token created a moment ago can be revoked at once (an index would lag).
 *
 * @param secretHash the key of the {@link TokenItem} this entry stands for
 * @param ttl        the token's expiry in epoch seconds; the entry goes when the token goes
 */
public record UserTokenItem(String userId, String tokenId, String secretHash, String name, String createdAt,
                            String expiresAt, long ttl) {

    public static final TableSchema<UserTokenItem> SCHEMA = ItemSchema.<UserTokenItem>of(UserTokenItem.class,
                    v -> new UserTokenItem(v.get("userId"), v.get("tokenId"), v.get("secretHash"), v.get("name"),
                            v.get("createdAt"), v.get("expiresAt"), v.number(TableDefinition.TTL_ATTRIBUTE)),
                    t -> Keys.user(t.userId()), t -> Keys.tokenOfUser(t.tokenId()))
            .string("userId", UserTokenItem::userId)
            .string("tokenId", UserTokenItem::tokenId)
            .string("secretHash", UserTokenItem::secretHash)
            .string("name", UserTokenItem::name)
            .string("createdAt", UserTokenItem::createdAt)
            .string("expiresAt", UserTokenItem::expiresAt)
            .number(TableDefinition.TTL_ATTRIBUTE, UserTokenItem::ttl)
            .build();

    public static UserTokenItem of(TokenItem token) {
        return new UserTokenItem(token.userId(), token.tokenId(), token.secretHash(), token.name(), token.createdAt(),
                token.expiresAt(), token.ttl());
    }
}
