package dev.atelier.local;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.config.AtelierConfig;
import dev.atelier.identity.BootstrapAdmin;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.secrets.Secrets;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Atelier on a laptop: at start, creates the AWS resources in the local engine, restores the
 * data kept from the previous run and makes sure the site administrator can sign in; while
 * running and at shutdown, keeps the data in the data directory.
 */
@Context
@Requires(env = "local")
public class LocalSite {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSite.class);

    private final Path dataDir;
    private final LocalSnapshot snapshot;
    private final ScheduledExecutorService saver;
    private final String generatedToken;
    private final Path tokenFile;

    public LocalSite(LocalResources resources, BootstrapAdmin bootstrapAdmin, DynamoDbClient dynamoDb, S3Client s3,
                     JsonMapper json, DynamoDbRequestCounter counter, AtelierConfig config, Secrets secrets,
                     @Value("${atelier.snapshot-every-seconds:5}") long saveEverySeconds) {
        this.dataDir = Path.of(config.dataDir() == null ? ".atelier" : config.dataDir()).toAbsolutePath();
        this.tokenFile = dataDir.resolve("bootstrap-token");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir, e);
        }
        this.snapshot = new LocalSnapshot(dynamoDb, s3, json, counter, config, dataDir,
                LocalSecretCarrier.open(secrets, dataDir));
        if (resources.ensureAll()) {
            int restored = snapshot.restore();
            if (restored > 0) {
                LOG.info("Restored {} items from {}", restored, dataDir);
            }
        }
        String token = config.bootstrapToken();
        String generated = null;
        if (token == null || token.isBlank()) {
            token = readToken();
            if (token == null) {
                token = TokenSecrets.newSecret(BootstrapAdmin.USER_ID);
                writeToken(token);
                generated = token;
            }
        }
        bootstrapAdmin.ensure(token);
        this.generatedToken = generated;
        snapshot.save();
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-snapshot");
            t.setDaemon(true);
            return t;
        });
        // 0: only at shutdown (tests that count DynamoDB requests must not see the saver's scans).
        if (saveEverySeconds > 0) {
            saver.scheduleWithFixedDelay(snapshot::saveIfChanged, saveEverySeconds, saveEverySeconds, TimeUnit.SECONDS);
        }
    }

    /** Tells the person at the terminal where Atelier is and how to sign in. */
    @EventListener
    public void onStartup(ServerStartupEvent event) {
        String url = "http://" + event.getSource().getHost() + ":" + event.getSource().getPort() + "/";
        StringBuilder message = new StringBuilder()
                .append("\nAtelier is ready at ").append(url).append('\n')
                .append("Data directory: ").append(dataDir).append('\n');
        if (generatedToken != null) {
            message.append("Site administrator token (shown once, also saved in ").append(tokenFile).append("):\n  ")
                    .append(generatedToken).append('\n');
        } else if (Files.exists(tokenFile)) {
            message.append("Site administrator token: in ").append(tokenFile).append('\n');
        } else {
            message.append("Site administrator token: the value of ATELIER_BOOTSTRAP_TOKEN\n");
        }
        System.out.println(message);
    }

    /** The snapshot of this site; tests save and restore through it. */
    public LocalSnapshot snapshot() {
        return snapshot;
    }

    @PreDestroy
    void stop() {
        saver.shutdownNow();
        snapshot.save();
        LOG.info("Local data saved to {}", dataDir);
    }

    private String readToken() {
        try {
            return Files.exists(tokenFile) ? Files.readString(tokenFile, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + tokenFile, e);
        }
    }

    private void writeToken(String token) {
        try {
            Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("Cannot write " + tokenFile, e);
        }
    }
}
