package dev.atelier.testing;

import java.net.http.HttpResponse;
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
}
