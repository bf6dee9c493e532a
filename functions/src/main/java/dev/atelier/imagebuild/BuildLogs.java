package dev.atelier.imagebuild;

import io.micronaut.context.annotation.Requires;
import dev.atelier.config.AtelierConfig;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Build logs, in the blob bucket under {@link #prefix}: Image Builder's build instances write
 * their log files there (the infrastructure configuration's S3 logging), the local simulator
 * its own log. Read back as one text, each file introduced by {@code ==> <name> <==}.
 */
@Singleton
@Requires(classes = S3Client.class)
public class BuildLogs {

    /** At most this much of a log is answered: its end, which is what a reader looks for. */
    static final int MAX_BYTES = 2 * 1024 * 1024;
    private static final int MAX_FILES = 200;

    private final S3Client s3;
    private final String bucket;

    public BuildLogs(S3Client s3, AtelierConfig config) {
        this.s3 = s3;
        this.bucket = config.blobBucket();
    }

    /** Where a build's log files are kept: {@code image-builder-logs/atelier-<build id>/}. */
    public static String prefix(String buildId) {
        return "image-builder-logs/atelier-" + buildId.toLowerCase(Locale.ROOT) + "/";
    }

    /** The build's log so far (empty when nothing was written yet); only its end when very long. */
    public String read(String buildId) {
        String prefix = prefix(buildId);
        List<S3Object> files = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            files.add(object);
            if (files.size() == MAX_FILES) {
                break;
            }
        }
        // Newest files last; the end of the text is what is kept when it is too long.
        files.sort((a, b) -> a.key().compareTo(b.key()));
        StringBuilder text = new StringBuilder();
        for (S3Object file : files) {
            text.append("==> ").append(file.key().substring(prefix.length())).append(" <==\n");
            String content = s3.getObjectAsBytes(r -> r.bucket(bucket).key(file.key())).asString(StandardCharsets.UTF_8);
            text.append(content);
            if (!content.endsWith("\n")) {
                text.append('\n');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return text.toString();
        }
        String tail = new String(bytes, bytes.length - MAX_BYTES, MAX_BYTES, StandardCharsets.UTF_8);
        int firstLine = tail.indexOf('\n');
        return "[earlier lines cut: the log holds " + bytes.length + " bytes, these are its last "
                + MAX_BYTES + "]\n" + (firstLine >= 0 ? tail.substring(firstLine + 1) : tail);
    }
}
