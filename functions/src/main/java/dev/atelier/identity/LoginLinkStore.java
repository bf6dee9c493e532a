package dev.atelier.identity;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
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
    private final String tableName;

    public LoginLinkStore(DynamoDbClient dynamoDb, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.tableName = config.tableName();
    }

    /** Who a link would go to, and the portal address the deployment recorded, if any. */
    public record Recipient(Optional<UserEmailItem> user, Optional<String> portalUrl) { }

    /** One consistent BatchGetItem: the user with this (normalised) address, and the site's portal address. */
    public Recipient recipient(String email) {
        Map<String, AttributeValue> userKey = key(Keys.email(email), Keys.EMAIL);
        Map<String, AttributeValue> portalKey = key(Keys.SITE, Keys.PORTAL);
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

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableDefinition.PK, AttributeValue.fromS(pk), TableDefinition.SK, AttributeValue.fromS(sk));
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
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(
                    t -> t.update(u -> u.tableName(tableName)
                            .key(Map.of(TableDefinition.PK, AttributeValue.fromS(Keys.loginLinkThrottle(link.email())),
                                    TableDefinition.SK, AttributeValue.fromS(Keys.throttleWindow(window))))
                            .updateExpression("ADD #count :one SET #ttl = :ttl")
                            .conditionExpression("attribute_not_exists(#count) OR #count < :max")
                            .expressionAttributeNames(Map.of("#count", "count", "#ttl", TableDefinition.TTL_ATTRIBUTE))
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                                    ":ttl", AttributeValue.fromN(Long.toString(windowTtl)),
                                    ":max", AttributeValue.fromN(Integer.toString(maxPerWindow))))),
                    t -> t.put(p -> p.tableName(tableName)
                            .item(LoginLinkItem.SCHEMA.itemToMap(link, true))
                            .conditionExpression("attribute_not_exists(PK)"))));
            return true;
        } catch (TransactionCanceledException e) {
            if (!e.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
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
                    .key(Map.of(TableDefinition.PK, AttributeValue.fromS(Keys.loginLink(tokenHash)),
                            TableDefinition.SK, AttributeValue.fromS(Keys.LOGIN_LINK)))
                    .conditionExpression("attribute_exists(PK)")
                    .returnValues(ReturnValue.ALL_OLD));
            return Optional.of(LoginLinkItem.SCHEMA.mapToItem(deleted.attributes()));
        } catch (ConditionalCheckFailedException gone) {
            return Optional.empty();
        }
    }
}
