package dev.atelier.faults;

import dev.atelier.faults.ExpectedState.Definition;
import dev.atelier.faults.ExpectedState.Group;
import dev.atelier.faults.ExpectedState.Invitation;
import dev.atelier.faults.ExpectedState.Workspace;
import dev.atelier.store.Keys;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.RunningApp.TestUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API under a throttling AWS: random steps (workspaces, invitations, members, groups,
 * definitions, grants, builds, AI settings, reads) run while 30 % of the application's
 * requests to DynamoDB, KMS, SES and Step Functions are answered as AWS answers when it
 * throttles (see {@link ThrottlingHttpClient}). After each step, with throttling off, what
 * the API (and, for what it does not show, the table) holds is compared with
 * {@link ExpectedState}:
 * <ul>
 *   <li>no answer is a 5xx other than 503 {@code throttled} with {@code Retry-After};</li>
 *   <li>a step answered 503 or 4xx changed nothing (no half-written invitation, definition, CLI
 *       name claim, group name claim, membership, …);</li>
 *   <li>a step answered 2xx is visible in full;</li>
 *   <li>the workspace lists of members and the members of workspaces agree, group members are
 *       members and their member items name their groups, grants name members or groups (or
 *       ones removed since, which stay inert), each definition's current build exists, and a
 *       deleted workspace leaves nothing in its partition.</li>
 * </ul>
 * A failure prints the seed and every step so far; {@code ATELIER_FAULT_SEEDS=<seed>} with
 * {@code ATELIER_FAULT_STEPS=<n>} replays the same steps (the throttling decisions follow the same
 * seed, though background build steps may interleave differently and shift them).
 */
class FaultInjectionTest {

    /**
     * Steps per seed: 1,000, about two and a half minutes a seed on two shared cores;
     * {@code ATELIER_FAULT_STEPS=<n>} runs a shorter or longer version.
     */
    private static final int STEPS = Integer.parseInt(System.getenv().getOrDefault("ATELIER_FAULT_STEPS", "1000"));
    /** Global invariants (every workspace, every user's list) are checked this often, and at the end. */
    private static final int SWEEP_EVERY = 100;
    private static final List<String> ACTIONS = List.of("workstations.view", "images.manage", "logs.view",
            "members.manage", "settings.manage", "ide.open");
    private static final Pattern INVITATION_LINK = Pattern.compile("/invitations/#(ati_\\S+)");
    private static final Pattern SIGN_IN_LINK = Pattern.compile("/sign-in/link/#([A-Za-z0-9_-]+)");

    private RunningApp app;
    private ThrottlingHttpClient aws;

    private Random random;
    private ExpectedState expected;
    private final List<String> log = new ArrayList<>();
    private final Map<String, Integer> statuses = new java.util.TreeMap<>();
    private final Map<String, Integer> mailsSeen = new HashMap<>();
    private int counter;

    @AfterEach
    void stop() {
        if (app != null) {
            aws.throttle(false);
            app.close();
        }
    }

    private static final Pattern RUNNING_BUILD = Pattern.compile("build [0-9a-f-]+ of definition [0-9a-f-]+ \\([a-z]+\\)");

    /**
     * The fixed seed the suite runs (1,000 steps); {@code ATELIER_FAULT_SEEDS=1061,2027,…} runs more
     * (each seed a few minutes more), or others, e.g. to replay a failure.
     */
    static java.util.stream.LongStream seeds() {
        String seeds = System.getenv().getOrDefault("ATELIER_FAULT_SEEDS", "1061");
        return java.util.Arrays.stream(seeds.split(",")).map(String::strip).mapToLong(Long::parseLong);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomSteps_underThrottling_shouldNeverAnswer500_norLeaveHalfWrittenChanges(long seed) {
        // GIVEN an application of its own whose AWS throttles, seeded with the seed, and a few users
        app = RunningApp.start(Map.of(ThrottlingFaults.SEED, seed, "atelier.local.image-builder.step-millis", 1));
        aws = (ThrottlingHttpClient) app.context().getBean(SdkHttpClient.class);
        random = new Random(seed);
        expected = new ExpectedState();
        for (int i = 0; i < 6; i++) {
            expected.users.add(app.newUser(unique("user") + "@example.com"));
        }
        long started = System.nanoTime();
        int step = 0;
        try {
            // WHEN random steps run, each while AWS throttles
            for (step = 1; step <= STEPS; step++) {
                oneStep(step);
                // THEN after each, with throttling off, what the API shows is what was answered
                if (step % SWEEP_EVERY == 0 || step == STEPS) {
                    sweep();
                }
            }
        } catch (AssertionError | RuntimeException e) {
            aws.throttle(false);
            String replay = "Seed " + seed + " failed at step " + step + " of " + STEPS + ". Steps:\n"
                    + String.join("\n", log);
            System.out.println(replay);
            throw new AssertionError(replay + "\n" + e.getMessage(), e);
        }
        System.out.printf("Seed %d: %d steps in %.1f s (%.1f s in the steps' requests); answers %s; AWS answers made up %s%n",
                seed, STEPS, (System.nanoTime() - started) / 1e9, inSteps / 1e9, statuses, aws.injected());
    }

    // --- steps ------------------------------------------------------------------------------

    private void oneStep(int step) {
        int roll = random.nextInt(100);
        Workspace ws = anyWorkspace();
        if (ws == null || roll < 6) {
            createWorkspace(step);
        } else if (roll < 10) {
            renameWorkspace(step, ws);
        } else if (roll < 12) {
            deleteWorkspace(step, ws);
        } else if (roll < 21) {
            invite(step, ws);
        } else if (roll < 29) {
            accept(step);
        } else if (roll < 34) {
            setActions(step, ws);
        } else if (roll < 36) {
            removeMember(step, ws);
        } else if (roll < 41) {
            createGroup(step, ws);
        } else if (roll < 47) {
            setGroupMembers(step, ws);
        } else if (roll < 49) {
            deleteGroup(step, ws);
        } else if (roll < 56) {
            createDefinition(step, ws);
        } else if (roll < 61) {
            updateDefinition(step, ws);
        } else if (roll < 64) {
            copyDefinition(step, ws);
        } else if (roll < 66) {
            deleteDefinition(step, ws);
        } else if (roll < 71) {
            setGrants(step, ws);
        } else if (roll < 75) {
            rebuild(step, ws);
        } else if (roll < 78) {
            cancelBuild(step, ws);
        } else if (roll < 82) {
            setAiSettings(step, ws);
        } else if (roll < 85) {
            createUser(step);
        } else if (roll < 88) {
            requestSignInLink(step);
        } else if (roll < 91) {
            redeemSignInLink(step);
        } else if (roll < 93) {
            issueToken(step);
        } else if (roll < 95) {
            revokeToken(step);
        } else {
            read(step, ws);
        }
    }

    private void createWorkspace(int step) {
        TestUser owner = anyUser();
        int pick = random.nextInt(10);
        boolean taken = !expected.workspaces.isEmpty() && pick == 0;
        // a slug freed by a deletion may be taken again, by anyone
        boolean reused = !taken && !expected.deleted.isEmpty() && pick == 1;
        String slug = taken ? anyWorkspace().slug : reused ? any(expected.deleted) : "ws-" + unique("s");
        String name = "Team " + (++counter);
        int status = call(step, "create workspace " + slug + " by " + owner.email(), Set.of(taken ? 409 : 201),
                () -> app.send("POST", "/api/v1/workspaces", owner.token(), Json.write(Map.of("name", name, "slug", slug))));
        if (status == 201) {
            expected.workspaces.put(slug, new Workspace(slug, owner.id(), name));
            expected.deleted.remove(slug);
        }
        Workspace ws = expected.workspaces.get(slug);
        if (ws == null) {
            checkPartitionEmpty(slug);
        } else {
            checkMembers(ws);
            checkInvitations(ws);
        }
        checkListsOf(List.of(owner));
    }

    private void renameWorkspace(int step, Workspace ws) {
        String name = "Team " + (++counter);
        int status = call(step, "rename " + ws.slug + " to " + name, Set.of(200),
                () -> app.send("PATCH", ws.path(""), token(ws.owner), Json.write(Map.of("name", name))));
        if (status == 200) {
            ws.name = name;
        }
        Map<String, Object> found = Json.object(get(ws.path(""), token(ws.owner)));
        assertThat(ws.name.equals(found.get("name")), "workspace " + ws.slug + " is named " + ws.name + ": " + found);
        checkListsOf(usersOf(ws));
    }

    private void deleteWorkspace(int step, Workspace ws) {
        // 409: a build of the workspace still runs (builds progress in the background)
        int status = call(step, "delete workspace " + ws.slug, Set.of(204, 409),
                () -> app.send("DELETE", ws.path(""), token(ws.owner), null));
        if (status == 409) {
            String body = lastBody;
            // a deleted definition's builds may still be cancelling, so any build of the workspace counts
            assertThat(body.contains("Still running") && RUNNING_BUILD.matcher(body).find(),
                    "a refused deletion names a build of the workspace that still runs: " + body);
        }
        List<TestUser> members = usersOf(ws);
        if (status == 204) {
            expected.workspaces.remove(ws.slug);
            expected.deleted.add(ws.slug);
            ws.invitations.values().stream().filter(i -> i.status.equals("pending"))
                    .forEach(expected.orphanedInvitations::add);
            checkPartitionEmpty(ws.slug);
        } else {
            checkMembers(ws);
        }
        checkListsOf(members);
    }

    private void invite(int step, Workspace ws) {
        TestUser invitee = anyUser();
        int seen = mails(invitee.email()).size();
        int status = call(step, "invite " + invitee.email() + " to " + ws.slug, Set.of(201),
                () -> app.send("POST", ws.path("/invitations"), token(ws.owner), Json.write(Map.of("email", invitee.email()))));
        List<String> mails = mails(invitee.email());
        if (status == 201) {
            assertThat(mails.size() == seen + 1, "a created invitation mails exactly one link; mails: " + mails.size()
                    + ", before: " + seen);
            Matcher link = INVITATION_LINK.matcher(mails.get(mails.size() - 1));
            assertThat(link.find(), "the mail carries the link");
            String id = (String) Json.object(lastBody).get("id");
            ws.invitations.put(id, new Invitation(id, ws.slug, invitee, link.group(1)));
        } else {
            assertThat(mails.size() == seen, "a refused invitation mails nothing; mails: " + mails.size() + ", before: " + seen);
        }
        checkInvitations(ws);
    }

    private void accept(int step) {
        List<Invitation> candidates = new ArrayList<>();
        expected.workspaces.values().forEach(ws -> candidates.addAll(ws.invitations.values()));
        candidates.addAll(expected.orphanedInvitations);
        if (candidates.isEmpty()) {
            return;
        }
        Invitation invitation = candidates.get(random.nextInt(candidates.size()));
        Workspace live = expected.workspaces.get(invitation.slug);
        // an invitation to a deleted workspace is not one to a new workspace under the same slug
        Workspace ws = live != null && live.invitations.containsKey(invitation.id) ? live : null;
        int expectedStatus;
        if (ws == null) {
            expectedStatus = 404; // deleting its workspace deleted its invitations
        } else if (!invitation.status.equals("pending")) {
            expectedStatus = 410;
        } else if (ws.members.containsKey(invitation.invitee.id())) {
            expectedStatus = 409;
        } else {
            expectedStatus = 200;
        }
        int status = call(step, "accept invitation " + invitation.id + " of " + invitation.slug + " by "
                        + invitation.invitee.email(), Set.of(expectedStatus),
                () -> app.send("POST", "/api/v1/invitations/" + invitation.token + "/accept", invitation.invitee.token(), null));
        if (status == 200) {
            invitation.status = "accepted";
            ws.members.put(invitation.invitee.id(), new TreeSet<>());
            ws.removedPrincipals.remove("user:" + invitation.invitee.id());
        }
        if (ws != null) {
            checkMembers(ws);
            checkInvitations(ws);
        }
        checkListsOf(List.of(invitation.invitee));
    }

    private void setActions(int step, Workspace ws) {
        String userId = anyMember(ws, false);
        if (userId == null) {
            return;
        }
        Set<String> actions = new TreeSet<>();
        ACTIONS.forEach(a -> {
            if (random.nextInt(3) == 0) {
                actions.add(a);
            }
        });
        int status = call(step, "set actions of " + userId + " in " + ws.slug + " to " + actions, Set.of(200),
                () -> app.send("PUT", ws.path("/members/" + userId + "/actions"), token(ws.owner),
                        Json.write(Map.of("actions", List.copyOf(actions)))));
        if (status == 200) {
            ws.members.put(userId, actions);
        }
        checkMembers(ws);
    }

    private void removeMember(int step, Workspace ws) {
        String userId = anyMember(ws, false);
        if (userId == null) {
            return;
        }
        int status = call(step, "remove member " + userId + " from " + ws.slug, Set.of(204),
                () -> app.send("DELETE", ws.path("/members/" + userId), token(ws.owner), null));
        if (status == 204) {
            ws.members.remove(userId);
            ws.groups.values().forEach(g -> g.members.remove(userId));
            ws.removedPrincipals.add("user:" + userId);
        }
        checkMembers(ws);
        checkGroups(ws);
        checkListsOf(List.of(user(userId)));
    }

    private void createGroup(int step, Workspace ws) {
        boolean taken = !ws.groups.isEmpty() && random.nextInt(10) == 0;
        String name = taken ? ws.groups.values().iterator().next().name : "Group " + (++counter);
        int status = call(step, "create group " + name + " in " + ws.slug, Set.of(taken ? 409 : 201),
                () -> app.send("POST", ws.path("/groups"), token(ws.owner), Json.write(Map.of("name", name))));
        if (status == 201) {
            String id = (String) Json.object(lastBody).get("id");
            ws.groups.put(id, new Group(id, name));
        }
        checkGroups(ws);
        checkClaims(ws);
    }

    private void setGroupMembers(int step, Workspace ws) {
        Group group = any(ws.groups.values());
        if (group == null) {
            return;
        }
        List<String> wanted = new ArrayList<>();
        ws.members.keySet().forEach(id -> {
            if (random.nextBoolean()) {
                wanted.add(id);
            }
        });
        boolean outsider = random.nextInt(10) == 0;
        if (outsider) {
            expected.users.stream().map(TestUser::id).filter(id -> !ws.members.containsKey(id)).findFirst()
                    .ifPresent(wanted::add);
        }
        boolean refused = wanted.stream().anyMatch(id -> !ws.members.containsKey(id));
        int status = call(step, "set members of group " + group.id + " in " + ws.slug + " to " + wanted,
                Set.of(refused ? 400 : 200),
                () -> app.send("PUT", ws.path("/groups/" + group.id + "/members"), token(ws.owner),
                        Json.write(Map.of("userIds", wanted))));
        if (status == 200) {
            group.members.clear();
            group.members.addAll(wanted);
        }
        checkGroups(ws);
        checkMembers(ws);
    }

    private void deleteGroup(int step, Workspace ws) {
        Group group = any(ws.groups.values());
        if (group == null) {
            return;
        }
        int status = call(step, "delete group " + group.id + " of " + ws.slug, Set.of(204),
                () -> app.send("DELETE", ws.path("/groups/" + group.id), token(ws.owner), null));
        if (status == 204) {
            ws.groups.remove(group.id);
            ws.removedPrincipals.add("group:" + group.id);
        }
        checkGroups(ws);
        checkMembers(ws);
        checkClaims(ws);
    }

    private void createDefinition(int step, Workspace ws) {
        boolean taken = !ws.definitions.isEmpty() && random.nextInt(10) == 0;
        String displayName = "Box " + (++counter);
        String cliName = taken ? ws.definitions.values().iterator().next().cliName : "box-" + counter;
        List<String> principals = new ArrayList<>();
        principals.add("user:" + ws.owner);
        List<Map<String, Object>> grants = new ArrayList<>();
        String member = anyMember(ws, false);
        if (member != null && random.nextBoolean()) {
            grants.add(Map.of("principal", "user:" + member, "preset", "viewer"));
            principals.add("user:" + member);
        }
        Group group = any(ws.groups.values());
        if (group != null && random.nextBoolean()) {
            grants.add(Map.of("principal", "group:" + group.id, "preset", "editor"));
            principals.add("group:" + group.id);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("displayName", displayName);
        body.put("cliName", cliName);
        body.put("preBuildScript", "echo " + counter + "\n");
        body.put("grants", grants);
        int status = call(step, "create definition " + cliName + " in " + ws.slug + " granting " + principals,
                Set.of(taken ? 409 : 201),
                () -> app.send("POST", ws.path("/definitions"), token(ws.owner), Json.write(body)));
        if (status == 201) {
            String id = (String) Json.object(lastBody).get("id");
            ws.definitions.put(id, new Definition(id, displayName, cliName, 1, principals));
            checkDefinitionDetails(ws, ws.definitions.get(id));
        }
        checkDefinitions(ws);
        checkClaims(ws);
    }

    private void updateDefinition(int step, Workspace ws) {
        Definition d = any(ws.definitions.values());
        if (d == null) {
            return;
        }
        String displayName = "Box " + (++counter);
        String cliName = random.nextBoolean() ? d.cliName : "box-" + counter;
        // 412: a build step recorded a newer image between the read and the write (documented race)
        int status = call(step, "update definition " + d.id + " of " + ws.slug + " as " + cliName, Set.of(200, 412),
                () -> app.send("PUT", ws.path("/definitions/" + d.id), token(ws.owner),
                        Json.write(Map.of("displayName", displayName, "cliName", cliName, "memoryGb", 16))));
        if (status == 200) {
            d.displayName = displayName;
            d.cliName = cliName;
            d.version++;
            checkDefinitionDetails(ws, d);
        }
        checkDefinitions(ws);
        checkClaims(ws);
    }

    private void copyDefinition(int step, Workspace ws) {
        Definition d = any(ws.definitions.values());
        if (d == null) {
            return;
        }
        String displayName = "Copy " + (++counter);
        int status = call(step, "copy definition " + d.id + " of " + ws.slug + " as " + displayName, Set.of(201),
                () -> app.send("POST", ws.path("/definitions/" + d.id + "/copy"), token(ws.owner),
                        Json.write(Map.of("displayName", displayName))));
        if (status == 201) {
            Map<String, Object> copy = Json.object(lastBody);
            String id = (String) copy.get("id");
            ws.definitions.put(id, new Definition(id, displayName, (String) copy.get("cliName"), 1,
                    new ArrayList<>(List.of("user:" + ws.owner))));
            checkDefinitionDetails(ws, ws.definitions.get(id));
        }
        checkDefinitions(ws);
        checkClaims(ws);
    }

    private void deleteDefinition(int step, Workspace ws) {
        Definition d = any(ws.definitions.values());
        if (d == null) {
            return;
        }
        int status = call(step, "delete definition " + d.id + " of " + ws.slug, Set.of(204),
                () -> app.send("DELETE", ws.path("/definitions/" + d.id), token(ws.owner), null));
        if (status == 204) {
            ws.definitions.remove(d.id);
        }
        checkDefinitions(ws);
        checkClaims(ws);
    }

    private void setGrants(int step, Workspace ws) {
        Definition d = any(ws.definitions.values());
        if (d == null) {
            return;
        }
        List<String> principals = new ArrayList<>();
        principals.add("user:" + ws.owner);
        ws.members.keySet().stream().filter(id -> !id.equals(ws.owner) && random.nextBoolean())
                .forEach(id -> principals.add("user:" + id));
        ws.groups.keySet().stream().filter(id -> random.nextBoolean()).forEach(id -> principals.add("group:" + id));
        boolean stranger = random.nextInt(10) == 0 && !ws.removedPrincipals.isEmpty();
        if (stranger) {
            principals.add(ws.removedPrincipals.iterator().next());
        }
        List<Map<String, Object>> body = principals.stream()
                .map(p -> Map.<String, Object>of("principal", p, "preset", p.startsWith("group:") ? "editor" : "full"))
                .toList();
        int status = call(step, "set grants on " + d.id + " of " + ws.slug + " to " + principals,
                Set.of(stranger ? 400 : 200),
                () -> app.send("PUT", ws.path("/definitions/" + d.id + "/grants"), token(ws.owner), Json.write(body)));
        if (status == 200) {
            d.grants = principals;
        }
        checkDefinitionDetails(ws, d);
    }

    private void rebuild(int step, Workspace ws) {
        Definition d = any(ws.definitions.values());
        if (d == null) {
            return;
        }
        int status = call(step, "rebuild " + d.id + " of " + ws.slug, Set.of(202),
                () -> app.send("POST", ws.path("/definitions/" + d.id + "/builds"), token(ws.owner), null));
        if (status == 202) {
            String buildId = (String) Json.object(lastBody).get("id");
            Map<String, Object> current = map(Json.object(get(ws.path("/definitions/" + d.id), token(ws.owner)))
                    .get("currentBuild"));
            assertThat(buildId.equals(current.get("id")), "a rebuild is the definition's current build at once; "
                    + "answered " + buildId + ", current " + current);
        }
        checkDefinitionDetails(ws, d);
    }

    private void cancelBuild(int step, Workspace ws) {
        Definition d = any(ws.definitions.values());
        if (d == null) {
            return;
        }
        Map<String, Object> current = map(Json.object(get(ws.path("/definitions/" + d.id), token(ws.owner)))
                .get("currentBuild"));
        String buildId = (String) current.get("id");
        // 409: the build ended (in the background) before the cancel arrived
        int status = call(step, "cancel build " + buildId + " of " + d.id + " in " + ws.slug, Set.of(202, 409),
                () -> app.send("POST", ws.path("/definitions/" + d.id + "/builds/" + buildId + "/cancel"),
                        token(ws.owner), null));
        if (status == 202 && "cancelled".equals(Json.object(lastBody).get("status"))) {
            Map<String, Object> build = build(ws, d, buildId);
            assertThat("cancelled".equals(build.get("status")), "a build cancelled before it started stays cancelled: "
                    + build);
        }
        checkDefinitionDetails(ws, d);
    }

    private void setAiSettings(int step, Workspace ws) {
        String key = "sk-test-" + unique("k");
        String model = "model-" + (++counter);
        int status = call(step, "set AI settings of " + ws.slug + " to " + model, Set.of(200),
                () -> app.send("PUT", ws.path("/ai-settings"), token(ws.owner),
                        Json.write(Map.of("provider", "anthropic", "model", model, "apiKey", key))));
        if (status == 200) {
            ws.aiSet = true;
            ws.aiModel = model;
            ws.aiKeyLast4 = key.substring(key.length() - 4);
        }
        checkAiSettings(ws);
    }

    /** Users the site administrator created through the API: email → id. */
    private final Map<String, String> signedUp = new LinkedHashMap<>();
    /** Emails whose creation was answered 503: creating them again must succeed. */
    private final List<String> refusedEmails = new ArrayList<>();
    /** Sign-in links mailed and not yet redeemed, and how many links each address asked for. */
    private final Map<String, String> links = new LinkedHashMap<>();
    private final Set<String> redeemedLinks = new TreeSet<>();
    private final Map<String, Integer> linksAsked = new HashMap<>();

    private void createUser(int step) {
        int pick = random.nextInt(10);
        String email;
        int expectedStatus = 201;
        if (pick < 3 && !refusedEmails.isEmpty()) {
            email = refusedEmails.remove(random.nextInt(refusedEmails.size()));
        } else if (pick == 3 && !signedUp.isEmpty()) {
            email = any(signedUp.keySet());
            expectedStatus = 409;
        } else {
            email = unique("person") + "@example.com";
        }
        int status = call(step, "create user " + email, Set.of(expectedStatus),
                () -> app.send("POST", "/api/v1/users", app.bootstrapToken(),
                        Json.write(Map.of("email", email, "displayName", "Person " + (++counter)))));
        if (status == 201) {
            signedUp.put(email, (String) Json.object(lastBody).get("id"));
        } else if (status == 503 && !signedUp.containsKey(email)) {
            refusedEmails.add(email);
        }
    }

    private void requestSignInLink(int step) {
        String email = any(signedUp.keySet().stream().filter(e -> linksAsked.getOrDefault(e, 0) < 4).toList());
        if (email == null) {
            return;
        }
        int seen = mails(email).size();
        int status = call(step, "ask for a sign-in link for " + email, Set.of(202),
                () -> app.send("POST", "/api/v1/auth/login-links", null, Json.write(Map.of("email", email))));
        List<String> mails = mails(email);
        if (status == 202) {
            linksAsked.merge(email, 1, Integer::sum);
            // the mail may not go if SES throttled it beyond the retries (answered alike, by design)
            if (mails.size() == seen + 1) {
                Matcher link = SIGN_IN_LINK.matcher(mails.get(mails.size() - 1));
                assertThat(link.find(), "the mail carries the sign-in link");
                links.put(link.group(1), email);
                log.add("   (link " + link.group(1).substring(0, 12) + "… mailed)");
            }
        } else {
            assertThat(mails.size() == seen, "a refused request for a sign-in link mails nothing");
        }
    }

    private void redeemSignInLink(int step) {
        List<String> candidates = new ArrayList<>(links.keySet());
        candidates.addAll(redeemedLinks);
        String token = any(candidates);
        if (token == null) {
            return;
        }
        boolean used = redeemedLinks.contains(token);
        int status = call(step, "redeem " + (used ? "used " : "") + "sign-in link " + token.substring(0, 12) + "…",
                Set.of(used ? 410 : 200),
                () -> app.send("POST", "/api/v1/auth/login-links/redeem", null, Json.write(Map.of("token", token))));
        if (status == 200) {
            String email = links.remove(token);
            redeemedLinks.add(token);
            String session = (String) Json.object(lastBody).get("token");
            Map<String, Object> me = Json.object(get("/api/v1/me", session));
            assertThat(signedUp.get(email).equals(me.get("id")), "the session is the user's: " + me);
        }
    }

    /** Tokens users issued themselves and have not revoked: token id → [user id, secret]. */
    private final Map<String, String[]> ownTokens = new LinkedHashMap<>();

    private void issueToken(int step) {
        TestUser user = anyUser();
        int status = call(step, "issue a token for " + user.email(), Set.of(201),
                () -> app.send("POST", "/api/v1/me/tokens", user.token(),
                        Json.write(Map.of("name", "t" + (++counter), "expiresInDays", 1))));
        if (status == 201) {
            Map<String, Object> issued = Json.object(lastBody);
            ownTokens.put((String) issued.get("id"), new String[] {user.id(), (String) issued.get("token")});
            assertThat(app.send("GET", "/api/v1/me", (String) issued.get("token"), null).statusCode() == 200,
                    "an issued token works");
        }
        checkTokensOf(user);
    }

    private void revokeToken(int step) {
        String id = any(ownTokens.keySet());
        if (id == null) {
            return;
        }
        String[] token = ownTokens.get(id);
        TestUser user = user(token[0]);
        int status = call(step, "revoke token " + id + " of " + user.email(), Set.of(204),
                () -> app.send("DELETE", "/api/v1/me/tokens/" + id, user.token(), null));
        if (status == 204) {
            ownTokens.remove(id);
        }
        int after = app.send("GET", "/api/v1/me", token[1], null).statusCode();
        assertThat(after == (status == 204 ? 401 : 200), "token " + id + " after its revocation answered " + status
                + ": GET /me answers " + after);
        checkTokensOf(user);
    }

    /** The user's token list holds exactly their own unrevoked tokens. */
    private void checkTokensOf(TestUser user) {
        Set<String> expectedIds = new TreeSet<>();
        ownTokens.forEach((id, t) -> {
            if (t[0].equals(user.id())) {
                expectedIds.add(id);
            }
        });
        Set<String> found = new TreeSet<>();
        items(get("/api/v1/me/tokens?limit=100", user.token())).forEach(t -> found.add((String) t.get("id")));
        assertThat(found.equals(expectedIds), "tokens of " + user.email() + ": expected " + expectedIds + ", found "
                + found);
    }

    private void read(int step, Workspace ws) {
        TestUser reader = anyUser();
        boolean member = ws.members.containsKey(reader.id());
        String[] paths = {"", "/members?limit=100", "/definitions?limit=100", "/groups?limit=100"};
        String path = paths[random.nextInt(paths.length)];
        if (random.nextInt(4) == 0) {
            call(step, "list workspaces of " + reader.email(), Set.of(200),
                    () -> app.send("GET", "/api/v1/workspaces?limit=100", reader.token(), null));
            return;
        }
        call(step, "read " + ws.path(path) + " as " + (member ? "member " : "outsider ") + reader.email(),
                Set.of(member ? 200 : 404), () -> app.send("GET", ws.path(path), reader.token(), null));
    }

    // --- one call under throttling -----------------------------------------------------------

    private String lastBody;
    private long inSteps;

    /**
     * Sends one request while AWS throttles; its answer must be one of {@code allowed} or 503
     * throttled with Retry-After. Returns the status.
     */
    private int call(int step, String what, Set<Integer> allowed, Supplier<HttpResponse<String>> request) {
        HttpResponse<String> response;
        long started = System.nanoTime();
        aws.throttle(true);
        try {
            response = request.get();
        } finally {
            aws.throttle(false);
            inSteps += System.nanoTime() - started;
        }
        int status = response.statusCode();
        lastBody = response.body();
        log.add("#" + step + " " + what + " -> " + status);
        statuses.merge(String.valueOf(status), 1, Integer::sum);
        if (status == 503) {
            assertThat(response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d+")).isPresent(),
                    "a 503 says when to try again (Retry-After in seconds): " + response.headers().map());
            assertThat(response.body().contains("/problems/throttled"), "a 503 is a throttled problem: " + response.body());
            return status;
        }
        assertThat(allowed.contains(status), "step " + step + " (" + what + ") answered " + status + ", expected one of "
                + allowed + " or 503: " + response.body());
        return status;
    }

    // --- checks, throttling off ---------------------------------------------------------------

    private void sweep() {
        for (Workspace ws : expected.workspaces.values()) {
            checkWorkspace(ws);
            for (Definition d : ws.definitions.values()) {
                checkDefinitionDetails(ws, d);
            }
            checkAiSettings(ws);
            for (Definition d : ws.definitions.values()) {
                for (String p : d.grants) {
                    String id = p.substring(p.indexOf(':') + 1);
                    boolean exists = p.startsWith("user:") ? ws.members.containsKey(id) : ws.groups.containsKey(id);
                    assertThat(exists || ws.removedPrincipals.contains(p), "grant on " + d.id + " names " + p
                            + ", neither a member or group of " + ws.slug + " nor one removed since");
                }
            }
        }
        expected.deleted.forEach(this::checkPartitionEmpty);
        checkListsOf(expected.users);
    }

    private void checkWorkspace(Workspace ws) {
        if (ws == null) {
            return;
        }
        Map<String, Object> found = Json.object(get(ws.path(""), token(ws.owner)));
        assertThat(ws.name.equals(found.get("name")), "workspace " + ws.slug + " is named " + ws.name + ": " + found);
        checkMembers(ws);
        checkGroups(ws);
        checkInvitations(ws);
        checkDefinitions(ws);
        checkClaims(ws);
    }

    private void checkMembers(Workspace ws) {
        Map<String, Map<String, Object>> found = byKey(items(get(ws.path("/members?limit=100"), token(ws.owner))), "userId");
        assertThat(found.keySet().equals(ws.members.keySet()), "members of " + ws.slug + ": expected "
                + ws.members.keySet() + ", found " + found.keySet());
        for (var entry : ws.members.entrySet()) {
            Map<String, Object> member = found.get(entry.getKey());
            String role = entry.getKey().equals(ws.owner) ? "owner" : "member";
            assertThat(role.equals(member.get("role")), "role of " + entry.getKey() + " in " + ws.slug + ": " + member);
            if (!entry.getKey().equals(ws.owner)) {
                assertThat(new TreeSet<>(strings(member.get("actions"))).equals(entry.getValue()), "actions of "
                        + entry.getKey() + " in " + ws.slug + ": expected " + entry.getValue() + ", found " + member);
            }
            assertThat(new TreeSet<>(strings(member.get("groups"))).equals(ws.groupsOf(entry.getKey())), "groups of member "
                    + entry.getKey() + " in " + ws.slug + ": expected " + ws.groupsOf(entry.getKey()) + ", found " + member);
        }
    }

    private void checkGroups(Workspace ws) {
        Map<String, Map<String, Object>> found = byKey(items(get(ws.path("/groups?limit=100"), token(ws.owner))), "id");
        assertThat(found.keySet().equals(ws.groups.keySet()), "groups of " + ws.slug + ": expected "
                + ws.groups.keySet() + ", found " + found.keySet());
        for (Group g : ws.groups.values()) {
            Map<String, Object> group = found.get(g.id);
            assertThat(g.name.equals(group.get("name")), "name of group " + g.id + ": " + group);
            Set<String> members = new TreeSet<>(strings(group.get("userIds")));
            assertThat(members.equals(g.members), "members of group " + g.id + " in " + ws.slug + ": expected "
                    + g.members + ", found " + members);
            assertThat(ws.members.keySet().containsAll(members), "group " + g.id + " holds non-members: " + members);
        }
    }

    private void checkInvitations(Workspace ws) {
        Map<String, Map<String, Object>> found = byKey(items(get(ws.path("/invitations?limit=100"), token(ws.owner))), "id");
        assertThat(found.keySet().equals(ws.invitations.keySet()), "invitations of " + ws.slug + ": expected "
                + ws.invitations.keySet() + ", found " + found.keySet());
        for (Invitation i : ws.invitations.values()) {
            assertThat(i.status.equals(found.get(i.id).get("status")), "status of invitation " + i.id + ": expected "
                    + i.status + ", found " + found.get(i.id));
        }
    }

    private void checkDefinitions(Workspace ws) {
        Map<String, Map<String, Object>> found = byKey(items(get(ws.path("/definitions?limit=100"), token(ws.owner))), "id");
        assertThat(found.keySet().equals(ws.definitions.keySet()), "definitions of " + ws.slug + ": expected "
                + ws.definitions.keySet() + ", found " + found.keySet());
        for (Definition d : ws.definitions.values()) {
            Map<String, Object> def = found.get(d.id);
            assertThat(d.displayName.equals(def.get("displayName")) && d.cliName.equals(def.get("cliName"))
                            && d.version == ((Number) def.get("version")).longValue(),
                    "definition " + d.id + ": expected " + d.displayName + "/" + d.cliName + " v" + d.version + ", found "
                            + def.get("displayName") + "/" + def.get("cliName") + " v" + def.get("version"));
            assertThat(def.get("currentBuild") != null, "definition " + d.id + " has a current build: " + def);
        }
    }

    /** Grants as set, and the current build among the builds. */
    private void checkDefinitionDetails(Workspace ws, Definition d) {
        List<String> grants = jsonList(get(ws.path("/definitions/" + d.id + "/grants"), token(ws.owner))).stream()
                .map(g -> (String) g.get("principal")).toList();
        assertThat(new TreeSet<>(grants).equals(new TreeSet<>(d.grants)), "grants on " + d.id + ": expected " + d.grants
                + ", found " + grants);
        Map<String, Object> def = Json.object(get(ws.path("/definitions/" + d.id), token(ws.owner)));
        String current = (String) map(def.get("currentBuild")).get("id");
        build(ws, d, current);
    }

    private Map<String, Object> build(Workspace ws, Definition d, String buildId) {
        List<Map<String, Object>> builds = items(get(ws.path("/definitions/" + d.id + "/builds?limit=100"), token(ws.owner)));
        return builds.stream().filter(b -> buildId.equals(b.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("the current build " + buildId + " of " + d.id
                        + " is not among its builds: " + builds.stream().map(b -> b.get("id")).toList()));
    }

    private void checkAiSettings(Workspace ws) {
        Map<String, Object> found = Json.object(get(ws.path("/ai-settings"), token(ws.owner)));
        if (!ws.aiSet) {
            assertThat(found.get("model") == null, "AI settings of " + ws.slug + " never set: " + found);
            return;
        }
        assertThat(ws.aiModel.equals(found.get("model")) && ws.aiKeyLast4.equals(found.get("apiKeyLast4")),
                "AI settings of " + ws.slug + ": expected " + ws.aiModel + " …" + ws.aiKeyLast4 + ", found " + found);
    }

    /** Unique-name claims in the table match what exists: a CLI name per definition, a name per group. */
    private void checkClaims(Workspace ws) {
        Set<String> cliNames = new TreeSet<>();
        Set<String> groupNames = new TreeSet<>();
        Set<String> grants = new TreeSet<>();
        for (Map<String, AttributeValue> item : partition(ws.slug)) {
            String sk = item.get("SK").s();
            if (sk.startsWith("CLINAME#")) {
                cliNames.add(sk.substring("CLINAME#".length()));
            } else if (sk.startsWith("GROUPNAME#")) {
                groupNames.add(sk.substring("GROUPNAME#".length()));
            } else if (sk.startsWith("GRANTS#DEFINITION#")) {
                grants.add(sk.substring("GRANTS#DEFINITION#".length()));
            }
        }
        Set<String> expectedCli = ws.definitions.values().stream().map(d -> d.cliName).collect(Collectors.toCollection(TreeSet::new));
        assertThat(cliNames.equals(expectedCli), "CLI name claims of " + ws.slug + ": expected " + expectedCli
                + ", found " + cliNames);
        Set<String> expectedGroups = ws.groups.values().stream().map(g -> g.name.toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(groupNames.equals(expectedGroups), "group name claims of " + ws.slug + ": expected " + expectedGroups
                + ", found " + groupNames);
        assertThat(grants.equals(new TreeSet<>(ws.definitions.keySet())), "grants items of " + ws.slug + ": expected "
                + ws.definitions.keySet() + ", found " + grants);
    }

    /** Each user's workspace list names exactly the workspaces they are a member of, by their current names. */
    private void checkListsOf(List<TestUser> users) {
        for (TestUser user : users) {
            Map<String, String> expectedNames = new LinkedHashMap<>();
            expected.workspaces.values().stream().filter(ws -> ws.members.containsKey(user.id()))
                    .forEach(ws -> expectedNames.put(ws.slug, ws.name));
            Map<String, String> found = new LinkedHashMap<>();
            items(get("/api/v1/workspaces?limit=100", user.token()))
                    .forEach(w -> found.put((String) w.get("slug"), (String) w.get("name")));
            assertThat(found.equals(expectedNames), "workspaces of " + user.email() + ": expected " + expectedNames
                    + ", found " + found);
        }
    }

    private void checkPartitionEmpty(String slug) {
        List<Map<String, AttributeValue>> left = partition(slug);
        assertThat(left.isEmpty(), "deleted workspace " + slug + " left items: "
                + left.stream().map(i -> i.get("SK").s()).toList());
    }

    // --- helpers ------------------------------------------------------------------------------

    private List<Map<String, AttributeValue>> partition(String slug) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        app.context().getBean(DynamoDbClient.class).queryPaginator(r -> r.tableName(app.tableName()).consistentRead(true)
                        .keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.workspace(slug)))))
                .forEach(page -> items.addAll(page.items()));
        return items;
    }

    private String get(String path, String token) {
        HttpResponse<String> response = app.send("GET", path, token, null);
        assertThat(response.statusCode() == 200, "GET " + path + " (throttling off) answered " + response.statusCode()
                + ": " + response.body());
        return response.body();
    }

    private List<String> mails(String email) {
        Path outbox = Path.of((String) app.properties().get("atelier.data-dir"), "outbox");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        String tag = "-" + email.replaceAll("[^A-Za-z0-9@._-]", "_") + "-";
        try (var files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().contains(tag)).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Workspace anyWorkspace() {
        return any(expected.workspaces.values());
    }

    private TestUser anyUser() {
        return expected.users.get(random.nextInt(expected.users.size()));
    }

    /** A member of {@code ws}; with {@code owner} false, never its owner; null when there is none. */
    private String anyMember(Workspace ws, boolean owner) {
        return any(ws.members.keySet().stream().filter(id -> owner || !id.equals(ws.owner)).toList());
    }

    private <T> T any(java.util.Collection<T> values) {
        if (values.isEmpty()) {
            return null;
        }
        int pick = random.nextInt(values.size());
        return values.stream().skip(pick).findFirst().orElseThrow();
    }

    private List<TestUser> usersOf(Workspace ws) {
        return expected.users.stream().filter(u -> ws.members.containsKey(u.id())).toList();
    }

    private TestUser user(String id) {
        return expected.users.stream().filter(u -> u.id().equals(id)).findFirst().orElseThrow();
    }

    private String token(String userId) {
        return user(userId).token();
    }

    private static String unique(String prefix) {
        return dev.atelier.testing.Workspaces.unique(prefix);
    }

    private static List<Map<String, Object>> items(String body) {
        return Json.items(body);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonList(String body) {
        try {
            return (List<Map<String, Object>>) (List<?>) io.micronaut.json.JsonMapper.createDefault()
                    .readValue(body, io.micronaut.core.type.Argument.listOf(Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> items, String key) {
        Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
        items.forEach(i -> byKey.put((String) i.get(key), i));
        return byKey;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }

    private static void assertThat(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
