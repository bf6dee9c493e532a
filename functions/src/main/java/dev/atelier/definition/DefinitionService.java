package dev.atelier.definition;

import dev.atelier.access.Authorizer;
import dev.atelier.access.Decision;
import dev.atelier.access.Grant;
import dev.atelier.access.Level;
import dev.atelier.access.Operation;
import dev.atelier.access.Principal;
import dev.atelier.access.ResourceFacts;
import dev.atelier.access.ResourceKind;
import dev.atelier.audit.AuditLog;
import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildService;
import dev.atelier.config.AtelierConfig;
import dev.atelier.facts.RequestFacts;
import dev.atelier.grant.GrantService;
import dev.atelier.grant.GrantsItem;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.member.GroupItem;
import dev.atelier.grant.GrantStore;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.web.ApiException;
import dev.atelier.web.Cursors;
import dev.atelier.web.ETags;
import dev.atelier.web.JsonBody;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Workstation definitions: who may create, see, edit, copy and delete them, and how each save
 * makes a new version. Image builds of each version arrive with the build pipeline.
 */
@Singleton
public class DefinitionService {

    private final DefinitionStore store;
    private final Idempotency idempotency;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;
    private final BuildService builds;

    public DefinitionService(DefinitionStore store, Idempotency idempotency, AuditLog audit, JsonMapper json,
                             Clock clock, BuildService builds) {
        this.builds = builds;
        this.store = store;
        this.idempotency = idempotency;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** A created (or replayed) definition and where it lives. */
    public record Created(DefinitionView definition, String location) { }

    /**
     * Creates a definition (needs {@code images.manage}); its creator holds {@code full} on it.
     *
     * @throws ApiException 400 naming each invalid field, 409 when the CLI name is taken
     */
    public Created create(RequestFacts facts, @Nullable String raw, @Nullable String idempotencyKey) {
        facts.require(Operation.DEFINITION_CREATE);
        DefinitionRequests.Spec spec = DefinitionRequests.create(json, raw);
        Optional<Idempotency.Request> replayable = idempotency.request(facts.caller().userId(), idempotencyKey,
                "definition.create", facts.slug(), spec.toString());
        // One TransactGetItems for everything this create must know: an earlier result, the
        // names of the groups it grants to, the base image and its grants.
        Lookups found = lookup(facts, replayable.orElse(null), spec.grants(), spec.baseImageId());
        if (found.replay() != null) {
            Optional<DefinitionView> earlier = idempotency.replay(replayable.get(), found.replay(), DefinitionView.class);
            if (earlier.isPresent()) {
                return new Created(earlier.get(), location(facts.slug(), earlier.get().id()));
            }
        }
        checkBaseImage(facts, found, spec.baseImageId());
        String now = now();
        DefinitionItem item = item(facts, UUID.randomUUID().toString(), spec, 1, now, now, List.of());
        List<GrantsItem.Entry> entries = withCreator(facts.caller().userId(), spec.grants(), found.groupNames());
        item = withReaders(item, entries);
        BuildItem build = newBuild(facts, item);
        item = withBuild(item, build);
        DefinitionView view = DefinitionView.of(item);
        String location = location(facts.slug(), item.id());
        List<Principal> checked = principalsToCheck(facts.caller().userId(), spec.grants());
        try {
            store.create(item, entries, checked, audit.entry(facts.slug(), facts.caller().userId(), "definition.create",
                            "definition:" + item.id(), null, view),
                    replayable.map(r -> idempotency.remember(r, view, location)).orElse(null), build);
        } catch (WriteRefusedException e) {
            if (e.by(DefinitionStore.Refused.CLI_NAME_TAKEN)) {
                throw ApiException.conflict("cliName", "The CLI name '" + item.cliName() + "' is already taken");
            }
            if (e.first() instanceof GrantStore.PrincipalGone gone) {
                Principal p = checked.get(gone.index());
                throw ApiException.invalid("grants[" + indexOf(spec.grants(), p) + "].principal",
                        "'" + p + "' is not a member or group of this workspace");
            }
            if (e.by(DefinitionStore.Refused.WORKSPACE_GONE)) {
                throw ApiException.notFound("The workspace was deleted while this request ran");
            }
            throw ApiException.conflict(null, "A request with this Idempotency-Key is in progress");
        }
        launch(build);
        return new Created(view, location);
    }

    /** One Query: a page of the definitions the caller may read. */
    public Page<DefinitionView> list(RequestFacts facts, int limit, @Nullable String cursor) {
        RequestFacts.Membership membership = facts.require(Operation.WORKSPACE_READ);
        Page<DefinitionItem> page = store.page(facts.slug(), limit, cursor);
        Set<String> mine = new HashSet<>();
        mine.add(Principal.user(facts.caller().userId()).toString());
        membership.member().groupIds().forEach(g -> mine.add(Principal.group(g).toString()));
        List<DefinitionView> visible = page.items().stream()
                .filter(d -> membership.member().owner() || d.readers().stream().anyMatch(mine::contains))
                .map(DefinitionView::of).toList();
        return new Page<>(visible, page.nextCursor());
    }

    /** Read straight from the request's facts: no further request. */
    public DefinitionView get(RequestFacts facts) {
        facts.requireOnResource(Operation.DEFINITION_READ);
        return DefinitionView.of(stored(facts));
    }

    /**
     * Saves a new version (needs {@code write}); grants are unchanged.
     *
     * @throws ApiException 412 when {@code If-Match} is stale or the definition changed meanwhile
     */
    public DefinitionView update(RequestFacts facts, @Nullable String raw, @Nullable String ifMatch) {
        facts.requireOnResource(Operation.DEFINITION_WRITE);
        OptionalLong expected = ETags.ifMatch(ifMatch);
        DefinitionItem before = stored(facts);
        ETags.check(expected, before.version());
        DefinitionRequests.Spec spec = DefinitionRequests.edit(json, raw, DefinitionView.of(before));
        if (spec.baseImageId() != null) {
            checkBaseImage(facts, lookup(facts, null, List.of(), spec.baseImageId()), spec.baseImageId());
        }
        DefinitionItem after = item(facts, before.id(), spec, before.version() + 1, before.createdAt(), now(),
                before.readers());
        BuildItem build = newBuild(facts, after);
        after = withBuild(after.withBuilds(before.builds()), build);
        try {
            store.update(before, after, audit.entry(facts.slug(), facts.caller().userId(), "definition.update",
                    "definition:" + after.id(), DefinitionView.of(before), DefinitionView.of(after)), build);
        } catch (WriteRefusedException e) {
            if (e.by(DefinitionStore.Refused.CLI_NAME_TAKEN)) {
                throw ApiException.conflict("cliName", "The CLI name '" + after.cliName() + "' is already taken");
            }
            throw ApiException.preconditionFailed("The definition changed while this request ran; read it again");
        }
        launch(build);
        return DefinitionView.of(after);
    }

    /** Copies a definition into a new, editable one (needs {@code write} on it and {@code images.manage}). */
    public Created copy(RequestFacts facts, @Nullable String raw) {
        facts.requireOnResource(Operation.DEFINITION_WRITE);
        facts.require(Operation.DEFINITION_CREATE);
        JsonBody body = JsonBody.parse(json, raw, Set.of("displayName", "cliName"));
        String displayName = body.requiredString("displayName");
        String cliName = body.optionalString("cliName");
        body.validate();
        DefinitionItem source = stored(facts);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("displayName", displayName);
        if (cliName != null) {
            fields.put("cliName", cliName);
        }
        fields.put("memoryGb", source.memoryGb());
        fields.put("cpuCores", source.cpuCores());
        fields.put("pythonVersion", source.pythonVersion());
        fields.put("requirements", source.requirements());
        fields.put("preBuildScript", source.preBuildScript());
        fields.put("postBuildScript", source.postBuildScript());
        fields.put("os", source.os());
        if (source.gpuType() != null) {
            fields.put("gpu", Map.of("type", source.gpuType(), "count", source.gpuCount()));
        }
        if (source.baseImage() != null) {
            fields.put("baseImage", source.baseImage());
        }
        String copyBody;
        try {
            copyBody = json.writeValueAsString(fields);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        DefinitionRequests.Spec spec = DefinitionRequests.create(json, copyBody);
        String now = now();
        List<GrantsItem.Entry> entries = withCreator(facts.caller().userId(), List.of(), Map.of());
        DefinitionItem item = withReaders(item(facts, UUID.randomUUID().toString(), spec, 1, now, now, List.of()), entries);
        BuildItem build = newBuild(facts, item);
        item = withBuild(item, build);
        DefinitionView view = DefinitionView.of(item);
        try {
            store.create(item, entries, List.of(), audit.entry(facts.slug(), facts.caller().userId(), "definition.copy",
                    "definition:" + item.id(), Map.of("copiedFrom", source.id()), view), null, build);
        } catch (WriteRefusedException e) {
            if (e.by(DefinitionStore.Refused.CLI_NAME_TAKEN)) {
                throw ApiException.conflict("cliName", "The CLI name '" + item.cliName() + "' is already taken");
            }
            throw ApiException.notFound("The workspace was deleted while this request ran");
        }
        launch(build);
        return new Created(view, location(facts.slug(), item.id()));
    }

    /**
     * Deletes a definition, its grants and its CLI name (needs {@code write}); irreversible. Its
     * builds in progress are cancelled; build records and built AMIs stay.
     */
    public void delete(RequestFacts facts) {
        facts.requireOnResource(Operation.DEFINITION_WRITE);
        DefinitionItem item = stored(facts);
        try {
            store.delete(item, audit.entry(facts.slug(), facts.caller().userId(), "definition.delete",
                    "definition:" + item.id(), DefinitionView.of(item), null));
        } catch (WriteRefusedException e) {
            throw ApiException.preconditionFailed("The definition changed while this request ran; read it again");
        }
        builds.cancelInProgress(facts.slug(), item.id());
    }

    // --- helpers ------------------------------------------------------------------------

    /** The build of a new version, or null where builds are not available (outside local mode, for now). */
    @Nullable
    private BuildItem newBuild(RequestFacts facts, DefinitionItem item) {
        return builds.available() ? builds.newBuild(facts.slug(), item.id(), item.version(), facts.caller().userId()) : null;
    }

    private static DefinitionItem withBuild(DefinitionItem item, @Nullable BuildItem build) {
        return build == null ? item : item.withBuilds(item.builds().withBuild(build.id(), build.status().wireName(), build.version()));
    }

    private void launch(@Nullable BuildItem build) {
        if (build != null) {
            builds.launch(build);
        }
    }

    private record Lookups(@Nullable Map<String, AttributeValue> replay, Map<String, String> groupNames,
                           @Nullable Map<String, AttributeValue> image, @Nullable Map<String, AttributeValue> imageGrants) { }

    private Lookups lookup(RequestFacts facts, @Nullable Idempotency.Request replayable, List<Grant> grants,
                           @Nullable String baseImageId) {
        List<ItemKey> keys = new ArrayList<>();
        if (replayable != null) {
            keys.add(idempotency.key(replayable));
        }
        List<String> groupIds = grants.stream().map(Grant::principal).filter(p -> p.type() == Principal.Type.GROUP)
                .map(Principal::id).toList();
        groupIds.forEach(id -> keys.add(Keys.groupItem(facts.slug(), id)));
        if (baseImageId != null) {
            keys.add(Keys.imageItem(facts.slug(), baseImageId));
            keys.add(Keys.grantsItem(facts.slug(), "image", baseImageId));
        }
        if (keys.isEmpty()) {
            return new Lookups(null, Map.of(), null, null);
        }
        List<Map<String, AttributeValue>> items = store.read(keys);
        int i = 0;
        Map<String, AttributeValue> replay = replayable != null ? items.get(i++) : null;
        Map<String, String> names = new LinkedHashMap<>();
        for (String ignored : groupIds) {
            Map<String, AttributeValue> group = items.get(i++);
            if (group != null) {
                GroupItem g = GroupItem.SCHEMA.mapToItem(group);
                names.put(g.id(), g.name());
            }
        }
        Map<String, AttributeValue> image = baseImageId != null ? items.get(i++) : null;
        Map<String, AttributeValue> imageGrants = baseImageId != null ? items.get(i) : null;
        return new Lookups(replay, names, image, imageGrants);
    }

    /** A base image must exist in the workspace and the caller must be allowed to launch from it. */
    private static void checkBaseImage(RequestFacts facts, Lookups found, @Nullable String baseImageId) {
        if (baseImageId == null) {
            return;
        }
        if (found.image() == null) {
            throw ApiException.invalid("baseImage", "no image '" + baseImageId + "' in this workspace");
        }
        GrantsItem grants = found.imageGrants() == null ? null : GrantsItem.SCHEMA.mapToItem(found.imageGrants());
        ResourceFacts image = new ResourceFacts(ResourceKind.IMAGE, baseImageId,
                grants == null ? List.of() : grants.grants(), null);
        Decision decision = Authorizer.decide(facts.subject(), Operation.IMAGE_LAUNCH, image);
        if (!decision.allowed()) {
            throw ApiException.invalid("baseImage", "you may not build on image '" + baseImageId + "'");
        }
    }

    private static List<GrantsItem.Entry> withCreator(String creator, List<Grant> grants, Map<String, String> groupNames) {
        List<GrantsItem.Entry> entries = new ArrayList<>();
        entries.add(new GrantsItem.Entry(new Grant(Principal.user(creator), Level.Preset.FULL.levels()), null));
        for (Grant grant : grants) {
            if (grant.principal().equals(Principal.user(creator))) {
                continue;
            }
            if (grant.principal().type() == Principal.Type.GROUP && !groupNames.containsKey(grant.principal().id())) {
                throw ApiException.invalid("grants[" + grants.indexOf(grant) + "].principal",
                        "no group '" + grant.principal().id() + "' in this workspace");
            }
            entries.add(new GrantsItem.Entry(grant, groupNames.get(grant.principal().id())));
        }
        return entries;
    }

    private static DefinitionItem withReaders(DefinitionItem d, List<GrantsItem.Entry> entries) {
        List<String> readers = GrantService.readers(entries.stream().map(GrantsItem.Entry::grant).toList())
                .l().stream().map(AttributeValue::s).toList();
        return new DefinitionItem(d.slug(), d.id(), d.displayName(), d.cliName(), d.memoryGb(), d.cpuCores(),
                d.pythonVersion(), d.requirements(), d.preBuildScript(), d.postBuildScript(), d.os(), d.gpuType(),
                d.gpuCount(), d.baseImage(), d.version(), d.createdAt(), d.updatedAt(), d.createdBy(), readers,
                d.builds());
    }

    private static List<Principal> principalsToCheck(String creator, List<Grant> grants) {
        return grants.stream().map(Grant::principal).filter(p -> !p.equals(Principal.user(creator))).toList();
    }

    private static int indexOf(List<Grant> grants, Principal p) {
        for (int i = 0; i < grants.size(); i++) {
            if (grants.get(i).principal().equals(p)) {
                return i;
            }
        }
        return 0;
    }

    private static DefinitionItem item(RequestFacts facts, String id, DefinitionRequests.Spec spec, long version,
                                       String createdAt, String updatedAt, List<String> readers) {
        return new DefinitionItem(facts.slug(), id, spec.displayName(), spec.cliName(), spec.memoryGb(), spec.cpuCores(),
                spec.pythonVersion(), spec.requirements(), spec.preBuildScript(), spec.postBuildScript(), spec.os(),
                spec.gpuType(), spec.gpuCount(), spec.baseImageId() == null ? null : "image:" + spec.baseImageId(),
                version, createdAt, updatedAt, facts.caller().userId(), readers, DefinitionItem.BuildState.NONE);
    }

    private static DefinitionItem stored(RequestFacts facts) {
        return DefinitionItem.SCHEMA.mapToItem(facts.resource().item());
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String location(String slug, String id) {
        return "/api/v1/workspaces/" + slug + "/definitions/" + id;
    }
}
