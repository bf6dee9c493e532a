package dev.atelier.workspace;

import dev.atelier.config.AtelierConfig;
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
public class LogoBlobs {

    private final S3Client s3;
    private final String bucket;

    public LogoBlobs(S3Client s3, AtelierConfig config) {
        this.s3 = s3;
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
        for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(Keys.logoPrefix(slug)))) {
            List<ObjectIdentifier> keys = page.contents().stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
            }
        }
    }
}
