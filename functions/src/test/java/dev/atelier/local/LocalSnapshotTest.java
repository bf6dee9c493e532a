package dev.atelier.local;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Local data outlives the local AWS engine, which keeps everything only in memory. */
class LocalSnapshotTest {

    @Test
    void restart_shouldFindTheWorkspacesAndBlobs_whenTheEngineLostEverything() throws Exception {
        // GIVEN a local site with a workspace and a blob, stopped (which saves the snapshot)
        Map<String, Object> properties;
        String bucket;
        try (RunningApp first = RunningApp.start()) {
            properties = new HashMap<>(first.properties());
            bucket = (String) properties.get("atelier.blob-bucket");
            assertThat(first.send("POST", "/api/v1/workspaces", first.bootstrapToken(),
                    "{\"name\":\"Kept Between Runs\"}").statusCode()).isEqualTo(201);
            first.context().getBean(S3Client.class).putObject(r -> r.bucket(bucket).key("logos/kept.svg"),
                    RequestBody.fromString("<svg/>"));
        }
        Path snapshot = Path.of((String) properties.get("atelier.data-dir"), "snapshot", "table.jsonl");
        assertThat(snapshot).exists();
        assertThat(Files.readString(snapshot)).contains("Kept Between Runs");

        // AND the engine forgot the table, as a restarted engine does
        try (RunningApp probe = RunningApp.start()) {
            probe.context().getBean(DynamoDbClient.class).deleteTable(r -> r.tableName((String) properties.get("atelier.table-name")));
            S3Client s3 = probe.context().getBean(S3Client.class);
            s3.deleteObject(r -> r.bucket(bucket).key("logos/kept.svg"));
            s3.deleteBucket(r -> r.bucket(bucket));
        }

        // WHEN the site starts again on the same data directory
        try (RunningApp second = RunningApp.start(properties)) {
            // THEN the workspace, the administrator's token and the blob are back
            var list = second.send("GET", "/api/v1/workspaces", second.bootstrapToken(), null);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(Json.items(list.body())).extracting(w -> w.get("slug")).containsExactly("kept-between-runs");
            assertThat(second.context().getBean(S3Client.class)
                    .getObjectAsBytes(r -> r.bucket(bucket).key("logos/kept.svg")).asUtf8String()).isEqualTo("<svg/>");
        }
    }

    @Test
    void snapshot_shouldKeepEveryAttributeType() {
        // GIVEN an item with every DynamoDB attribute type
        var item = Map.of(
                "PK", AttributeValue.fromS("X"),
                "n", AttributeValue.fromN("12.5"),
                "b", AttributeValue.fromB(
                        SdkBytes.fromUtf8String("bytes")),
                "t", AttributeValue.fromBool(true),
                "z", AttributeValue.fromNul(true),
                "ss", AttributeValue.fromSs(List.of("a", "b")),
                "ns", AttributeValue.fromNs(List.of("1", "2")),
                "l", AttributeValue.fromL(List.of(
                        AttributeValue.fromS("x"))),
                "m", AttributeValue.fromM(Map.of("k",
                        AttributeValue.fromN("1"))));
        // WHEN written as DynamoDB JSON and read back THEN nothing changed
        assertThat(DynamoJson.item(DynamoJson.item(item))).isEqualTo(item);
    }
}
