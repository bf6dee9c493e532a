package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.getAttArn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.atelier.store.TableDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CloudFormation table must be exactly the one described by {@link TableDefinition}. */
class TableTest {

    private static SynthesizedStack synth;
    private static Map<String, Object> table;
    private static String tableId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        tableId = synth.logicalId(synth.stack.getTable());
        table = synth.properties(tableId);
    }

    @Test
    void table_shouldBeTheOnlyTable() {
        // GIVEN the synthesised stack
        // WHEN its tables are listed
        // THEN there is exactly the one Atelier table
        assertThat(synth.resourcesOfType("AWS::DynamoDB::Table")).containsOnlyKeys(tableId);
    }

    @Test
    void table_shouldUseKeysFromTableDefinition() {
        // GIVEN the table description shared with the application
        // WHEN the table's key schema is read from the template
        Object keySchema = table.get("KeySchema");
        // THEN partition and sort key are TableDefinition's
        assertThat(keySchema).isEqualTo(List.of(
                Map.of("AttributeName", TableDefinition.PK, "KeyType", "HASH"),
                Map.of("AttributeName", TableDefinition.SK, "KeyType", "RANGE")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void table_shouldDefineEveryKeyAttributeOfTableDefinitionAsString() {
        // GIVEN the key attributes of the table and its indexes in TableDefinition
        // WHEN the attribute definitions are read from the template
        List<Object> definitions = (List<Object>) table.get("AttributeDefinitions");
        // THEN they are exactly those attributes, all strings
        assertThat(definitions).containsExactlyInAnyOrderElementsOf(TableDefinition.keyAttributes().stream()
                .map(name -> (Object) Map.of("AttributeName", name, "AttributeType", "S"))
                .toList());
    }

    @Test
    void table_shouldDeclareTheIndexesOfTableDefinition() {
        // GIVEN the indexes described by TableDefinition
        List<Object> expected = TableDefinition.indexes().stream()
                .map(index -> (Object) Map.of(
                        "IndexName", index.name(),
                        "KeySchema", List.of(
                                Map.of("AttributeName", index.partitionKey(), "KeyType", "HASH"),
                                Map.of("AttributeName", index.sortKey(), "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL")))
                .toList();
        // WHEN the global secondary indexes are read from the template
        Object indexes = table.get("GlobalSecondaryIndexes");
        // THEN they have the same names and keys, and project all attributes
        assertThat(indexes).isEqualTo(expected);
    }

    @Test
    void table_shouldExpireItemsByTheTtlAttributeOfTableDefinition() {
        // GIVEN the TTL attribute named by TableDefinition
        // WHEN the table's TTL specification is read
        Object ttl = table.get("TimeToLiveSpecification");
        // THEN TTL is enabled on that attribute
        assertThat(ttl).isEqualTo(Map.of("AttributeName", TableDefinition.TTL_ATTRIBUTE, "Enabled", true));
    }

    @Test
    void table_shouldBillPerRequest() {
        // GIVEN the synthesised table
        // WHEN its billing mode is read
        // THEN it is on-demand
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
    }

    @Test
    void table_shouldHavePointInTimeRecovery() {
        // GIVEN the synthesised table
        // WHEN its recovery settings are read
        // THEN point-in-time recovery is on
        assertThat(table.get("PointInTimeRecoverySpecification"))
                .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
    }

    @Test
    void table_shouldBeEncryptedWithTheAtelierKey() {
        // GIVEN the stack's customer-managed key
        String keyId = synth.logicalId(synth.stack.getKey());
        // WHEN the table's encryption settings are read
        Object sse = table.get("SSESpecification");
        // THEN the table is encrypted with that key
        assertThat(sse).isEqualTo(Map.of("SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", getAttArn(keyId)));
    }

    @Test
    void table_shouldBeRetainedWhenTheStackIsDeleted() {
        // GIVEN the synthesised table
        // WHEN its deletion and replacement policies are read
        Map<String, Object> resource = synth.resource(tableId);
        // THEN the data outlives the stack
        assertThat(resource).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
    }
}
