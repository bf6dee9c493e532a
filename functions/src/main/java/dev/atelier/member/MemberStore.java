package dev.atelier.member;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.Condition;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.WriteRefusedException;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
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
    private static final Expression EXISTS = Expression.builder().expression("attribute_exists(PK)").build();

    private final Table table;
    private final DynamoDbTable<MemberItem> members;
    private final DynamoDbTable<GroupItem> groups;

    public MemberStore(DynamoDbEnhancedClient dynamoDb, Table table, AtelierConfig config) {
        this.table = table;
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

    /** What refuses a write of members and groups. */
    public enum Refused implements Refusal {
        /** The member changed (or left) since it was read. */
        MEMBER_CHANGED,
        /** The group changed (or was deleted) since it was read. */
        GROUP_CHANGED,
        /** Another group of the workspace has this name. */
        GROUP_NAME_TAKEN,
        /** A group with this id exists (never, with random ids). */
        GROUP_EXISTS
    }

    /** A user to put in a group is not a member of the workspace. */
    public record NotAMember(String userId) implements Refusal { }

    public Transaction transaction() {
        return table.transaction();
    }

    /**
     * Commits.
     *
     * @throws WriteRefusedException naming the {@link Refused} conditions that did not hold
     */
    public void commit(Transaction tx) {
        table.commit(tx);
    }

    /** Adds: replace the member if still at the version of {@code before}. */
    void replaceMember(Transaction tx, MemberItem before, MemberItem after) {
        tx.put(MemberItem.SCHEMA, after, Condition.atVersion(before.version(), Refused.MEMBER_CHANGED)
                .and(EXISTS));
    }

    /** Adds: delete the member if still at the version read. */
    void deleteMember(Transaction tx, MemberItem member) {
        tx.delete(Keys.memberItem(member.slug(), member.userId()),
                Condition.atVersion(member.version(), Refused.MEMBER_CHANGED).and(EXISTS));
    }

    /** Adds: the user joins ({@code in}) or leaves a group, on their member item; fails if they are no member. */
    void setGroupOnMember(Transaction tx, String slug, String userId, String groupId, boolean in) {
        tx.update(Keys.memberItem(slug, userId), setEntry(MemberItem.GROUPS, groupId, in),
                Condition.present(in ? new NotAMember(userId) : Refused.MEMBER_CHANGED));
    }

    /** Adds: the user joins ({@code in}) or leaves a group, on the group's member list. */
    void setMemberOnGroup(Transaction tx, String slug, String groupId, String userId, boolean in) {
        tx.update(Keys.groupItem(slug, groupId), setEntry(GroupItem.MEMBERS, userId, in),
                Condition.present(Refused.GROUP_CHANGED));
    }

    /** Adds: create a group whose name is free. */
    void createGroup(Transaction tx, GroupItem group) {
        tx.put(GroupItem.SCHEMA, group, Condition.absent(Refused.GROUP_EXISTS));
        tx.put(GroupNameItem.SCHEMA, new GroupNameItem(group.slug(), group.name().toLowerCase(java.util.Locale.ROOT),
                group.id()), Condition.absent(Refused.GROUP_NAME_TAKEN));
    }

    /** Adds: replace a group if still at the version of {@code before}. */
    void replaceGroup(Transaction tx, GroupItem before, GroupItem after) {
        tx.put(GroupItem.SCHEMA, after, Condition.atVersion(before.version(), Refused.GROUP_CHANGED).and(EXISTS));
    }

    /** Adds: delete a group (at the version read) and free its name. */
    void deleteGroup(Transaction tx, GroupItem group) {
        tx.delete(Keys.groupItem(group.slug(), group.id()),
                Condition.atVersion(group.version(), Refused.GROUP_CHANGED).and(EXISTS));
        tx.delete(Keys.groupNameItem(group.slug(), group.name().toLowerCase(java.util.Locale.ROOT)), null);
    }

    /** {@code SET #map.#key = true} or {@code REMOVE #map.#key}, counting a version. */
    private static Expression setEntry(String map, String key, boolean in) {
        Expression.Builder e = Expression.builder()
                .expression(in ? "SET #map.#key = :true ADD version :one" : "REMOVE #map.#key ADD version :one")
                .putExpressionName("#map", map).putExpressionName("#key", key)
                .putExpressionValue(":one", AttributeValue.fromN("1"));
        if (in) {
            e.putExpressionValue(":true", AttributeValue.fromBool(true));
        }
        return e.build();
    }

    private <T> Page<T> page(DynamoDbTable<T> table, String slug, String prefix, int limit, @Nullable String cursor) {
        String partition = Keys.workspace(slug);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        var page = table.query(r -> r.queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(partition).sortValue(prefix).build()))
                .consistentRead(true).limit(limit).exclusiveStartKey(startKey)).iterator().next();
        return new Page<>(page.items(), Cursors.encode(page.lastEvaluatedKey()));
    }
}
