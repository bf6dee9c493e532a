package dev.atelier.identity;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.workspace.MemberItem;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users in the table. */
@Singleton
public class UserStore {

    /** Workspaces listed with a profile; longer lists are paged through GET /workspaces. */
    public static final int PROFILE_WORKSPACES = 100;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public UserStore(DynamoDbClient dynamoDb, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.tableName = config.tableName();
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
