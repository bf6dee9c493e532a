package dev.atelier.facts;

import dev.atelier.access.Action;
import dev.atelier.access.Authorizer;
import dev.atelier.access.Decision;
import dev.atelier.access.Operation;
import dev.atelier.access.ResourceFacts;
import dev.atelier.access.ResourceKind;
import dev.atelier.grant.GrantsItem;
import dev.atelier.access.Subject;
import dev.atelier.identity.Caller;
import dev.atelier.web.ApiException;
import dev.atelier.workspace.MemberItem;
import dev.atelier.workspace.WorkspaceItem;
import io.micronaut.core.annotation.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything authorization needs about a request, read once, before the controller runs: who
 * calls, and — for a path inside a workspace — the workspace and the caller's membership of it.
 *
 * @param slug      the workspace named by the path, if any
 * @param workspace the workspace, when it exists
 * @param member    the caller's membership, when they are a member
 */
public record RequestFacts(Caller caller, @Nullable String slug, @Nullable WorkspaceItem workspace,
                           @Nullable MemberItem member, @Nullable Resource resource) {

    public RequestFacts(Caller caller, @Nullable String slug, @Nullable WorkspaceItem workspace,
                        @Nullable MemberItem member) {
        this(caller, slug, workspace, member, null);
    }

    /**
     * The resource a path like {@code /workspaces/{slug}/definitions/{id}/…} names, with its grants.
     *
     * @param item   the stored resource, or null when there is none with that id
     * @param grants the grants on it, or null when none were ever set
     */
    public record Resource(ResourceKind kind, String id,
                           @Nullable Map<String, AttributeValue> item, @Nullable GrantsItem grants) {

        public boolean exists() {
            return item != null;
        }

        /** The facts the authorization function needs; null when the resource does not exist. */
        @Nullable
        public ResourceFacts facts() {
            if (item == null) {
                return null;
            }
            AttributeValue launcher = item.get("launchedBy");
            return new ResourceFacts(kind, id, grants == null ? List.of() : grants.grants(),
                    launcher == null ? null : launcher.s());
        }
    }

    /**
     * For an operation on the path's resource.
     *
     * @throws ApiException 404 when it does not exist or the caller may not see it, 403 when
     *                      they see it but may not do this
     */
    public Membership requireOnResource(Operation operation) {
        if (resource == null || !resource.exists()) {
            require(Operation.WORKSPACE_READ);
            throw ApiException.notFound("No " + (resource == null ? "such resource" : resource.kind().wireName()
                    + " '" + resource.id() + "'") + " in this workspace");
        }
        Decision decision = Authorizer.decide(subject(), operation, resource.facts());
        if (decision.outcome() == Decision.Outcome.NOT_FOUND && member != null) {
            throw ApiException.notFound("No " + resource.kind().wireName() + " '" + resource.id() + "' in this workspace");
        }
        enforce(decision, "No workspace '" + slug + "' among yours");
        return new Membership(workspace, member);
    }

    /** The caller as the authorization function sees them in this workspace. */
    public Subject subject() {
        if (workspace == null || member == null) {
            return Subject.outsider(caller.userId());
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        member.actions().forEach(a -> Action.parse(a).ifPresent(actions::add));
        return new Subject(caller.userId(), new Subject.Membership(member.owner(), actions, Set.copyOf(member.groupIds())));
    }

    /**
     * @throws ApiException 404 when the caller is not a member (or the workspace does not
     *                      exist), 403 when they are but may not do this
     */
    public Membership require(Operation operation) {
        return require(operation, null);
    }

    /** As {@link #require(Operation)}, for an operation on one resource. */
    public Membership require(Operation operation, @Nullable ResourceFacts resource) {
        enforce(Authorizer.decide(subject(), operation, resource), "No workspace '" + slug + "' among yours");
        return new Membership(workspace, member);
    }

    /** Whether the caller may do this, without refusing. */
    public boolean may(Operation operation) {
        return Authorizer.decide(subject(), operation, null).allowed();
    }

    public Optional<MemberItem> membership() {
        return Optional.ofNullable(member);
    }

    /** Turns a refusal into its answer. */
    public static void enforce(Decision decision, String notFoundDetail) {
        switch (decision.outcome()) {
            case ALLOW -> { }
            case NOT_FOUND -> throw ApiException.notFound(notFoundDetail);
            case FORBIDDEN -> throw ApiException.forbidden("Not allowed: " + decision.reason());
        }
    }

    /** A workspace seen through the caller's membership. */
    public record Membership(WorkspaceItem workspace, MemberItem member) { }
}
