package dev.atelier.identity;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Condition;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.WriteRefusedException;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import dev.atelier.store.TableDefinition;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sign-in links and their per-address throttle in the table. Each method is one DynamoDB request. */
@Singleton
public class LoginLinkStore {

    private final DynamoDbClient dynamoDb;
    private final Table table;
    private final String tableName;

    public LoginLinkStore(DynamoDbClient dynamoDb, Table table, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.tableName = config.tableName();
    }

    /** Who a link would go to, and the portal address the deployment recorded, if any. */
    public record Recipient(Optional<UserEmailItem> user, Optional<String> portalUrl) { }

    /** One consistent BatchGetItem: the user with this (normalised) address, and the site's portal address. */
    public Recipient recipient(String email) {
        Map<String, AttributeValue> userKey = new ItemKey(Keys.email(email), Keys.EMAIL).toMap();
        Map<String, AttributeValue> portalKey = new ItemKey(Keys.SITE, Keys.PORTAL).toMap();
        UserEmailItem user = null;
        String portalUrl = null;
        Map<String, KeysAndAttributes> request = Map.of(tableName, KeysAndAttributes.builder()
                        .keys(userKey, portalKey).consistentRead(true).build());
        while (!request.isEmpty()) {
            var pending = request;
            var response = dynamoDb.batchGetItem(r -> r.requestItems(pending));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                if (Keys.PORTAL.equals(item.get(TableDefinition.SK).s())) {
                    portalUrl = SitePortalItem.SCHEMA.mapToItem(item).url();
                } else {
                    user = UserEmailItem.SCHEMA.mapToItem(item);
                }
            }
            request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
        }
        return new Recipient(Optional.ofNullable(user), Optional.ofNullable(portalUrl));
    }

    /**
     * One TransactWriteItems: counts the link in its address's hourly window (only while under
     * {@code maxPerWindow}) and stores it — so a throttled address gets no link at all.
     *
     * @param window     the counter's window, e.g. the hour {@code 2026-11-26T01}
     * @param windowTtl  when the counter may go (epoch seconds)
     * @return false when the address has had {@code maxPerWindow} links in this window already
     */
    public boolean create(LoginLinkItem link, String window, long windowTtl, int maxPerWindow) {
        Expression count = Expression.builder().expression("ADD #count :one SET #ttl = :ttl")
                .putExpressionName("#count", "count").putExpressionName("#ttl", TableDefinition.TTL_ATTRIBUTE)
                .putExpressionValue(":one", AttributeValue.fromN("1"))
                .putExpressionValue(":ttl", AttributeValue.fromN(Long.toString(windowTtl))).build();
        Condition underLimit = Condition.of(Expression.builder()
                .expression("attribute_not_exists(#count) OR #count < :max")
                .putExpressionName("#count", "count")
                .putExpressionValue(":max", AttributeValue.fromN(Integer.toString(maxPerWindow))).build(),
                Refused.TOO_MANY_LINKS);
        try {
            table.commit(table.transaction()
                    .update(new ItemKey(Keys.loginLinkThrottle(link.email()), Keys.throttleWindow(window)), count,
                            underLimit)
                    .put(LoginLinkItem.SCHEMA, link, Condition.absent(Refused.LINK_EXISTS)));
            return true;
        } catch (WriteRefusedException e) {
            if (e.by(Refused.TOO_MANY_LINKS)) {
                return false;
            }
            throw e;
        }
    }

    /** What refuses a sign-in link. */
    public enum Refused implements Refusal {
        /** The address had its share of links this hour. */
        TOO_MANY_LINKS,
        /** A link with this token exists (never, with random tokens). */
        LINK_EXISTS
    }

    /**
     * One conditional PutItem: a link taken by {@link #take} whose session could not be issued
     * is stored again (unless it is there already), so that it can still be redeemed.
     */
    public void restore(LoginLinkItem link) {
        try {
            dynamoDb.putItem(r -> r.tableName(tableName).item(LoginLinkItem.SCHEMA.itemToMap(link, true))
                    .conditionExpression("attribute_not_exists(PK)"));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // nothing to restore
        }
    }

    /**
     * One conditional DeleteItem returning what it deleted: of any number of concurrent
     * redeemers exactly one gets the link, every other finds it gone.
     */
    public Optional<LoginLinkItem> take(String tokenHash) {
        try {
            var deleted = dynamoDb.deleteItem(r -> r.tableName(tableName)
                    .key(new ItemKey(Keys.loginLink(tokenHash), Keys.LOGIN_LINK).toMap())
                    .conditionExpression("attribute_exists(PK)")
                    .returnValues(ReturnValue.ALL_OLD));
            return Optional.of(LoginLinkItem.SCHEMA.mapToItem(deleted.attributes()));
        } catch (ConditionalCheckFailedException gone) {
            return Optional.empty();
        }
    }
}
