package dev.atelier.member;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import dev.atelier.workspace.MemberItem;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Members and groups of workspaces in the table. Each public method is one DynamoDB request. */
@Singleton
public class MemberStore {

    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK);
    private static final String AT_VERSION = "attribute_exists(PK) AND version = :v";

    private final DynamoDbClient lowLevel;
    private final String tableName;
    private final DynamoDbTable<MemberItem> members;
    private final DynamoDbTable<GroupItem> groups;

    public MemberStore(DynamoDbEnhancedClient dynamoDb, DynamoDbClient lowLevel, AtelierConfig config) {
        this.lowLevel = lowLevel;
        this.tableName = config.tableName();
        this.members = dynamoDb.table(config.tableName(), MemberItem.SCHEMA);
        this.groups = dynamoDb.table(config.tableName(), GroupItem.SCHEMA);
    }

    /** One Query: a page of the workspace's members, by user id. */
    public Page<MemberItem> members(String slug, int limit, @Nullable String cursor) {
        return page(members, slug, Keys.member(""), limit, cursor);
    }

    /** One Query: a page of the workspace's groups, by id. */
    public Page<GroupItem> groups(String slug, int limit, @Nullable String cursor) {
        return page(groups, slug, Keys.group(""), limit, cursor);
    }

    /** One consistent GetItem. */
    public Optional<MemberItem> member(String slug, String userId) {
        Key key = Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.member(userId)).build();
        return Optional.ofNullable(members.getItem(r -> r.key(key).consistentRead(true)));
    }

    /** One consistent GetItem. */
    public Optional<GroupItem> group(String slug, String groupId) {
        Key key = Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.group(groupId)).build();
        return Optional.ofNullable(groups.getItem(r -> r.key(key).consistentRead(true)));
    }

    public Transaction transaction() {
        return new Transaction(tableName);
    }

    /** Commits; the index of the first failed condition when it did not. */
    public java.util.OptionalInt commit(Transaction tx) {
        return tx.commit(lowLevel);
    }

    /** Adds: replace the member if still at the version of {@code before}. */
    void replaceMember(Transaction tx, MemberItem before, MemberItem after) {
        tx.put(MemberItem.SCHEMA, after, AT_VERSION, version(before.version()));
    }

    /** Adds: delete the member if still at the version read. */
    void deleteMember(Transaction tx, MemberItem member) {
        tx.delete(Keys.workspace(member.slug()), Keys.member(member.userId()), AT_VERSION, version(member.version()));
    }

    /** Adds: the user joins ({@code in}) or leaves a group, on their member item; fails if they are no member. */
    void setGroupOnMember(Transaction tx, String slug, String userId, String groupId, boolean in) {
        tx.update(Keys.workspace(slug), Keys.member(userId),
                in ? "SET #g.#id = :true ADD version :one" : "REMOVE #g.#id ADD version :one",
                Map.of("#g", MemberItem.GROUPS, "#id", groupId),
                in ? Map.of(":true", AttributeValue.fromBool(true), ":one", AttributeValue.fromN("1"))
                        : Map.of(":one", AttributeValue.fromN("1")),
                "attribute_exists(PK)");
    }

    /** Adds: the user joins ({@code in}) or leaves a group, on the group's member list. */
    void setMemberOnGroup(Transaction tx, String slug, String groupId, String userId, boolean in) {
        tx.update(Keys.workspace(slug), Keys.group(groupId),
                in ? "SET #m.#id = :true ADD version :one" : "REMOVE #m.#id ADD version :one",
                Map.of("#m", GroupItem.MEMBERS, "#id", userId),
                in ? Map.of(":true", AttributeValue.fromBool(true), ":one", AttributeValue.fromN("1"))
                        : Map.of(":one", AttributeValue.fromN("1")),
                "attribute_exists(PK)");
    }

    /** Adds: create a group whose name is free. */
    void createGroup(Transaction tx, GroupItem group) {
        tx.put(GroupItem.SCHEMA, group, "attribute_not_exists(PK)", Map.of());
        tx.put(GroupNameItem.SCHEMA, new GroupNameItem(group.slug(), group.name().toLowerCase(java.util.Locale.ROOT),
                group.id()), "attribute_not_exists(PK)", Map.of());
    }

    /** Adds: replace a group if still at the version of {@code before}. */
    void replaceGroup(Transaction tx, GroupItem before, GroupItem after) {
        tx.put(GroupItem.SCHEMA, after, AT_VERSION, version(before.version()));
    }

    /** Adds: delete a group (at the version read) and free its name. */
    void deleteGroup(Transaction tx, GroupItem group) {
        tx.delete(Keys.workspace(group.slug()), Keys.group(group.id()), AT_VERSION, version(group.version()));
        tx.delete(Keys.workspace(group.slug()), Keys.groupName(group.name().toLowerCase(java.util.Locale.ROOT)),
                null, Map.of());
    }

    private <T> Page<T> page(DynamoDbTable<T> table, String slug, String prefix, int limit, @Nullable String cursor) {
        String partition = Keys.workspace(slug);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        var page = table.query(r -> r.queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(partition).sortValue(prefix).build()))
                .consistentRead(true).limit(limit).exclusiveStartKey(startKey)).iterator().next();
        return new Page<>(page.items(), Cursors.encode(page.lastEvaluatedKey()));
    }

    private static Map<String, AttributeValue> version(long version) {
        return Map.of(":v", AttributeValue.fromN(Long.toString(version)));
    }
}
