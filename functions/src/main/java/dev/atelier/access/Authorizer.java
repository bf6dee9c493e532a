package dev.atelier.access;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decides every request: (subject, operation, resource facts) → allow or deny, with a reason.
 * Pure: no I/O, no clock, no state. Deny by default.
 *
 * <ol>
 *   <li>A caller who is not a member of the workspace sees nothing in it (404).</li>
 *   <li>Owners may do everything in their own workspace (and, being members of no other, nothing elsewhere).</li>
 *   <li>Workspace operations need membership, plus the named action or ownership (else 403).</li>
 *   <li>Resource operations need the level on the resource from a grant to the member, to one of
 *       their groups, or from having launched the workstation, plus the named action. A resource
 *       the member may not read is invisible (404); one they may read but not act on is 403.</li>
 * </ol>
 */
public final class Authorizer {

    private Authorizer() { }

    public static Decision decide(Subject subject, Operation operation, @Nullable ResourceFacts resource) {
        Subject.Membership membership = subject.membership();
        if (membership == null) {
            return Decision.notFound("not a member of the workspace");
        }
        if (membership.owner()) {
            return Decision.allow("owner");
        }
        return switch (operation.need()) {
            case MEMBER -> Decision.allow("member");
            case OWNER -> Decision.forbidden("only the owner may do this");
            case ACTION -> membership.actions().contains(operation.action())
                    ? Decision.allow("action " + operation.action().wireName())
                    : Decision.forbidden("needs the action " + operation.action().wireName());
            case LEVEL -> decideOnResource(subject, operation, resource);
        };
    }

    private static Decision decideOnResource(Subject subject, Operation operation, @Nullable ResourceFacts resource) {
        if (resource == null || resource.kind() != operation.kind()) {
            return Decision.notFound("no such resource");
        }
        Set<Level> levels = levels(subject.userId(), subject.membership().groupIds(), resource);
        Operation read = Operation.readOf(resource.kind());
        if (!satisfies(subject.membership(), levels, read)) {
            return Decision.notFound("may not see this " + resource.kind().wireName());
        }
        if (!levels.contains(operation.level())) {
            return Decision.forbidden("needs the level " + operation.level().wireName());
        }
        if (operation.action() != null && !subject.membership().actions().contains(operation.action())) {
            return Decision.forbidden("needs the action " + operation.action().wireName());
        }
        return Decision.allow("level " + operation.level().wireName()
                + (operation.action() == null ? "" : " and action " + operation.action().wireName()));
    }

    private static boolean satisfies(Subject.Membership membership, Set<Level> levels, Operation operation) {
        return levels.contains(operation.level())
                && (operation.action() == null || membership.actions().contains(operation.action()));
    }

    /** The levels a user holds on a resource, from every source. */
    public static Set<Level> levels(String userId, Set<String> groupIds, ResourceFacts resource) {
        Set<Level> levels = EnumSet.noneOf(Level.class);
        for (Reason reason : reasons(userId, groupIds, resource, java.util.Map.of())) {
            levels.add(reason.level());
        }
        return levels;
    }

    /** Where a level comes from: {@code grant}, {@code group:<name>}, {@code launcher} or {@code owner}. */
    public record Reason(Level level, String source) { }

    /**
     * Every level a user holds on a resource and why, for the effective-permissions preview.
     *
     * @param groupNames names of the user's groups by id, to word the reasons
     */
    public static List<Reason> reasons(String userId, Set<String> groupIds, ResourceFacts resource,
                                       java.util.Map<String, String> groupNames) {
        List<Reason> reasons = new ArrayList<>();
        for (Grant grant : resource.grants()) {
            Principal p = grant.principal();
            String source = null;
            if (p.type() == Principal.Type.USER && p.id().equals(userId)) {
                source = "grant";
            } else if (p.type() == Principal.Type.GROUP && groupIds.contains(p.id())) {
                source = "group:" + groupNames.getOrDefault(p.id(), p.id());
            }
            if (source != null) {
                for (Level level : grant.levels()) {
                    reasons.add(new Reason(level, source));
                }
            }
        }
        if (resource.kind() == ResourceKind.WORKSTATION && userId.equals(resource.launcherUserId())) {
            for (Level level : Level.values()) {
                reasons.add(new Reason(level, "launcher"));
            }
        }
        return reasons;
    }
}
