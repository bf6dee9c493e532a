package dev.atelier.workspace;

import io.micronaut.context.annotation.Requires;
import dev.atelier.config.AtelierConfig;
import dev.atelier.store.BlobBucket;
import dev.atelier.store.Keys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.util.List;
import java.util.Optional;

/** Logo images in the blob bucket, under {@code logos/<slug>/}. */
@Singleton
@Requires(classes = S3Client.class)
public class LogoBlobs {

    private final S3Client s3;
    private final BlobBucket blobs;
    private final String bucket;

    public LogoBlobs(S3Client s3, BlobBucket blobs, AtelierConfig config) {
        this.s3 = s3;
        this.blobs = blobs;
        this.bucket = config.blobBucket();
    }

    public void put(String key, LogoImage image) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(image.contentType()),
                RequestBody.fromBytes(image.bytes()));
    }

    /** The stored bytes, or empty when the object is gone. */
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    /** Removes every logo blob of a workspace (a deleted workspace leaves none behind). */
    public void deleteAll(String slug) {
        blobs.deletePrefix(Keys.logoPrefix(slug));
    }
}
