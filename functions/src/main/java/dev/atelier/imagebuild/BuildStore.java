package dev.atelier.imagebuild;

import dev.atelier.definition.DefinitionItem;
import dev.atelier.store.Condition;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.Refusal;
import dev.atelier.store.Table;
import dev.atelier.store.TableDefinition;
import dev.atelier.store.Transaction;
import dev.atelier.store.TransactionPart;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image builds in the table: each build's record in its workspace's partition, the definition's
 * view of its current build and image, and the task token a waiting workflow left. Each method
 * is one DynamoDB request, except {@link #move} when the build is no longer its definition's
 * current one (two).
 */
@Singleton
public class BuildStore {

    /** What refuses a write of a build. */
    public enum Refused implements Refusal {
        /** The build has already moved past the status the write moves it from (or ended). */
        BUILD_MOVED_ON,
        /** The build is not its definition's current build (a newer one is, or the definition is gone). */
        NOT_CURRENT,
        /** The definition changed (or was deleted) since it was read. */
        DEFINITION_CHANGED,
        /** The definition already shows a newer image than this build's. */
        NEWER_IMAGE,
        /** A build with this id exists: never, with random ids. */
        BUILD_EXISTS,
        /** The build has ended: a workflow's token is no longer kept. */
        BUILD_ENDED,
        /** The token was taken by another delivery of the same end. */
        TOKEN_TAKEN
    }

    private static final List<String> PAGE_KEY = List.of(TableDefinition.PK, TableDefinition.SK);
    private static final String TOKEN = "taskToken";

    private final Table table;

    public BuildStore(Table table) {
        this.table = table;
    }

    /** One consistent GetItem: the build, or {@code null}. */
    @Nullable
    public BuildItem read(String slug, String definitionId, String buildId) {
        return table.get(Keys.buildItem(slug, definitionId, buildId)).map(BuildItem::of).orElse(null);
    }

    /** A build and its definition as they are now; either may be {@code null}. */
    public record WithDefinition(@Nullable BuildItem build, @Nullable DefinitionItem definition) { }

    /** One TransactGetItems: the build and its definition, read at one instant. */
    public WithDefinition readWithDefinition(String slug, String definitionId, String buildId) {
        List<Map<String, AttributeValue>> items = table.getAll(List.of(Keys.buildItem(slug, definitionId, buildId),
                Keys.definitionItem(slug, definitionId)));
        return new WithDefinition(items.get(0).isEmpty() ? null : BuildItem.of(items.get(0)),
                items.get(1).isEmpty() ? null : DefinitionItem.SCHEMA.mapToItem(items.get(1)));
    }

    /** One Query on GSI1: the build whose Image Builder image this is, if one has recorded it yet. */
    public Optional<BuildItem> byImage(String imageArn) {
        var response = table.query(r -> r.indexName(TableDefinition.GSI1.name())
                .keyConditionExpression("#gpk = :gpk")
                .expressionAttributeNames(Map.of("#gpk", TableDefinition.GSI1.partitionKey()))
                .expressionAttributeValues(Map.of(":gpk", AttributeValue.fromS(Keys.buildImage(imageArn)))));
        return response.items().stream().findFirst().map(BuildItem::of);
    }

    /** One Query: a page of a definition's builds, newest first. */
    public Page<BuildItem> page(String slug, String definitionId, int limit, @Nullable String cursor) {
        String partition = Keys.workspace(slug);
        var startKey = Cursors.decode(cursor, PAGE_KEY, TableDefinition.PK, partition);
        var response = table.queryPrefix(partition, Keys.buildsOf(definitionId), false, null, limit, startKey);
        return new Page<>(response.items().stream().map(BuildItem::of).toList(),
                Cursors.encode(response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null));
    }

    /** Paged Queries: a definition's builds in {@code statuses}. */
    public List<BuildItem> ofDefinition(String slug, String definitionId, List<BuildStatus> statuses) {
        return table.queryAll(Keys.workspace(slug), Keys.buildsOf(definitionId), BuildStatus.statusIn(statuses, "s"))
                .stream().map(BuildItem::of).toList();
    }

    /** Paged Queries: every build of a workspace. */
    public List<BuildItem> ofWorkspace(String slug) {
        return table.queryAll(Keys.workspace(slug), Keys.BUILD_PREFIX, null).stream().map(BuildItem::of).toList();
    }

    /** Every build in progress in any workspace (a Scan): local mode's start-up only. */
    public List<BuildItem> inProgressAnywhere() {
        Expression isBuild = Expression.builder().expression("begins_with(#sk, :b)")
                .putExpressionName("#sk", TableDefinition.SK)
                .putExpressionValue(":b", AttributeValue.fromS(Keys.BUILD_PREFIX)).build();
        return table.scanAll(Expression.join(isBuild, BuildStatus.statusIn(BuildStatus.inProgress(), "s"), " AND "))
                .stream().map(BuildItem::of).toList();
    }

    /**
     * One TransactWriteItems: a new build of the definition's current version, which becomes its
     * current build, if the definition is still at that version; and the audit entry.
     *
     * @throws WriteRefusedException {@link Refused#DEFINITION_CHANGED}
     */
    public void insert(BuildItem build, DefinitionItem definition, TransactionPart audit) {
        table.commit(table.transaction()
                .put(build.toItem(), Condition.absent(Refused.BUILD_EXISTS))
                .update(Keys.definitionItem(definition.slug(), definition.id()), Expression.builder()
                                .expression("SET currentBuildId = :b, currentBuildStatus = :bs, currentBuildVersion = :bv")
                                .putExpressionValue(":b", AttributeValue.fromS(build.id()))
                                .putExpressionValue(":bs", AttributeValue.fromS(build.status().wireName()))
                                .putExpressionValue(":bv", AttributeValue.fromN(Long.toString(definition.version())))
                                .build(),
                        Condition.atVersion(definition.version(), Refused.DEFINITION_CHANGED))
                .add(audit));
    }

    /**
     * The build moves to {@code to} only from a status before it; in the same transaction its
     * definition, when this build is its current one, shows the new status. When it is not (a
     * newer build is current, or the definition is gone), the build alone moves.
     *
     * @param more          attributes set with the move
     * @param timeAttribute an attribute set to {@code now} ({@code startedAt}, {@code finishedAt}), or null
     * @return whether this call moved it
     */
    public boolean move(BuildItem build, BuildStatus to, Map<String, AttributeValue> more,
                        @Nullable String timeAttribute, String now) {
        Expression.Builder update = Expression.builder()
                .putExpressionName("#status", "status")
                .putExpressionValue(":to", AttributeValue.fromS(to.wireName()))
                .putExpressionValue(":h", BuildItem.historyEntry(to, now));
        StringBuilder set = new StringBuilder("SET #status = :to, statusHistory = list_append(statusHistory, :h)");
        if (timeAttribute != null) {
            set.append(", #time = :now");
            update.putExpressionName("#time", timeAttribute).putExpressionValue(":now", AttributeValue.fromS(now));
        }
        int i = 0;
        for (var entry : more.entrySet()) {
            update.putExpressionName("#m" + i, entry.getKey()).putExpressionValue(":m" + i, entry.getValue());
            set.append(", #m").append(i).append(" = :m").append(i);
            i++;
        }
        Expression buildUpdate = update.expression(set.toString()).build();
        Condition from = Condition.of(BuildStatus.statusIn(to.reachableFrom(), "f"), Refused.BUILD_MOVED_ON);
        ItemKey key = Keys.buildItem(build.slug(), build.definitionId(), build.id());
        Transaction tx = table.transaction()
                .update(key, buildUpdate, from)
                .update(Keys.definitionItem(build.slug(), build.definitionId()), Expression.builder()
                                .expression("SET currentBuildStatus = :to")
                                .putExpressionValue(":to", AttributeValue.fromS(to.wireName())).build(),
                        Condition.of(Expression.builder().expression("currentBuildId = :b")
                                .putExpressionValue(":b", AttributeValue.fromS(build.id())).build(), Refused.NOT_CURRENT));
        try {
            table.commit(tx);
            return true;
        } catch (WriteRefusedException e) {
            if (e.by(Refused.BUILD_MOVED_ON)) {
                return false;
            }
        }
        try {
            table.update(key, buildUpdate, from);
            return true;
        } catch (WriteRefusedException e) {
            return false;
        }
    }

    /**
     * One UpdateItem: the definition's current image becomes this build's, unless it already holds
     * a newer one (a later version, or a later build of the same version) or is gone.
     *
     * @throws WriteRefusedException {@link Refused#NEWER_IMAGE}
     */
    public void showImageIfNewer(BuildItem build, @Nullable String amiId, String now) {
        Expression condition = Expression.builder()
                .expression("attribute_exists(PK) AND (attribute_not_exists(currentImageBuildId) OR currentImageVersion < :iv"
                        + " OR (currentImageVersion = :iv AND currentImageBuildId < :ib))")
                .putExpressionValue(":iv", AttributeValue.fromN(Long.toString(build.version())))
                .putExpressionValue(":ib", AttributeValue.fromS(build.id())).build();
        table.update(Keys.definitionItem(build.slug(), build.definitionId()), imageUpdate(build, amiId, now),
                Condition.of(condition, Refused.NEWER_IMAGE));
    }

    /**
     * One TransactWriteItems: the definition, if still at the version read, shows this build's
     * image as its current one; with the audit entry.
     *
     * @throws WriteRefusedException {@link Refused#DEFINITION_CHANGED}
     */
    public void showImage(BuildItem build, DefinitionItem definition, String now, TransactionPart audit) {
        table.commit(table.transaction()
                .update(Keys.definitionItem(definition.slug(), definition.id()), imageUpdate(build, build.amiId(), now),
                        Condition.atVersion(definition.version(), Refused.DEFINITION_CHANGED))
                .add(audit));
    }

    /** One consistent GetItem: a workspace image's item, or {@code null}. */
    @Nullable
    public Map<String, AttributeValue> image(String slug, String imageId) {
        return table.get(Keys.imageItem(slug, imageId)).orElse(null);
    }

    /**
     * One UpdateItem: keeps a waiting workflow's task token (sealed) on the build while it is in
     * progress.
     *
     * @return false when the build has ended (or is gone): the token was not kept
     */
    public boolean keepToken(String slug, String definitionId, String buildId, String sealedToken) {
        try {
            table.update(Keys.buildItem(slug, definitionId, buildId), Expression.builder()
                            .expression("SET #token = :t").putExpressionName("#token", TOKEN)
                            .putExpressionValue(":t", AttributeValue.fromS(sealedToken)).build(),
                    Condition.of(BuildStatus.statusIn(BuildStatus.inProgress(), "s"), Refused.BUILD_ENDED));
            return true;
        } catch (WriteRefusedException e) {
            return false;
        }
    }

    /** A build as it is now, with the sealed token a workflow left on it (if any). */
    public record WithToken(BuildItem build, @Nullable String sealedToken) { }

    /** One consistent GetItem: the build and its kept token; empty when the build is gone. */
    public Optional<WithToken> readWithToken(String slug, String definitionId, String buildId) {
        return table.get(Keys.buildItem(slug, definitionId, buildId)).map(item -> new WithToken(BuildItem.of(item),
                item.containsKey(TOKEN) ? item.get(TOKEN).s() : null));
    }

    /** One UpdateItem: forgets the token, unless another delivery of the same end already did. */
    public void dropToken(BuildItem build, String sealedToken) {
        try {
            table.update(Keys.buildItem(build.slug(), build.definitionId(), build.id()), Expression.builder()
                            .expression("REMOVE #token").putExpressionName("#token", TOKEN).build(),
                    Condition.of(Expression.builder().expression("#token = :t").putExpressionName("#token", TOKEN)
                            .putExpressionValue(":t", AttributeValue.fromS(sealedToken)).build(), Refused.TOKEN_TAKEN));
        } catch (WriteRefusedException e) {
            // another delivery of the same end got there first
        }
    }

    private static Expression imageUpdate(BuildItem build, @Nullable String amiId, String now) {
        Expression.Builder e = Expression.builder()
                .putExpressionValue(":b", AttributeValue.fromS(build.id()))
                .putExpressionValue(":bv", AttributeValue.fromN(Long.toString(build.version())))
                .putExpressionValue(":t", AttributeValue.fromS(now));
        String set = "SET currentImageBuildId = :b, currentImageVersion = :bv, currentImageAt = :t";
        if (amiId != null) {
            e.putExpressionValue(":a", AttributeValue.fromS(amiId));
            return e.expression(set + ", currentImageAmiId = :a").build();
        }
        return e.expression(set + " REMOVE currentImageAmiId").build();
    }
}
