package dev.atelier.testing;

import dev.atelier.audit.AuditLog;
import dev.atelier.store.Keys;
import dev.atelier.workspace.MemberItem;
import dev.atelier.workspace.WorkspaceItem;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds workspaces with members for tests, through the API (invitations read from the outbox). */
public final class Workspaces {

    private static final Pattern INVITATION_LINK = Pattern.compile("/invitations/#(ati_\\S+)");

    private final RunningApp app;

    public Workspaces(RunningApp app) {
        this.app = app;
    }

    /** A workspace and its owner. */
    public record Workspace(String slug, RunningApp.TestUser owner) {
        public String path(String rest) {
            return "/api/v1/workspaces/" + slug + rest;
        }
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A workspace owned by a fresh user. */
    public Workspace create() {
        RunningApp.TestUser owner = app.newUser(unique("owner") + "@example.com");
        String slug = unique("team");
        assertThat(app.send("POST", "/api/v1/workspaces", owner.token(),
                Json.write(Map.of("name", "Team", "slug", slug))).statusCode()).isEqualTo(201);
        return new Workspace(slug, owner);
    }

    /** Invites {@code email} and returns the invitation token from the mailed link. */
    public String invite(Workspace ws, String email) {
        HttpResponse<String> created = app.send("POST", ws.path("/invitations"), ws.owner().token(),
                Json.write(Map.of("email", email)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        List<String> mails = app.mailTo(email.toLowerCase());
        assertThat(mails).isNotEmpty();
        Matcher link = INVITATION_LINK.matcher(mails.get(mails.size() - 1));
        assertThat(link.find()).isTrue();
        return link.group(1);
    }

    /** A new member of {@code ws} (joined by invitation) holding {@code actions}. */
    public RunningApp.TestUser member(Workspace ws, String... actions) {
        RunningApp.TestUser user = app.newUser(unique("member") + "@example.com");
        String token = invite(ws, user.email());
        assertThat(app.send("POST", "/api/v1/invitations/" + token + "/accept", user.token(), null).statusCode())
                .isEqualTo(200);
        if (actions.length > 0) {
            assertThat(app.send("PUT", ws.path("/members/" + user.id() + "/actions"), ws.owner().token(),
                    Json.write(Map.of("actions", List.of(actions)))).statusCode()).isEqualTo(200);
        }
        return user;
    }

    /** A new group of {@code ws} holding {@code members}; returns its id. */
    public String group(Workspace ws, String name, RunningApp.TestUser... members) {
        HttpResponse<String> created = app.send("POST", ws.path("/groups"), ws.owner().token(),
                Json.write(Map.of("name", name)));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = (String) Json.object(created.body()).get("id");
        List<String> ids = java.util.Arrays.stream(members).map(RunningApp.TestUser::id).toList();
        assertThat(app.send("PUT", ws.path("/groups/" + id + "/members"), ws.owner().token(),
                Json.write(Map.of("userIds", ids))).statusCode()).isEqualTo(200);
        return id;
    }

    /** One workspace, its owner, and the callers tests need around it. */
    public record Team(String slug, RunningApp.TestUser owner, RunningApp.TestUser manager,
                       RunningApp.TestUser member, RunningApp.TestUser outsider) { }

    /**
     * A workspace named {@code Team <slug>} owned by a new user, with a member holding
     * {@code settings.manage}, a member holding other actions but not that one, and a user who
     * is not a member. Memberships are written directly (cheaper than invitations).
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
