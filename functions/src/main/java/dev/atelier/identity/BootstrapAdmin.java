package dev.atelier.identity;

import dev.atelier.store.ItemKey;
import dev.atelier.store.Transaction;
import dev.atelier.store.Table;
import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The site administrator who exists from the first start, signed in with the bootstrap token
 * (locally from {@code ATELIER_BOOTSTRAP_TOKEN} or a generated one; in AWS from the secret the
 * stack creates). Idempotent: run at every start, it renews the token's expiry and, when the
 * token changed, revokes the previous one in the same transaction.
 */
@Singleton
public class BootstrapAdmin {

    public static final String USER_ID = "site-admin";
    public static final String TOKEN_ID = "bootstrap";
    public static final String EMAIL = "admin@atelier.local";
    public static final Duration LIFETIME = Duration.ofDays(365);

    private final Table table;
    private final DynamoDbTable<UserItem> users;
    private final DynamoDbTable<TokenItem> tokens;
    private final DynamoDbTable<UserTokenItem> userTokens;
    private final DynamoDbTable<UserEmailItem> emails;
    private final DynamoDbTable<BootstrapItem> bootstrap;
    private final DynamoDbTable<SitePortalItem> portal;
    private final Clock clock;

    public BootstrapAdmin(DynamoDbEnhancedClient dynamoDb, Table table, AtelierConfig config, Clock clock) {
        this.table = table;
        this.users = dynamoDb.table(config.tableName(), UserItem.SCHEMA);
        this.tokens = dynamoDb.table(config.tableName(), TokenItem.SCHEMA);
        this.userTokens = dynamoDb.table(config.tableName(), UserTokenItem.SCHEMA);
        this.emails = dynamoDb.table(config.tableName(), UserEmailItem.SCHEMA);
        this.bootstrap = dynamoDb.table(config.tableName(), BootstrapItem.SCHEMA);
        this.portal = dynamoDb.table(config.tableName(), SitePortalItem.SCHEMA);
        this.clock = clock;
    }

    /**
     * Makes {@code secret} the site administrator's valid token.
     *
     * @throws IllegalArgumentException when the secret is too weak to be a token
     */
    public void ensure(String secret) {
        if (!TokenSecrets.plausible(secret)) {
            throw new IllegalArgumentException(
                    "The bootstrap token must be 16 to 200 visible ASCII characters without spaces");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String hash = TokenSecrets.hash(secret);
        UserItem admin = new UserItem(USER_ID, EMAIL, "Site administrator", true, now.toString());
        try {
            users.putItem(r -> r.item(admin)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build()));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // The administrator exists; their profile is theirs to keep.
        }
        try {
            // Apart from the profile: sites set up before the user directory existed get theirs too.
            emails.putItem(r -> r.item(UserEmailItem.of(admin))
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build()));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // listed already
        }
        BootstrapItem previous = bootstrap.getItem(Key.builder().partitionValue(Keys.SITE).sortValue(Keys.BOOTSTRAP).build());
        Instant expires = now.plus(LIFETIME);
        TokenItem token = new TokenItem(hash, TOKEN_ID, USER_ID, EMAIL, "Bootstrap token", true, now.toString(),
                expires.toString(), expires.getEpochSecond());
        Transaction tx = table.transaction()
                .put(TokenItem.SCHEMA, token, null)
                .put(UserTokenItem.SCHEMA, UserTokenItem.of(token), null)
                .put(BootstrapItem.SCHEMA, new BootstrapItem(hash), null);
        if (previous != null && !previous.secretHash().equals(hash)) {
            tx.delete(new ItemKey(Keys.token(previous.secretHash()), Keys.TOKEN), null);
        }
        table.commit(tx);
    }

    /** Records the portal's address, where links in mail point ({@link SitePortalItem}). */
    public void rememberPortalUrl(String portalUrl) {
        portal.putItem(new SitePortalItem(portalUrl));
    }
}
