package dev.atelier.access;

import io.micronaut.core.annotation.Nullable;

import java.util.EnumSet;
import java.util.Set;

/**
 * The facts about a caller that authorization needs, loaded once per request.
 *
 * @param membership the caller's membership of the workspace in question; null when not a member
 */
public record Subject(String userId, @Nullable Membership membership) {

    /** A member's standing in one workspace. */
    public record Membership(boolean owner, Set<Action> actions, Set<String> groupIds) {
        public Membership {
            actions = actions.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(actions);
            groupIds = Set.copyOf(groupIds);
        }
    }

    public static Subject outsider(String userId) {
        return new Subject(userId, null);
    }
}
