package dev.atelier.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access model as data: every operation × every kind of caller, with the expected outcome
 * (A allow, F forbidden 403, N not found 404). A new operation without a row fails the build.
 */
class AuthorizerTest {

    /** Columns: the kinds of caller. */
    private static final List<String> CALLERS = List.of(
            "outsider",           // not a member
            "owner",              // the workspace's owner
            "member",             // no actions, no grants
            "member+actions",     // every action, no grants
            "member+full",        // full grant to the user, no actions
            "member+full+actions",// full grant and every action
            "group-viewer",       // every action, viewer grant through a group
            "launcher");          // launched the workstation; no actions, no grants

    private static final String GOLDEN = """
            WORKSPACE_READ        N A A A A A A A
            WORKSPACE_UPDATE      N A F A F A A F
            WORKSPACE_DELETE      N A F F F F F F
            SETTINGS_READ         N A F A F A A F
            MEMBERS_READ          N A A A A A A A
            MEMBERS_MANAGE        N A F A F A A F
            PERMISSIONS_PREVIEW   N A F A F A A F
            AUDIT_READ            N A F F F F F F
            DEFINITION_CREATE     N A F A F A A F
            DEFINITION_READ       N A N N A A A N
            DEFINITION_WRITE      N A N N A A F N
            DEFINITION_REBUILD    N A N N A A F N
            DEFINITION_LAUNCH     N A N N A A F N
            DEFINITION_PROMOTE    N A N N A A F N
            DEFINITION_LOGS       N A N N F A A N
            IMAGE_READ            N A N N A A A N
            IMAGE_WRITE           N A N N A A F N
            IMAGE_DELETE          N A N N F A F N
            IMAGE_LAUNCH          N A N N A A F N
            IMAGE_PROMOTE         N A N N A A F N
            WORKSTATION_READ      N A N N N A A N
            WORKSTATION_RESTART   N A N N N A F N
            WORKSTATION_STOP      N A N N N A F N
            WORKSTATION_CONNECT   N A N N N A F N
            WORKSTATION_KEEP_ALIVE N A N N N A F N
            WORKSTATION_DELETE    N A N N N A F N
            WORKSTATION_UPDATE    N A N N N A F N
            WORKSTATION_LOGS      N A N N N A A N
            WORKSTATION_IDE       N A N N N A A N
            WORKSTATION_PROMOTE   N A N N N A F N
            """;

    private static final String USER = "u-1";
    private static final String GROUP = "g-1";

    private static Map<Operation, String> golden() {
        Map<Operation, String> rows = new LinkedHashMap<>();
        GOLDEN.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(line -> {
            String[] parts = line.split("\\s+");
            rows.put(Operation.valueOf(parts[0]), String.join("", Arrays.copyOfRange(parts, 1, parts.length)));
        });
        return rows;
    }

    @Test
    void golden_shouldHaveARowForEveryOperation() {
        assertThat(golden().keySet()).containsExactlyInAnyOrder(Operation.values());
        assertThat(golden().values()).allSatisfy(row -> assertThat(row).hasSize(CALLERS.size()));
    }

    static Stream<Arguments> cases() {
        return golden().entrySet().stream().flatMap(row -> {
            Stream.Builder<Arguments> cases = Stream.builder();
            for (int i = 0; i < CALLERS.size(); i++) {
                cases.add(Arguments.of(row.getKey(), CALLERS.get(i), row.getValue().charAt(i)));
            }
            return cases.build();
        });
    }

    @ParameterizedTest(name = "{0} by {1} -> {2}")
    @MethodSource("cases")
    void decide_shouldMatchTheGoldenTable(Operation operation, String caller, char expected) {
        Decision decision = Authorizer.decide(subject(caller), operation, resource(caller, operation.kind()));
        Decision.Outcome outcome = switch (expected) {
            case 'A' -> Decision.Outcome.ALLOW;
            case 'F' -> Decision.Outcome.FORBIDDEN;
            default -> Decision.Outcome.NOT_FOUND;
        };
        assertThat(decision.outcome()).as(decision.reason()).isEqualTo(outcome);
        assertThat(decision.reason()).isNotBlank();
    }

    @Test
    void decide_shouldDenyResourceOperations_whenTheResourceIsMissingOrOfAnotherKind() {
        Subject member = subject("member+full+actions");
        assertThat(Authorizer.decide(member, Operation.DEFINITION_READ, null).outcome())
                .isEqualTo(Decision.Outcome.NOT_FOUND);
        ResourceFacts image = new ResourceFacts(ResourceKind.IMAGE, "i", List.of(full(Principal.user(USER))), null);
        assertThat(Authorizer.decide(member, Operation.DEFINITION_READ, image).outcome())
                .isEqualTo(Decision.Outcome.NOT_FOUND);
    }

    @Test
    void decide_shouldIgnoreGrantsToOtherUsersAndGroups() {
        Subject member = subject("member+actions");
        ResourceFacts others = new ResourceFacts(ResourceKind.DEFINITION, "d",
                List.of(full(Principal.user("someone-else")), full(Principal.group("another-group"))), null);
        assertThat(Authorizer.decide(member, Operation.DEFINITION_READ, others).outcome())
                .isEqualTo(Decision.Outcome.NOT_FOUND);
    }

    @Test
    void reasons_shouldNameEverySourceOfALevel() {
        ResourceFacts workstation = new ResourceFacts(ResourceKind.WORKSTATION, "w",
                List.of(new Grant(Principal.user(USER), EnumSet.of(Level.READ)),
                        new Grant(Principal.group(GROUP), EnumSet.of(Level.READ, Level.OPERATE))), USER);
        List<Authorizer.Reason> reasons = Authorizer.reasons(USER, Set.of(GROUP), workstation, Map.of(GROUP, "Data"));
        assertThat(reasons).contains(new Authorizer.Reason(Level.READ, "grant"),
                new Authorizer.Reason(Level.READ, "group:Data"), new Authorizer.Reason(Level.OPERATE, "group:Data"),
                new Authorizer.Reason(Level.PROMOTE, "launcher"));
    }

    @Test
    void presets_shouldHoldTheDocumentedLevels() {
        assertThat(Level.Preset.FULL.levels()).containsExactlyInAnyOrder(Level.values());
        assertThat(Level.Preset.EDITOR.levels()).containsExactlyInAnyOrder(Level.READ, Level.WRITE, Level.OPERATE, Level.ACCESS);
        assertThat(Level.Preset.VIEWER.levels()).containsExactly(Level.READ);
    }

    private static Subject subject(String caller) {
        Set<Action> all = EnumSet.allOf(Action.class);
        Set<Action> none = EnumSet.noneOf(Action.class);
        return switch (caller) {
            case "outsider" -> Subject.outsider(USER);
            case "owner" -> new Subject(USER, new Subject.Membership(true, none, Set.of()));
            case "member", "member+full", "launcher" -> new Subject(USER, new Subject.Membership(false, none, Set.of()));
            case "member+actions", "member+full+actions" -> new Subject(USER, new Subject.Membership(false, all, Set.of()));
            case "group-viewer" -> new Subject(USER, new Subject.Membership(false, all, Set.of(GROUP)));
            default -> throw new IllegalArgumentException(caller);
        };
    }

    private static ResourceFacts resource(String caller, ResourceKind kind) {
        if (kind == null) {
            return null;
        }
        return switch (caller) {
            case "member+full", "member+full+actions", "owner", "outsider" ->
                    new ResourceFacts(kind, "r", List.of(full(Principal.user(USER))), null);
            case "group-viewer" -> new ResourceFacts(kind, "r",
                    List.of(new Grant(Principal.group(GROUP), Level.Preset.VIEWER.levels())), null);
            case "launcher" -> new ResourceFacts(kind, "r", List.of(), USER);
            default -> new ResourceFacts(kind, "r", List.of(), null);
        };
    }

    private static Grant full(Principal principal) {
        return new Grant(principal, Level.Preset.FULL.levels());
    }
}
