package dev.atelier.store;

import java.util.List;

/**
 * The one DynamoDB table of Atelier, described once. The local bootstrap creates the table from
 * this description and the CDK stack declares it from the same description, so the two cannot
 * drift apart. Plain Java on purpose: the CDK module reads it without the application runtime.
 */
public final class TableDefinition {

    /** Partition key of every item. */
    public static final String PK = "PK";
    /** Sort key of every item. */
    public static final String SK = "SK";
    /** Attribute holding the expiry (epoch seconds) of short-lived items. */
    public static final String TTL_ATTRIBUTE = "ttl";

    /** Secondary index: look items up by their owner (e.g. a user's memberships). */
    public static final Index GSI1 = new Index("GSI1", "GSI1PK", "GSI1SK");

    /** A global secondary index with a string partition and sort key, projecting all attributes. */
    public record Index(String name, String partitionKey, String sortKey) { }

    private TableDefinition() { }

    /** Every global secondary index of the table. */
    public static List<Index> indexes() {
        return List.of(GSI1);
    }

    /** Every key attribute (table and indexes); all are strings. */
    public static List<String> keyAttributes() {
        return List.of(PK, SK, GSI1.partitionKey(), GSI1.sortKey());
    }
}
