package dev.atelier.identity;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Condition;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.store.TransactionPart;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import dev.atelier.workspace.MemberItem;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users in the table. Each method is one DynamoDB request. */
@Singleton
public class UserStore {

    /** Workspaces listed with a profile; longer lists are paged through GET /workspaces. */
    public static final int PROFILE_WORKSPACES = 100;

    private static final List<String> GSI1_PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK,
            TableDefinition.GSI1.partitionKey(), TableDefinition.GSI1.sortKey());

    private final DynamoDbClient dynamoDb;
    private final Table table;
    private final String tableName;
    private final DynamoDbTable<UserItem> users;
    private final DynamoDbTable<UserEmailItem> emails;
    private final DynamoDbIndex<UserEmailItem> directory;

    public UserStore(DynamoDbClient dynamoDb, DynamoDbEnhancedClient enhanced, Table table, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.tableName = config.tableName();
        this.users = enhanced.table(tableName, UserItem.SCHEMA);
        this.emails = enhanced.table(tableName, UserEmailItem.SCHEMA);
        this.directory = emails.index(TableDefinition.GSI1.name());
    }

    /**
     * One TransactWriteItems: the profile and the email item (each only if absent: the address
     * is unique), the audit entry and, when given, the idempotency record — all or nothing.
     *
     * @throws WriteRefusedException {@link Refused#EMAIL_TAKEN}, {@link Refused#USER_EXISTS}, or
     *                               {@code Idempotency.Refused.KEY_USED} when a concurrent request
     *                               recorded the idempotency key first
     */
    public void create(UserItem user, TransactionPart audit, @Nullable TransactionPart idempotency) {
        Transaction tx = table.transaction()
                .put(UserItem.SCHEMA, user, Condition.absent(Refused.USER_EXISTS))
                .put(UserEmailItem.SCHEMA, UserEmailItem.of(user), Condition.absent(Refused.EMAIL_TAKEN))
                .add(audit);
        if (idempotency != null) {
            tx.add(idempotency);
        }
        table.commit(tx);
    }

    /** What refuses the creation of a user. */
    public enum Refused implements Refusal {
        /** Another user has this email address. */
        EMAIL_TAKEN,
        /** A user with this id exists. */
        USER_EXISTS
    }

    /** One consistent GetItem: a user's profile. */
    public Optional<UserItem> find(String userId) {
        Key key = Key.builder().partitionValue(Keys.user(userId)).sortValue(Keys.PROFILE).build();
        return Optional.ofNullable(users.getItem(r -> r.key(key).consistentRead(true)));
    }

    /** One consistent GetItem: who uses an (already normalised) email address. */
    public Optional<UserEmailItem> findByEmail(String email) {
        Key key = Key.builder().partitionValue(Keys.email(email)).sortValue(Keys.EMAIL).build();
        return Optional.ofNullable(emails.getItem(r -> r.key(key).consistentRead(true)));
    }

    /** One Query on GSI1: a page of the site's users, ordered by email address. */
    public Page<UserEmailItem> list(int limit, @Nullable String cursor) {
        var startKey = Cursors.decode(cursor, GSI1_PAGE_KEY, TableDefinition.GSI1.partitionKey(), Keys.USERS);
        var page = directory.query(r -> r
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.USERS).build()))
                .limit(limit)
                .exclusiveStartKey(startKey)).iterator().next();
        return new Page<>(page.items(), Cursors.encode(page.lastEvaluatedKey()));
    }

    /** A user with the first {@link #PROFILE_WORKSPACES} workspaces they belong to. */
    public record Profile(UserItem user, List<MemberItem> workspaces) { }

    /**
     * One Query on GSI1: the profile and the memberships sit side by side under the user
     * (sort keys {@code USER} then {@code WS#…}), tokens before them are not read.
     */
    public Optional<Profile> profileWithWorkspaces(String userId) {
        var response = dynamoDb.query(QueryRequest.builder()
                .tableName(tableName)
                .indexName(TableDefinition.GSI1.name())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", TableDefinition.GSI1.partitionKey(),
                        "#sk", TableDefinition.GSI1.sortKey()))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.user(userId)),
                        ":from", AttributeValue.fromS(Keys.PROFILE_IN_USER_INDEX),
                        ":to", AttributeValue.fromS(Keys.workspaceOfMember("\uffff"))))
                .limit(PROFILE_WORKSPACES + 1)
                .build());
        UserItem user = null;
        List<MemberItem> workspaces = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            if (Keys.PROFILE.equals(item.get(TableDefinition.SK).s())) {
                user = UserItem.SCHEMA.mapToItem(item);
            } else {
                workspaces.add(MemberItem.SCHEMA.mapToItem(item));
            }
        }
        return Optional.ofNullable(user).map(u -> new Profile(u, List.copyOf(workspaces)));
    }
}
