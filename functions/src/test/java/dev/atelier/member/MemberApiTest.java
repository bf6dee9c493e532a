package dev.atelier.member;

import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces.Workspace;

import static dev.atelier.testing.Workspaces.unique;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Invitations, members, actions and groups over real HTTP, against the local AWS engine. */
class MemberApiTest extends AppUnderTest {

    private static Workspace workspace() {
        return workspaces.create();
    }

    private static String invite(Workspace ws, String email) {
        return workspaces.invite(ws, email);
    }

    private static RunningApp.TestUser member(Workspace ws, String... actions) {
        return workspaces.member(ws, actions);
    }

    // --- invitations ----------------------------------------------------------------------

    @Test
    void invitation_shouldLetTheInviteeJoinWithNoPermissions() {
        // GIVEN an invitation mailed to a user
        Workspace ws = workspace();
        RunningApp.TestUser invitee = app.newUser(unique("invitee") + "@example.com");
        String token = invite(ws, invitee.email().toUpperCase());

        // WHEN the invitee accepts it
        HttpResponse<String> accepted = app.send("POST", "/api/v1/invitations/" + token + "/accept", invitee.token(), null);

        // THEN they are a member, with no actions, and see the workspace
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(Json.object(accepted.body())).containsEntry("slug", ws.slug()).containsEntry("role", "member");
        HttpResponse<String> me = app.send("GET", ws.path("/members/" + invitee.id()), ws.owner().token(), null);
        assertThat(Json.object(me.body())).containsEntry("role", "member").containsEntry("actions", List.of());
        assertThat(app.send("GET", ws.path(""), invitee.token(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void invitation_shouldAnswer403_whenAnotherUserAccepts_and410_whenUsedTwice() {
        Workspace ws = workspace();
        RunningApp.TestUser invitee = app.newUser(unique("invitee") + "@example.com");
        RunningApp.TestUser stranger = app.newUser(unique("stranger") + "@example.com");
        String token = invite(ws, invitee.email());

        assertThat(app.send("POST", "/api/v1/invitations/" + token + "/accept", stranger.token(), null).statusCode())
                .isEqualTo(403);
        assertThat(app.send("POST", "/api/v1/invitations/" + token + "/accept", invitee.token(), null).statusCode())
                .isEqualTo(200);
        assertThat(app.send("POST", "/api/v1/invitations/" + token + "/accept", invitee.token(), null).statusCode())
                .isEqualTo(410);
        assertThat(app.send("GET", ws.path(""), stranger.token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void invitation_shouldBeGone_andNotBeListed_whenItsWorkspaceWasDeletedAndTheSlugTakenAgain() {
        // GIVEN a pending invitation to a workspace that is then deleted
        Workspace old = workspace();
        RunningApp.TestUser invitee = app.newUser(unique("invitee") + "@example.com");
        String token = invite(old, invitee.email());
        assertThat(app.send("DELETE", old.path(""), old.owner().token(), null).statusCode()).isEqualTo(204);
        // AND someone else creates a workspace under the same slug
        RunningApp.TestUser other = app.newUser(unique("owner") + "@example.com");
        assertThat(app.send("POST", "/api/v1/workspaces", other.token(),
                Json.write(Map.of("name", "Other", "slug", old.slug()))).statusCode()).isEqualTo(201);

        // WHEN the invitee accepts the old invitation
        HttpResponse<String> accepted = app.send("POST", "/api/v1/invitations/" + token + "/accept", invitee.token(), null);

        // THEN it is gone (deleted with its workspace): the new workspace never invited them, and
        // does not list the old invitation
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(404);
        assertThat(workspaces.members(old.slug())).extracting(m -> m.userId()).containsExactly(other.id());
        assertThat(Json.items(app.send("GET", old.path("/invitations"), other.token(), null).body())).isEmpty();
    }

    @Test
    void invitation_shouldBeAcceptedExactlyOnce_when50AcceptsRace() throws Exception {
        // GIVEN one invitation
        Workspace ws = workspace();
        RunningApp.TestUser invitee = app.newUser(unique("racer") + "@example.com");
        String token = invite(ws, invitee.email());

        // WHEN 50 accepts arrive at once
        List<Callable<Integer>> accepts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            accepts.add(() -> app.send("POST", "/api/v1/invitations/" + token + "/accept", invitee.token(), null)
                    .statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(25);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(accepts)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }

        // THEN exactly one joined; every other was told the invitation is used (or they are in already)
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 410 || s == 409);
        List<Map<String, Object>> members = Json.items(app.send("GET", ws.path("/members"), ws.owner().token(), null).body());
        assertThat(members).filteredOn(m -> invitee.id().equals(m.get("userId"))).hasSize(1);
    }

    @Test
    void invitation_shouldAnswer404_forUnknownOrMalformedTokens() {
        RunningApp.TestUser user = app.newUser(unique("user") + "@example.com");
        for (String token : List.of("nope", "ati_team-x.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "ati_.x")) {
            assertThat(app.send("POST", "/api/v1/invitations/" + token + "/accept", user.token(), null).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void invite_shouldAnswer400_forAnInvalidEmail() {
        Workspace ws = workspace();
        for (String body : List.of("{}", "{\"email\": 3}", "{\"email\": \"not an email\"}", "{\"email\": \"a@b\"}",
                "{\"email\": \"x@example.com\", \"role\": \"owner\"}")) {
            HttpResponse<String> response = app.send("POST", ws.path("/invitations"), ws.owner().token(), body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(Json.errorFields(response.body())).isNotEmpty();
        }
    }

    @Test
    void invitationToken_shouldNotBeStoredInPlainText() {
        Workspace ws = workspace();
        String token = invite(ws, unique("plain") + "@example.com");
        String everything = app.context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class)
                .scan(r -> r.tableName(app.tableName())).items().toString();
        assertThat(everything).doesNotContain(token.substring(token.indexOf('.') + 1));
        HttpResponse<String> list = app.send("GET", ws.path("/invitations"), ws.owner().token(), null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(token);
    }

    // --- members and actions --------------------------------------------------------------

    @Test
    void actions_shouldBeReplaced_andAnswer412_whenTheETagIsStale() {
        Workspace ws = workspace();
        RunningApp.TestUser member = member(ws);
        HttpResponse<String> read = app.send("GET", ws.path("/members/" + member.id()), ws.owner().token(), null);
        String etag = read.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> first = app.send("PUT", ws.path("/members/" + member.id() + "/actions"), ws.owner().token(),
                Json.write(Map.of("actions", List.of("logs.view", "workstations.view", "logs.view"))), "If-Match", etag);
        HttpResponse<String> stale = app.send("PUT", ws.path("/members/" + member.id() + "/actions"), ws.owner().token(),
                Json.write(Map.of("actions", List.of("members.manage"))), "If-Match", etag);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(Json.object(first.body()).get("actions")).isEqualTo(List.of("logs.view", "workstations.view"));
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(Json.object(app.send("GET", ws.path("/members/" + member.id()), ws.owner().token(), null).body())
                .get("actions")).isEqualTo(List.of("logs.view", "workstations.view"));
    }

    @Test
    void actions_shouldNeverLoseAnUpdate_whenEditedConcurrently() throws Exception {
        // GIVEN a member and 10 editors holding the same ETag
        Workspace ws = workspace();
        RunningApp.TestUser member = member(ws);
        String etag = app.send("GET", ws.path("/members/" + member.id()), ws.owner().token(), null)
                .headers().firstValue("ETag").orElseThrow();
        List<Callable<Integer>> edits = new ArrayList<>();
        List<String> choices = List.of("logs.view", "ide.open", "images.manage", "workstations.stop", "workstations.view",
                "workstations.restart", "workstations.connect", "workstations.delete", "settings.manage", "members.manage");
        for (String action : choices) {
            edits.add(() -> app.send("PUT", ws.path("/members/" + member.id() + "/actions"), ws.owner().token(),
                    Json.write(Map.of("actions", List.of(action))), "If-Match", etag).statusCode());
        }
        // WHEN they all write at once
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(edits)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        // THEN one wins, the others get 412, and the stored actions are exactly the winner's
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 412).hasSize(9);
        String winner = choices.get(statuses.indexOf(200));
        assertThat(Json.object(app.send("GET", ws.path("/members/" + member.id()), ws.owner().token(), null).body())
                .get("actions")).isEqualTo(List.of(winner));
    }

    @Test
    void actions_shouldAnswer400_forUnknownActions_and409_forTheOwner() {
        Workspace ws = workspace();
        RunningApp.TestUser member = member(ws);
        HttpResponse<String> unknown = app.send("PUT", ws.path("/members/" + member.id() + "/actions"),
                ws.owner().token(), Json.write(Map.of("actions", List.of("logs.view", "fly"))));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.errorFields(unknown.body())).containsExactly("actions[1]");
        HttpResponse<String> notArray = app.send("PUT", ws.path("/members/" + member.id() + "/actions"),
                ws.owner().token(), "{\"actions\": \"logs.view\"}");
        assertThat(Json.errorFields(notArray.body())).containsExactly("actions");
        HttpResponse<String> owner = app.send("PUT", ws.path("/members/" + ws.owner().id() + "/actions"),
                ws.owner().token(), Json.write(Map.of("actions", List.of())));
        assertThat(owner.statusCode()).isEqualTo(409);
    }

    @Test
    void membersManage_shouldLetAMemberManageOthers_butNotWithoutIt() {
        Workspace ws = workspace();
        RunningApp.TestUser manager = member(ws, "members.manage");
        RunningApp.TestUser plain = member(ws);
        String body = Json.write(Map.of("actions", List.of("logs.view")));
        assertThat(app.send("PUT", ws.path("/members/" + plain.id() + "/actions"), manager.token(), body).statusCode())
                .isEqualTo(200);
        assertThat(app.send("PUT", ws.path("/members/" + manager.id() + "/actions"), plain.token(), body).statusCode())
                .isEqualTo(403);
        assertThat(app.send("POST", ws.path("/invitations"), plain.token(),
                Json.write(Map.of("email", "x@example.com"))).statusCode()).isEqualTo(403);
    }

    @Test
    void leave_shouldRemoveTheMember_butTheOwnerCannotLeave() {
        Workspace ws = workspace();
        RunningApp.TestUser member = member(ws);
        assertThat(app.send("DELETE", ws.path("/members/" + member.id()), member.token(), null).statusCode()).isEqualTo(204);
        assertThat(app.send("GET", ws.path(""), member.token(), null).statusCode()).isEqualTo(404);
        assertThat(app.send("DELETE", ws.path("/members/" + ws.owner().id()), ws.owner().token(), null).statusCode())
                .isEqualTo(409);
    }

    @Test
    void remove_shouldTakeTheMemberOutOfTheirGroups() {
        Workspace ws = workspace();
        RunningApp.TestUser member = member(ws);
        String groupId = (String) Json.object(app.send("POST", ws.path("/groups"), ws.owner().token(),
                Json.write(Map.of("name", "Data"))).body()).get("id");
        assertThat(app.send("PUT", ws.path("/groups/" + groupId + "/members"), ws.owner().token(),
                Json.write(Map.of("userIds", List.of(member.id())))).statusCode()).isEqualTo(200);

        assertThat(app.send("DELETE", ws.path("/members/" + member.id()), ws.owner().token(), null).statusCode())
                .isEqualTo(204);

        assertThat(Json.object(app.send("GET", ws.path("/groups/" + groupId), ws.owner().token(), null).body())
                .get("userIds")).isEqualTo(List.of());
    }

    // --- groups ---------------------------------------------------------------------------

    @Test
    void groups_shouldHoldMembers_whoseMemberItemsKnowTheirGroups() {
        Workspace ws = workspace();
        RunningApp.TestUser a = member(ws);
        RunningApp.TestUser b = member(ws);
        HttpResponse<String> created = app.send("POST", ws.path("/groups"), ws.owner().token(),
                Json.write(Map.of("name", "Platform")));
        assertThat(created.statusCode()).isEqualTo(201);
        String groupId = (String) Json.object(created.body()).get("id");

        HttpResponse<String> set = app.send("PUT", ws.path("/groups/" + groupId + "/members"), ws.owner().token(),
                Json.write(Map.of("userIds", List.of(a.id(), b.id()))), "If-Match", created.headers().firstValue("ETag").orElseThrow());
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(Json.object(app.send("GET", ws.path("/members/" + a.id()), ws.owner().token(), null).body())
                .get("groups")).isEqualTo(List.of(groupId));

        HttpResponse<String> shrink = app.send("PUT", ws.path("/groups/" + groupId + "/members"), ws.owner().token(),
                Json.write(Map.of("userIds", List.of(b.id()))));
        assertThat(Json.object(shrink.body()).get("userIds")).isEqualTo(List.of(b.id()));
        assertThat(Json.object(app.send("GET", ws.path("/members/" + a.id()), ws.owner().token(), null).body())
                .get("groups")).isEqualTo(List.of());

        assertThat(app.send("DELETE", ws.path("/groups/" + groupId), ws.owner().token(), null).statusCode()).isEqualTo(204);
        assertThat(Json.object(app.send("GET", ws.path("/members/" + b.id()), ws.owner().token(), null).body())
                .get("groups")).isEqualTo(List.of());
        assertThat(app.send("GET", ws.path("/groups/" + groupId), ws.owner().token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void groups_shouldRefuseNonMembers_andDuplicateNames() {
        Workspace ws = workspace();
        RunningApp.TestUser a = member(ws);
        RunningApp.TestUser outsider = app.newUser(unique("outsider") + "@example.com");
        String groupId = (String) Json.object(app.send("POST", ws.path("/groups"), ws.owner().token(),
                Json.write(Map.of("name", "Ops"))).body()).get("id");

        HttpResponse<String> refused = app.send("PUT", ws.path("/groups/" + groupId + "/members"), ws.owner().token(),
                Json.write(Map.of("userIds", List.of(a.id(), outsider.id()))));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.errorFields(refused.body())).containsExactly("userIds[1]");
        assertThat(Json.object(app.send("GET", ws.path("/groups/" + groupId), ws.owner().token(), null).body())
                .get("userIds")).isEqualTo(List.of());

        HttpResponse<String> duplicate = app.send("POST", ws.path("/groups"), ws.owner().token(),
                Json.write(Map.of("name", "OPS")));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(Json.errorFields(duplicate.body())).containsExactly("name");
    }

    // --- audit ----------------------------------------------------------------------------

    @Test
    void audit_shouldListEveryChange_newestFirst_forTheOwnerOnly() {
        Workspace ws = workspace();
        RunningApp.TestUser member = member(ws, "members.manage");
        HttpResponse<String> audit = app.send("GET", ws.path("/audit"), ws.owner().token(), null);
        assertThat(audit.statusCode()).isEqualTo(200);
        List<Map<String, Object>> entries = Json.items(audit.body());
        assertThat(entries).extracting(e -> e.get("action"))
                .containsExactly("member.actions", "invitation.accept", "invitation.create", "workspace.create");
        assertThat(entries.get(0)).containsEntry("actor", ws.owner().id()).containsEntry("target", "member:" + member.id())
                .containsEntry("before", Map.of("actions", List.of()))
                .containsEntry("after", Map.of("actions", List.of("members.manage")));
        assertThat(app.send("GET", ws.path("/audit"), member.token(), null).statusCode()).isEqualTo(403);
    }
}
