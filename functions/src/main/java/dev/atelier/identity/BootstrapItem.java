package dev.atelier.identity;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** Remembers which token is the site administrator's bootstrap token, to replace it when it changes. */
record BootstrapItem(String secretHash) {

    static final TableSchema<BootstrapItem> SCHEMA = ItemSchema.<BootstrapItem>of(BootstrapItem.class,
                    v -> new BootstrapItem(v.get("secretHash")), b -> Keys.SITE, b -> Keys.BOOTSTRAP)
            .string("secretHash", BootstrapItem::secretHash)
            .build();
}
