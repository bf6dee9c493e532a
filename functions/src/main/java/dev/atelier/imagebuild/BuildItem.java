package dev.atelier.imagebuild;

import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One image build of a definition version, in its workspace's partition
 * ({@code WS#<slug>} / {@code BUILD#<definitionId>#<buildId>}). Once started it is also in GSI1
 * under its image ({@code BUILD_IMAGE#<imageArn>}), so a state-change event finds it.
 * {@code resources} are the ARNs of the recipe, infrastructure configuration and components
 * the build made, for clean-up.
 */
public record BuildItem(String slug, String definitionId, String id, long version, BuildStatus status,
                        List<HistoryEntry> statusHistory, String requestedBy, String requestedAt,
                        @Nullable String startedAt, @Nullable String finishedAt, @Nullable String amiId,
                        @Nullable String imageArn, @Nullable String failureReason, @Nullable Resources resources,
                        Map<String, String> amis) {

    /** One status and when the build reached it. */
    public record HistoryEntry(String status, String at) {
        AttributeValue toAttribute() {
            return AttributeValue.fromM(Map.of("status", AttributeValue.fromS(status), "at", AttributeValue.fromS(at)));
        }
    }

    /** What {@link ImageBuilder#create} made besides the image. */
    public record Resources(String imageRecipeArn, String infrastructureConfigurationArn, List<String> componentArns,
                            @Nullable String distributionConfigurationArn) { }

    public BuildItem {
        statusHistory = List.copyOf(statusHistory);
        amis = amis == null ? Map.of() : Map.copyOf(amis);
    }

    /** A new build, waiting to be started. */
    public static BuildItem pending(String slug, String definitionId, String id, long version, String requestedBy,
                                    String now) {
        return new BuildItem(slug, definitionId, id, version, BuildStatus.PENDING,
                List.of(new HistoryEntry(BuildStatus.PENDING.wireName(), now)), requestedBy, now,
                null, null, null, null, null, null, Map.of());
    }

    public static AttributeValue historyEntry(BuildStatus status, String at) {
        return AttributeValue.fromL(List.of(new HistoryEntry(status.wireName(), at).toAttribute()));
    }

    public ImageBuilder.Created created() {
        return new ImageBuilder.Created(imageArn, resources.imageRecipeArn(), resources.infrastructureConfigurationArn(),
                resources.componentArns(), resources.distributionConfigurationArn());
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableDefinition.PK, AttributeValue.fromS(Keys.workspace(slug)));
        item.put(TableDefinition.SK, AttributeValue.fromS(Keys.build(definitionId, id)));
        item.put("slug", AttributeValue.fromS(slug));
        item.put("definitionId", AttributeValue.fromS(definitionId));
        item.put("id", AttributeValue.fromS(id));
        item.put("version", AttributeValue.fromN(Long.toString(version)));
        item.put("status", AttributeValue.fromS(status.wireName()));
        item.put("statusHistory", AttributeValue.fromL(statusHistory.stream().map(HistoryEntry::toAttribute).toList()));
        item.put("requestedBy", AttributeValue.fromS(requestedBy));
        item.put("requestedAt", AttributeValue.fromS(requestedAt));
        putIfSet(item, "startedAt", startedAt);
        putIfSet(item, "finishedAt", finishedAt);
        putIfSet(item, "amiId", amiId);
        putIfSet(item, "imageArn", imageArn);
        putIfSet(item, "failureReason", failureReason);
        if (!amis.isEmpty()) {
            item.put("amis", amisAttribute(amis));
        }
        return item;
    }

    /** AMI ids by region, as stored. */
    public static AttributeValue amisAttribute(Map<String, String> amis) {
        Map<String, AttributeValue> m = new HashMap<>();
        amis.forEach((region, ami) -> m.put(region, AttributeValue.fromS(ami)));
        return AttributeValue.fromM(m);
    }

    public static BuildItem of(Map<String, AttributeValue> item) {
        List<HistoryEntry> history = new ArrayList<>();
        AttributeValue h = item.get("statusHistory");
        if (h != null && h.hasL()) {
            h.l().forEach(e -> history.add(new HistoryEntry(e.m().get("status").s(), e.m().get("at").s())));
        }
        Resources resources = null;
        if (item.containsKey("imageRecipeArn")) {
            AttributeValue components = item.get("componentArns");
            resources = new Resources(item.get("imageRecipeArn").s(), item.get("infrastructureConfigurationArn").s(),
                    components == null ? List.of() : components.l().stream().map(AttributeValue::s).toList(),
                    s(item, "distributionConfigurationArn"));
        }
        return new BuildItem(item.get("slug").s(), item.get("definitionId").s(), item.get("id").s(),
                Long.parseLong(item.get("version").n()), BuildStatus.of(item.get("status").s()), history,
                item.get("requestedBy").s(), item.get("requestedAt").s(), s(item, "startedAt"), s(item, "finishedAt"),
                s(item, "amiId"), s(item, "imageArn"), s(item, "failureReason"), resources, amis(item.get("amis")));
    }

    private static Map<String, String> amis(@Nullable AttributeValue value) {
        Map<String, String> amis = new TreeMap<>();
        if (value != null && value.hasM()) {
            value.m().forEach((region, ami) -> amis.put(region, ami.s()));
        }
        return amis;
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    @Nullable
    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
