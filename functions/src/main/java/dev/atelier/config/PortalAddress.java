package dev.atelier.config;

import dev.atelier.identity.SitePortalItem;
import dev.atelier.store.Keys;
import io.micronaut.context.BeanProvider;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * Where people open the portal, for links in mail: configured ({@code ATELIER_PORTAL_URL}); else
 * the address the deployment recorded in the table (the CloudFront domain, which the function's
 * environment cannot name without a cycle in the stack), read once; else the local server's.
 */
@Singleton
public class PortalAddress {

    private final AtelierConfig config;
    private final BeanProvider<EmbeddedServer> server;
    private final BeanProvider<DynamoDbEnhancedClient> dynamoDb;
    private volatile String recorded;

    public PortalAddress(AtelierConfig config, BeanProvider<EmbeddedServer> server,
                         BeanProvider<DynamoDbEnhancedClient> dynamoDb) {
        this.config = config;
        this.server = server;
        this.dynamoDb = dynamoDb;
    }

    /** The portal's base URL, without a trailing slash. */
    public String url() {
        if (config.portalUrl() != null && !config.portalUrl().isBlank()) {
            return config.portalUrl();
        }
        if (server.isPresent()) {
            EmbeddedServer s = server.get();
            return "http://" + s.getHost() + ":" + s.getPort();
        }
        if (recorded == null) {
            SitePortalItem item = dynamoDb.get().table(config.tableName(), SitePortalItem.SCHEMA)
                    .getItem(Key.builder().partitionValue(Keys.SITE).sortValue(Keys.PORTAL).build());
            if (item == null) {
                throw new IllegalStateException("No portal address: set ATELIER_PORTAL_URL or deploy the stack");
            }
            String url = item.url();
            recorded = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        return recorded;
    }
}
