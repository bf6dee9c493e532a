package dev.atelier.testing;

import dev.atelier.audit.AuditLog;
import dev.atelier.store.Keys;
import dev.atelier.workspace.MemberItem;
import dev.atelier.workspace.WorkspaceItem;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Workspaces and their members, made for a test: an owner and members holding given actions. */
public final class Workspaces {

    private final RunningApp app;

    public Workspaces(RunningApp app) {
        this.app = app;
    }

    /** One workspace, its owner, and the callers tests need around it. */
    public record Team(String slug, RunningApp.TestUser owner, RunningApp.TestUser manager,
                       RunningApp.TestUser member, RunningApp.TestUser outsider) { }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A workspace owned by a new user, with a member holding {@code settings.manage}, a member
     * holding no action, and a user who is not a member.
     */
    public Team team() {
        RunningApp.TestUser owner = app.newUser(unique("owner") + "@example.com");
        String slug = unique("team");
        assertThat(app.send("POST", "/api/v1/workspaces", owner.token(),
                Json.write(Map.of("name", "Team " + slug, "slug", slug))).statusCode()).isEqualTo(201);
        RunningApp.TestUser manager = app.newUser(unique("manager") + "@example.com");
        addMember(slug, manager, List.of("settings.manage"));
        RunningApp.TestUser member = app.newUser(unique("member") + "@example.com");
        addMember(slug, member, List.of("workstations.view", "members.manage"));
        RunningApp.TestUser outsider = app.newUser(unique("outsider") + "@example.com");
        return new Team(slug, owner, manager, member, outsider);
    }

    /** Writes a membership directly, as the members API would. */
    public void addMember(String slug, RunningApp.TestUser user, List<String> actions) {
        DynamoDbEnhancedClient dynamoDb = app.context().getBean(DynamoDbEnhancedClient.class);
        WorkspaceItem workspace = workspace(slug);
        dynamoDb.table(app.tableName(), MemberItem.SCHEMA).putItem(new MemberItem(slug, user.id(), user.email(),
                MemberItem.MEMBER, Instant.now().toString(), workspace.id(), workspace.name(), workspace.createdAt(),
                actions, List.of(), 1));
    }

    /** The workspace item as stored. */
    public WorkspaceItem workspace(String slug) {
        return app.context().getBean(DynamoDbEnhancedClient.class).table(app.tableName(), WorkspaceItem.SCHEMA)
                .getItem(Key.builder().partitionValue(Keys.workspace(slug)).sortValue(Keys.WORKSPACE).build());
    }

    /** Every membership of the workspace as stored. */
    public List<MemberItem> members(String slug) {
        return app.context().getBean(DynamoDbEnhancedClient.class).table(app.tableName(), MemberItem.SCHEMA)
                .query(QueryConditional.sortBeginsWith(Key.builder().partitionValue(Keys.workspace(slug))
                        .sortValue(Keys.MEMBER_PREFIX).build())).items().stream().toList();
    }

    /** The workspace's audit log, newest first. */
    public List<AuditLog.Entry> audit(String slug) {
        return app.context().getBean(AuditLog.class).list(slug, 100, null).items();
    }
}
