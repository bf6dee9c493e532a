package dev.atelier.local;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.config.AtelierConfig;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps local data between runs. The local AWS engine holds state only in memory, so the
 * table and the blob bucket are written to {@code <data dir>/snapshot/} (atomically, by
 * rename) and loaded back into a fresh engine at the next start.
 */
public class LocalSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSnapshot.class);

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final JsonMapper json;
    private final DynamoDbRequestCounter counter;
    private final AtelierConfig config;
    private final Path directory;
    private final LocalSecretCarrier secrets;
    private long writesAtLastSave = -1;

    public LocalSnapshot(DynamoDbClient dynamoDb, S3Client s3, JsonMapper json, DynamoDbRequestCounter counter,
                         AtelierConfig config, Path dataDir) {
        this(dynamoDb, s3, json, counter, config, dataDir, null);
    }

    /** @param secrets carries KMS ciphertexts across engine restarts; null to keep them as they are */
    LocalSnapshot(DynamoDbClient dynamoDb, S3Client s3, JsonMapper json, DynamoDbRequestCounter counter,
                  AtelierConfig config, Path dataDir, LocalSecretCarrier secrets) {
        this.secrets = secrets;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.json = json;
        this.counter = counter;
        this.config = config;
        this.directory = dataDir.resolve("snapshot");
    }

    private Path tableFile() {
        return directory.resolve("table.jsonl");
    }

    private Path blobDirectory() {
        return directory.resolve("blobs");
    }

    /** Loads a saved snapshot into the (empty) table and bucket. @return items restored */
    public int restore() {
        int items = 0;
        try {
            if (Files.exists(tableFile())) {
                List<WriteRequest> batch = new ArrayList<>();
                for (String line : Files.readAllLines(tableFile(), StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, AttributeValue> item = DynamoJson.item(json.readValue(line, JsonNode.class));
                    if (secrets != null) {
                        item = secrets.fromSnapshot(item);
                    }
                    batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                    items++;
                    if (batch.size() == 25) {
                        write(batch);
                        batch.clear();
                    }
                }
                write(batch);
            }
            if (Files.isDirectory(blobDirectory())) {
                try (Stream<Path> files = Files.walk(blobDirectory())) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        String key = blobDirectory().relativize(file).toString().replace('\\', '/');
                        s3.putObject(r -> r.bucket(config.blobBucket()).key(key), RequestBody.fromFile(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the snapshot in " + directory, e);
        }
        writesAtLastSave = counter.writes();
        return items;
    }

    /** Saves when anything was written since the last save. */
    public synchronized void saveIfChanged() {
        if (counter.writes() != writesAtLastSave) {
            save();
        }
    }

    /** Writes the whole table and bucket to the snapshot, replacing the previous one. */
    public synchronized void save() {
        long writes = counter.writes();
        try {
            Files.createDirectories(directory);
            Path tmp = directory.resolve("table.jsonl.tmp");
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (var page : dynamoDb.scanPaginator(r -> r.tableName(config.tableName()).consistentRead(true))) {
                    for (Map<String, AttributeValue> item : page.items()) {
                        out.write(json.writeValueAsString(DynamoJson.item(secrets == null ? item : secrets.toSnapshot(item))));
                        out.newLine();
                    }
                }
            }
            Files.move(tmp, tableFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            saveBlobs();
            writesAtLastSave = writes;
        } catch (IOException e) {
            LOG.error("Could not save the local snapshot to {}", directory, e);
        }
    }

    private void saveBlobs() throws IOException {
        Path tmp = directory.resolve("blobs.tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        for (var page : s3.listObjectsV2Paginator(r -> r.bucket(config.blobBucket()))) {
            for (S3Object object : page.contents()) {
                Path target = tmp.resolve(object.key()).normalize();
                if (!target.startsWith(tmp)) {
                    continue; // a key that would escape the snapshot folder is not ours
                }
                Files.createDirectories(target.getParent());
                Files.write(target, s3.getObjectAsBytes(r -> r.bucket(config.blobBucket()).key(object.key())).asByteArray());
            }
        }
        deleteTree(blobDirectory());
        Files.move(tmp, blobDirectory(), StandardCopyOption.ATOMIC_MOVE);
    }

    private void write(List<WriteRequest> batch) {
        List<WriteRequest> pending = List.copyOf(batch);
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> request = Map.of(config.tableName(), pending);
            var unprocessed = dynamoDb.batchWriteItem(r -> r.requestItems(request))
                    .unprocessedItems().get(config.tableName());
            pending = unprocessed == null ? List.of() : List.copyOf(unprocessed);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
