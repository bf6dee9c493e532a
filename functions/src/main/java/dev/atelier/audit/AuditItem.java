package dev.atelier.audit;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * One change, as stored: newest first within its workspace's audit partition.
 *
 * @param before JSON of the changed thing before the change, secrets redacted; null for creations
 * @param after  JSON after the change, secrets redacted; null for deletions
 */
public record AuditItem(String slug, String sortKey, String at, String actor, String action, String target,
                        String before, String after) {

    public static final TableSchema<AuditItem> SCHEMA = ItemSchema.<AuditItem>of(AuditItem.class,
                    v -> new AuditItem(v.get("slug"), v.get("sortKey"), v.get("at"), v.get("actor"), v.get("action"),
                            v.get("target"), v.get("before"), v.get("after")),
                    a -> Keys.audit(a.slug()), AuditItem::sortKey)
            .string("slug", AuditItem::slug)
            .string("sortKey", AuditItem::sortKey)
            .string("at", AuditItem::at)
            .string("actor", AuditItem::actor)
            .string("action", AuditItem::action)
            .string("target", AuditItem::target)
            .string("before", AuditItem::before)
            .string("after", AuditItem::after)
            .build();
}
