package dev.atelier.store;

import io.micronaut.context.annotation.Requires;
import dev.atelier.config.AtelierConfig;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.util.List;

/** The blob bucket's requests that several domains share. Its S3 client is resolved on first use. */
@Singleton
@Requires(classes = S3Client.class)
public class BlobBucket {

    private final BeanProvider<S3Client> s3;
    private final String bucket;

    public BlobBucket(BeanProvider<S3Client> s3, AtelierConfig config) {
        this.s3 = s3;
        this.bucket = config.blobBucket();
    }

    /** Deletes every blob whose key starts with {@code prefix}: one List and one DeleteObjects per 1,000. */
    public void deletePrefix(String prefix) {
        for (var page : s3.get().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))) {
            List<ObjectIdentifier> keys = page.contents().stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!keys.isEmpty()) {
                s3.get().deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
            }
        }
    }
}
