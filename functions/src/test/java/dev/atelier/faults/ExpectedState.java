package dev.atelier.faults;

import dev.atelier.testing.RunningApp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the API should show after a sequence of steps, kept by {@link FaultInjectionTest}: a step
 * answered 2xx is applied here, any other answer leaves this untouched.
 */
final class ExpectedState {

    final List<RunningApp.TestUser> users = new ArrayList<>();
    final Map<String, Workspace> workspaces = new LinkedHashMap<>();
    /** Slugs of deleted workspaces (their partitions must be empty, their members' lists without them). */
    final Set<String> deleted = new LinkedHashSet<>();
    /** Invitations of deleted workspaces (deleted with them): accepting one answers 404. */
    final List<Invitation> orphanedInvitations = new ArrayList<>();

    static final class Workspace {
        final String slug;
        final String owner;
        String name;
        /** userId → actions (the owner holds none explicitly). */
        final Map<String, Set<String>> members = new LinkedHashMap<>();
        final Map<String, Group> groups = new LinkedHashMap<>();
        final Map<String, Definition> definitions = new LinkedHashMap<>();
        final Map<String, Invitation> invitations = new LinkedHashMap<>();
        /** Principals removed after grants named them: their grants stay, inert (docs/access-model.md). */
        final Set<String> removedPrincipals = new TreeSet<>();
        /** The API key's last four characters, null when none is set; {@code aiSet} false before any PUT. */
        boolean aiSet;
        String aiModel;
        String aiKeyLast4;

        Workspace(String slug, String owner, String name) {
            this.slug = slug;
            this.owner = owner;
            this.name = name;
            members.put(owner, new TreeSet<>());
        }

        String path(String rest) {
            return "/api/v1/workspaces/" + slug + rest;
        }

        Set<String> groupsOf(String userId) {
            Set<String> ids = new TreeSet<>();
            groups.values().stream().filter(g -> g.members.contains(userId)).forEach(g -> ids.add(g.id));
            return ids;
        }
    }

    static final class Group {
        final String id;
        final String name;
        final Set<String> members = new TreeSet<>();

        Group(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    static final class Definition {
        final String id;
        String displayName;
        String cliName;
        long version;
        /** The principals of its grants, as set. */
        List<String> grants;

        Definition(String id, String displayName, String cliName, long version, List<String> grants) {
            this.id = id;
            this.displayName = displayName;
            this.cliName = cliName;
            this.version = version;
            this.grants = grants;
        }
    }

    static final class Invitation {
        final String id;
        final String slug;
        final RunningApp.TestUser invitee;
        final String token;
        String status = "pending";

        Invitation(String id, String slug, RunningApp.TestUser invitee, String token) {
            this.id = id;
            this.slug = slug;
            this.invitee = invitee;
            this.token = token;
        }
    }
}
