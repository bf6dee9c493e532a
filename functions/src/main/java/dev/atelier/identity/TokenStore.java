package dev.atelier.identity;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.TransactionPart;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Optional;

/** Access tokens in the table. Each method is one DynamoDB request. */
@Singleton
public class TokenStore {

    private static final Expression NEW_ITEM = Expression.builder().expression("attribute_not_exists(PK)").build();
    private static final Expression EXISTING_ITEM = Expression.builder().expression("attribute_exists(PK)").build();
    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK);

    private final DynamoDbEnhancedClient dynamoDb;
    private final DynamoDbTable<TokenItem> tokens;
    private final DynamoDbTable<UserTokenItem> userTokens;

    public TokenStore(DynamoDbEnhancedClient dynamoDb, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.tokens = dynamoDb.table(config.tableName(), TokenItem.SCHEMA);
        this.userTokens = dynamoDb.table(config.tableName(), UserTokenItem.SCHEMA);
    }

    /** One GetItem: the token whose secret hashes to {@code secretHash}, if any. */
    public Optional<TokenItem> findBySecretHash(String secretHash) {
        Key key = Key.builder().partitionValue(Keys.token(secretHash)).sortValue(Keys.TOKEN).build();
        return Optional.ofNullable(tokens.getItem(r -> r.key(key).consistentRead(true)));
    }

    /**
     * One TransactWriteItems: the token, its entry in its user's list and, when given, the
     * audit entry. The secret's hash never repeats (256 random bits), so the put is
     * unconditional on the token and only guards the list entry's id.
     */
    public void create(TokenItem token, @Nullable TransactionPart audit) {
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(tokens, TransactPutItemEnhancedRequest.builder(TokenItem.class)
                        .item(token).conditionExpression(NEW_ITEM).build())
                .addPutItem(userTokens, TransactPutItemEnhancedRequest.builder(UserTokenItem.class)
                        .item(UserTokenItem.of(token)).conditionExpression(NEW_ITEM).build());
        if (audit != null) {
            audit.addTo(tx);
        }
        dynamoDb.transactWriteItems(tx.build());
    }

    /** One consistent GetItem: a token in its user's list. */
    public Optional<UserTokenItem> findOfUser(String userId, String tokenId) {
        Key key = Key.builder().partitionValue(Keys.user(userId)).sortValue(Keys.tokenOfUser(tokenId)).build();
        return Optional.ofNullable(userTokens.getItem(r -> r.key(key).consistentRead(true)));
    }

    /** One consistent Query: a page of the user's tokens, ordered by token id. */
    public Page<UserTokenItem> listOfUser(String userId, int limit, @Nullable String cursor) {
        String partition = Keys.user(userId);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        var page = userTokens.query(r -> r
                .queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(partition).sortValue(Keys.tokenOfUser("")).build()))
                .consistentRead(true)
                .limit(limit)
                .exclusiveStartKey(startKey)).iterator().next();
        return new Page<>(page.items(), Cursors.encode(page.lastEvaluatedKey()));
    }

    /**
     * One TransactWriteItems: the list entry (only if it is still there) and the token itself.
     *
     * @return false when the entry was already gone (revoked concurrently)
     */
    public boolean delete(UserTokenItem entry) {
        try {
            dynamoDb.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addDeleteItem(userTokens, TransactDeleteItemEnhancedRequest.builder()
                            .key(Key.builder().partitionValue(Keys.user(entry.userId()))
                                    .sortValue(Keys.tokenOfUser(entry.tokenId())).build())
                            .conditionExpression(EXISTING_ITEM).build())
                    .addDeleteItem(tokens, Key.builder().partitionValue(Keys.token(entry.secretHash()))
                            .sortValue(Keys.TOKEN).build())
                    .build());
            return true;
        } catch (TransactionCanceledException e) {
            // Only the entry's condition means "already revoked"; a conflict or throttling is not an answer.
            if (!e.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }
}
