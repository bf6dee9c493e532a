package dev.atelier.grant;

import dev.atelier.access.Action;
import dev.atelier.access.Authorizer;
import dev.atelier.access.Grant;
import dev.atelier.access.Level;
import dev.atelier.access.Operation;
import dev.atelier.access.Principal;
import dev.atelier.access.ResourceFacts;
import dev.atelier.access.ResourceKind;
import dev.atelier.audit.AuditLog;
import dev.atelier.config.AtelierConfig;
import dev.atelier.facts.RequestFacts;
import dev.atelier.member.GroupItem;
import dev.atelier.store.Keys;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.web.ApiException;
import dev.atelier.web.ETags;
import dev.atelier.workspace.MemberItem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Grants on resources (definitions, images, running workstations) and the preview of anyone's
 * effective permissions on one of them.
 */
@Singleton
public class GrantService {

    private final GrantStore store;
    private final AuditLog audit;
    private final JsonMapper json;

    public GrantService(GrantStore store, AuditLog audit, JsonMapper json) {
        this.store = store;
        this.audit = audit;
        this.json = json;
    }

    /** The grants on a resource, with their version. */
    public record Grants(List<GrantView> grants, String etag) { }

    /** What {@code GET …/effective-permissions} answers. */
    @Serdeable
    public record Effective(List<String> levels, List<String> actions, List<Reason> reasons) { }

    @Serdeable
    public record Reason(String level, String source) { }

    /** Anyone who may see the resource may see its grants. */
    public Grants get(RequestFacts facts) {
        RequestFacts.Resource resource = facts.resource();
        facts.requireOnResource(Operation.readOf(kindOf(resource)));
        GrantsItem item = resource.grants();
        return new Grants(item == null ? List.of() : item.decoded().stream().map(GrantView::of).toList(),
                ETags.of(item == null ? 0 : item.version()));
    }

    /**
     * Replaces the grants on a resource (the promote level). Every user must be a member and
     * every group must exist; both are checked in the same transaction as the write.
     *
     * @throws ApiException 400 naming {@code [i].principal} otherwise, 412 when stale
     */
    public Grants replace(RequestFacts facts, @Nullable String raw, @Nullable String ifMatch) {
        RequestFacts.Resource resource = facts.resource();
        ResourceKind kind = kindOf(resource);
        facts.requireOnResource(Operation.promoteOf(kind));
        GrantRequests.Replacement replacement = GrantRequests.parse(json, raw);
        List<Grant> grants = replacement.grants();
        OptionalLong expected = ETags.ifMatch(ifMatch);
        GrantsItem before = resource.grants();
        long version = before == null ? 0 : before.version();
        ETags.check(expected, version);

        Map<String, String> groupNames = groupNames(facts.slug(), grants);
        List<GrantsItem.Entry> entries = new ArrayList<>();
        for (int i = 0; i < grants.size(); i++) {
            Principal p = grants.get(i).principal();
            if (p.type() == Principal.Type.GROUP && !groupNames.containsKey(p.id())) {
                throw ApiException.invalid("[" + i + "].principal", "no group '" + p.id() + "' in this workspace");
            }
            entries.add(new GrantsItem.Entry(grants.get(i), groupNames.get(p.id())));
        }
        GrantsItem after = GrantsItem.of(facts.slug(), kind.wireName(), resource.id(), entries, version + 1);
        replacement.echoed().check(entries.stream().map(GrantView::of).toList());

        try {
            store.replace(facts.slug(), kind.wireName(), resource.id(), before, after, readers(grants),
                    grants.stream().map(Grant::principal).toList(),
                    audit.entry(facts.slug(), facts.caller().userId(), "grants.replace",
                            kind.wireName() + ":" + resource.id(),
                            before == null ? List.of() : before.decoded().stream().map(GrantView::of).toList(),
                            entries.stream().map(GrantView::of).toList()));
        } catch (WriteRefusedException e) {
            if (e.by(GrantStore.Refused.GRANTS_CHANGED)) {
                throw ApiException.preconditionFailed("The grants changed while this request ran; read them again");
            }
            if (e.by(GrantStore.Refused.RESOURCE_GONE)) {
                throw ApiException.notFound("The " + kind.wireName() + " was deleted while this request ran");
            }
            if (e.first() instanceof GrantStore.PrincipalGone gone) {
                throw ApiException.invalid("[" + gone.index() + "].principal",
                        "'" + grants.get(gone.index()).principal() + "' is not a member or group of this workspace");
            }
            throw e;
        }
        return new Grants(entries.stream().map(GrantView::of).toList(), ETags.of(after.version()));
    }

    /**
     * What a user or group may do on a resource, and why.
     *
     * @throws ApiException 400 naming {@code principal} or {@code resource} when malformed, 404
     *                      when either does not exist in the workspace
     */
    public Effective effective(RequestFacts facts, @Nullable String principalParam, @Nullable String resourceParam) {
        facts.require(Operation.PERMISSIONS_PREVIEW);
        Principal principal = principalParam == null ? null : Principal.parse(principalParam).orElse(null);
        String[] resourceParts = resourceParam == null ? new String[0] : resourceParam.split(":", 2);
        ResourceKind kind = resourceParts.length == 2 ? ResourceKind.parse(resourceParts[0]).orElse(null) : null;
        List<dev.atelier.web.Problem.FieldError> errors = new ArrayList<>();
        if (principal == null) {
            errors.add(new dev.atelier.web.Problem.FieldError("principal", "must be user:<id> or group:<id>"));
        }
        if (kind == null || !resourceParts[1].matches("[A-Za-z0-9_-]{1,64}")) {
            errors.add(new dev.atelier.web.Problem.FieldError("resource",
                    "must be definition:<id>, image:<id> or workstation:<id>"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String slug = facts.slug();
        String resourceId = resourceParts[1];
        List<Map<String, AttributeValue>> items = store.read(List.of(
                Keys.resourceItem(slug, kind.wireName(), resourceId),
                Keys.grantsItem(slug, kind.wireName(), resourceId),
                GrantStore.principalKey(slug, principal)));
        if (items.get(0) == null) {
            throw ApiException.notFound("No " + kind.wireName() + " '" + resourceId + "' in this workspace");
        }
        if (items.get(2) == null) {
            throw ApiException.notFound("No " + (principal.type() == Principal.Type.USER ? "member" : "group")
                    + " '" + principal.id() + "' in this workspace");
        }
        GrantsItem grants = items.get(1) == null ? null : GrantsItem.SCHEMA.mapToItem(items.get(1));
        AttributeValue launcher = items.get(0).get("launchedBy");
        ResourceFacts resource = new ResourceFacts(kind, resourceId, grants == null ? List.of() : grants.grants(),
                launcher == null ? null : launcher.s());
        Map<String, String> names = new HashMap<>();
        if (grants != null) {
            grants.decoded().stream().filter(e -> e.groupName() != null)
                    .forEach(e -> names.put(e.grant().principal().id(), e.groupName()));
        }
        List<Reason> reasons = new ArrayList<>();
        Set<Level> levels = EnumSet.noneOf(Level.class);
        List<String> actions;
        if (principal.type() == Principal.Type.USER) {
            MemberItem member = MemberItem.SCHEMA.mapToItem(items.get(2));
            if (member.owner()) {
                for (Level level : Level.values()) {
                    levels.add(level);
                    reasons.add(new Reason(level.wireName(), "owner"));
                }
                actions = Arrays.stream(Action.values()).map(Action::wireName).toList();
            } else {
                for (Authorizer.Reason r : Authorizer.reasons(member.userId(), Set.copyOf(member.groupIds()), resource, names)) {
                    levels.add(r.level());
                    reasons.add(new Reason(r.level().wireName(), r.source()));
                }
                actions = member.actions();
            }
        } else {
            GroupItem group = GroupItem.SCHEMA.mapToItem(items.get(2));
            names.put(group.id(), group.name());
            for (Authorizer.Reason r : Authorizer.reasons("", Set.of(group.id()), resource, names)) {
                levels.add(r.level());
                reasons.add(new Reason(r.level().wireName(), r.source()));
            }
            actions = List.of();
        }
        return new Effective(levels.stream().map(Level::wireName).toList(), actions,
                new ArrayList<>(new LinkedHashSet<>(reasons)));
    }

    /** The principals that may read a resource under these grants, as stored on the resource. */
    public static AttributeValue readers(List<Grant> grants) {
        List<AttributeValue> readers = grants.stream().filter(g -> g.levels().contains(Level.READ))
                .map(g -> AttributeValue.fromS(g.principal().toString())).toList();
        return AttributeValue.fromL(readers);
    }

    private static ResourceKind kindOf(@Nullable RequestFacts.Resource resource) {
        if (resource == null) {
            throw ApiException.notFound("No such kind of resource");
        }
        return resource.kind();
    }

    /** One TransactGetItems (consistent): the names of the groups the grants name. */
    private Map<String, String> groupNames(String slug, List<Grant> grants) {
        List<String> groupIds = grants.stream().map(Grant::principal)
                .filter(p -> p.type() == Principal.Type.GROUP).map(Principal::id).toList();
        Map<String, String> names = new HashMap<>();
        if (groupIds.isEmpty()) {
            return names;
        }
        List<Map<String, AttributeValue>> items = store.read(groupIds.stream()
                .map(id -> Keys.groupItem(slug, id)).toList());
        for (Map<String, AttributeValue> item : items) {
            if (item != null) {
                GroupItem group = GroupItem.SCHEMA.mapToItem(item);
                names.put(group.id(), group.name());
            }
        }
        return names;
    }
}
