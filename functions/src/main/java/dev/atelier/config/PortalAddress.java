package dev.atelier.config;

import io.micronaut.context.BeanProvider;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

/** Where people open the portal, for links in mail: configured, or the local server's address. */
@Singleton
public class PortalAddress {

    private final AtelierConfig config;
    private final BeanProvider<EmbeddedServer> server;

    public PortalAddress(AtelierConfig config, BeanProvider<EmbeddedServer> server) {
        this.config = config;
        this.server = server;
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
        throw new IllegalStateException("Set ATELIER_PORTAL_URL to the portal's address");
    }
}
