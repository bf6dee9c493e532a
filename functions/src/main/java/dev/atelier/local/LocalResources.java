package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import dev.atelier.store.TableDefinition;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;

/**
 * Locally, creates what the CDK stack creates in AWS: the table (from {@link TableDefinition},
 * the same description the stack uses), the blob bucket, the KMS key and the mail identity.
 * Each step is idempotent.
 */
@Singleton
public class LocalResources {

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final KmsClient kms;
    private final SesV2Client ses;
    private final AtelierConfig config;

    public LocalResources(DynamoDbClient dynamoDb, S3Client s3, KmsClient kms, SesV2Client ses, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.kms = kms;
        this.ses = ses;
        this.config = config;
    }

    /** @return whether the table was created now (so it is empty) */
    public boolean ensureAll() {
        boolean created = ensureTable();
        ensureBucket();
        ensureKey();
        ensureMailIdentity();
        return created;
    }

    /** The table exactly as {@link TableDefinition} describes it. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(TableDefinition.keyAttributes().stream()
                        .map(name -> AttributeDefinition.builder().attributeName(name)
                                .attributeType(ScalarAttributeType.S).build())
                        .toList())
                .keySchema(key(TableDefinition.PK, KeyType.HASH), key(TableDefinition.SK, KeyType.RANGE))
                .globalSecondaryIndexes(TableDefinition.indexes().stream()
                        .map(index -> GlobalSecondaryIndex.builder()
                                .indexName(index.name())
                                .keySchema(key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                                .build())
                        .toList())
                .build();
    }

    boolean ensureTable() {
        try {
            dynamoDb.describeTable(r -> r.tableName(config.tableName()));
            return false;
        } catch (ResourceNotFoundException absent) {
            try {
                dynamoDb.createTable(createTableRequest(config.tableName()));
            } catch (ResourceInUseException raced) {
                return false;
            }
            dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(config.tableName()));
            dynamoDb.updateTimeToLive(r -> r.tableName(config.tableName())
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(TableDefinition.TTL_ATTRIBUTE)));
            return true;
        }
    }

    private void ensureBucket() {
        try {
            s3.createBucket(r -> r.bucket(config.blobBucket()));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // kept from an earlier start
        }
    }

    private void ensureKey() {
        String alias = config.kmsKeyId();
        if (!alias.startsWith("alias/")) {
            return;
        }
        try {
            kms.describeKey(r -> r.keyId(alias));
        } catch (NotFoundException absent) {
            String keyId = kms.createKey(r -> r.description("Atelier secrets")).keyMetadata().keyId();
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
        }
    }

    private void ensureMailIdentity() {
        try {
            ses.createEmailIdentity(r -> r.emailIdentity(config.mailFrom()));
        } catch (AlreadyExistsException exists) {
            // verified at an earlier start
        }
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
