package dev.atelier.testing;

import dev.atelier.store.Keys;
import dev.atelier.workstation.WorkstationItem;
import dev.atelier.workstation.WorkstationStatus;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records stored directly, as the workflows would leave them, for tests that need a state
 * without walking there (a definition with an available image, a workstation in a status).
 */
public final class Plants {

    public static final String AMI = "ami-0123456789abcdef0";

    private Plants() { }

    /** Gives a definition an available image of {@code version} (as a successful build leaves it). */
    public static void image(RunningApp app, String slug, String definitionId, long version) {
        app.context().getBean(DynamoDbClient.class).updateItem(r -> r.tableName(app.tableName())
                .key(Keys.definitionItem(slug, definitionId).toMap())
                .updateExpression("SET currentImageBuildId = :b, currentImageVersion = :v, currentImageAmiId = :a, "
                        + "currentImageAt = :t")
                .expressionAttributeValues(Map.of(
                        ":b", AttributeValue.fromS("20260101000000000-0000000" + version),
                        ":v", AttributeValue.fromN(Long.toString(version)),
                        ":a", AttributeValue.fromS(AMI),
                        ":t", AttributeValue.fromS("2026-01-01T00:00:00Z"))));
    }

    /**
     * A workstation launched by {@code launchedBy} from version 1 of {@code definitionId}, in
     * {@code status}, on an instance that does not exist; its id.
     */
    public static String workstation(RunningApp app, String slug, String definitionId, @Nullable String launchedBy,
                                      String status) {
        String id = UUID.randomUUID().toString();
        workstation(app, slug, id, definitionId, launchedBy, status);
        return id;
    }

    public static void workstation(RunningApp app, String slug, String id, String definitionId,
                                   @Nullable String launchedBy, String status) {
        workstation(app, slug, id, definitionId, launchedBy, status, "linux");
    }

    /** As {@link #workstation(RunningApp, String, String, String, String, String)}, on {@code os} ("linux", "windows"). */
    public static void workstation(RunningApp app, String slug, String id, String definitionId,
                                   @Nullable String launchedBy, String status, String os) {
        String now = "2026-01-01T00:00:00Z";
        WorkstationItem w = new WorkstationItem(slug, id, "planted", definitionId, 1, null, AMI, "t3.large", os,
                null, 0, WorkstationStatus.of(status), null, launchedBy == null ? "someone" : launchedBy, now, now,
                "i-0123456789abcdef0", "us-east-1a", "vol-0123456789abcdef0", "i-0123456789abcdef0", List.of(), null,
                now, 0, 1, List.of(), null);
        Map<String, AttributeValue> item = new java.util.HashMap<>(w.toItem(true));
        if (launchedBy == null) {
            item.remove("launchedBy");
        }
        // Planted instances do not exist: they stay out of the index EC2's events are matched through.
        item.remove("GSI1PK");
        item.remove("GSI1SK");
        app.context().getBean(DynamoDbClient.class).putItem(r -> r.tableName(app.tableName()).item(item));
    }
}
