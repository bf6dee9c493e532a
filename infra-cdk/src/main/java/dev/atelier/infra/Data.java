package dev.atelier.infra;

import java.util.List;

import dev.atelier.store.TableDefinition;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * What Atelier keeps: one KMS key, the table, the blob bucket, and the bucket receiving the
 * access logs of the buckets and of the portal's distribution. All of it outlives the stack.
 */
final class Data extends StackPart {

    /** How long access logs are kept. */
    static final int ACCESS_LOG_DAYS = 365;

    final Key key;
    final Table table;
    final Bucket accessLogBucket;
    final Bucket blobBucket;

    Data(Construct scope, String id) {
        super(scope, id);
        this.key = Key.Builder.create(this, "Key")
                .description("Atelier: encrypts the table, the blob bucket and secrets")
                .alias("alias/atelier")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        this.table = declareTable();

        // S3 server access logs and CloudFront's standard logs arrive here. SSE-S3: neither log
        // delivery writes to an SSE-KMS bucket. CloudFront's standard logging writes through an
        // ACL grant, hence object ownership "bucket owner preferred" rather than "enforced".
        this.accessLogBucket = Bucket.Builder.create(this, "AccessLogBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(ACCESS_LOG_DAYS))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        this.blobBucket = Bucket.Builder.create(this, "BlobBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .versioned(true)
                .serverAccessLogsBucket(accessLogBucket)
                .serverAccessLogsPrefix("blob-bucket/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private Table declareTable() {
        Table t = Table.Builder.create(this, "Table")
                .partitionKey(stringKey(TableDefinition.PK))
                .sortKey(stringKey(TableDefinition.SK))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute(TableDefinition.TTL_ATTRIBUTE)
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (TableDefinition.Index index : TableDefinition.indexes()) {
            t.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(stringKey(index.partitionKey()))
                    .sortKey(stringKey(index.sortKey()))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        return t;
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }
}
