package dev.atelier.identity;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * The portal's address as the deployment knows it (the CloudFront domain), written at deploy
 * time; links in mail point there. Locally there is none and {@code atelier.portal-url} is used.
 */
public record SitePortalItem(String url) {

    public static final TableSchema<SitePortalItem> SCHEMA = ItemSchema.<SitePortalItem>of(SitePortalItem.class,
                    v -> new SitePortalItem(v.get("url")), p -> Keys.SITE, p -> Keys.PORTAL)
            .string("url", SitePortalItem::url)
            .build();
}
