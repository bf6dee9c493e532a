package dev.atelier.local;

import dev.atelier.store.TableDefinition;
import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local start creates, in the local AWS engine, what the CDK stack creates in AWS. The CDK
 * tests check the stack against the same {@link TableDefinition}; together they prove the
 * local table and the deployed table agree.
 */
class LocalResourcesTest {

    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void table_shouldHaveTheKeysAndIndexesOfTheTableDefinition() {
        // WHEN the local site has started THEN its table is described exactly by TableDefinition
        TableDescription table = app.context().getBean(DynamoDbClient.class)
                .describeTable(r -> r.tableName(app.tableName())).table();

        assertThat(table.keySchema()).containsExactly(
                key(TableDefinition.PK, KeyType.HASH), key(TableDefinition.SK, KeyType.RANGE));
        assertThat(table.attributeDefinitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeType)))
                .isEqualTo(TableDefinition.keyAttributes().stream()
                        .collect(Collectors.toMap(a -> a, a -> ScalarAttributeType.S)));
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        Map<String, GlobalSecondaryIndexDescription> indexes = table.globalSecondaryIndexes().stream()
                .collect(Collectors.toMap(GlobalSecondaryIndexDescription::indexName, i -> i));
        assertThat(indexes.keySet()).containsExactlyInAnyOrderElementsOf(
                TableDefinition.indexes().stream().map(TableDefinition.Index::name).toList());
        for (TableDefinition.Index index : TableDefinition.indexes()) {
            GlobalSecondaryIndexDescription actual = indexes.get(index.name());
            assertThat(actual.keySchema()).containsExactly(
                    key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE));
            assertThat(actual.projection().projectionType()).isEqualTo(ProjectionType.ALL);
        }
    }

    @Test
    void table_shouldExpireItemsByTheTtlAttribute() {
        var ttl = app.context().getBean(DynamoDbClient.class)
                .describeTimeToLive(r -> r.tableName(app.tableName())).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo(TableDefinition.TTL_ATTRIBUTE);
    }

    @Test
    void blobBucketKeyAndMailIdentity_shouldExist() {
        String bucket = (String) app.properties().get("atelier.blob-bucket");
        String alias = (String) app.properties().get("atelier.kms-key-id");
        assertThat(app.context().getBean(S3Client.class).listBuckets().buckets())
                .anyMatch(b -> b.name().equals(bucket));
        assertThat(app.context().getBean(KmsClient.class).describeKey(r -> r.keyId(alias)).keyMetadata().enabled())
                .isTrue();
        assertThat(app.context().getBean(SesV2Client.class).listEmailIdentities(r -> { }).emailIdentities())
                .anyMatch(i -> i.identityName().equals("atelier@localhost"));
    }

    @Test
    void ensureAll_shouldBeIdempotent() {
        // WHEN the resources are ensured again on a running site THEN nothing is created anew
        assertThat(app.context().getBean(LocalResources.class).ensureAll()).isFalse();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
