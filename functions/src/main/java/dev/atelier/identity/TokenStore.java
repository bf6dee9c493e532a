package dev.atelier.identity;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;

import java.util.Optional;

/** Access tokens in the table. */
@Singleton
public class TokenStore {

    private final DynamoDbTable<TokenItem> tokens;

    public TokenStore(DynamoDbEnhancedClient dynamoDb, AtelierConfig config) {
        this.tokens = dynamoDb.table(config.tableName(), TokenItem.SCHEMA);
    }

    /** One GetItem: the token whose secret hashes to {@code secretHash}, if any. */
    public Optional<TokenItem> findBySecretHash(String secretHash) {
        Key key = Key.builder().partitionValue(Keys.token(secretHash)).sortValue(Keys.TOKEN).build();
        return Optional.ofNullable(tokens.getItem(r -> r.key(key).consistentRead(true)));
    }
}
