package dev.atelier.definition;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** Holds a definition's CLI name in its workspace, so two definitions cannot share it. */
record CliNameItem(String slug, String cliName, String definitionId) {

    static final TableSchema<CliNameItem> SCHEMA = ItemSchema.<CliNameItem>of(CliNameItem.class,
                    v -> new CliNameItem(v.get("slug"), v.get("cliName"), v.get("definitionId")),
                    c -> Keys.workspace(c.slug()), c -> Keys.cliName(c.cliName()))
            .string("slug", CliNameItem::slug)
            .string("cliName", CliNameItem::cliName)
            .string("definitionId", CliNameItem::definitionId)
            .build();
}
