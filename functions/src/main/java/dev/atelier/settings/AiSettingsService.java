package dev.atelier.settings;

import dev.atelier.audit.AuditLog;
import dev.atelier.facts.RequestFacts;
import dev.atelier.identity.Caller;
import dev.atelier.secrets.Secrets;
import dev.atelier.web.ApiException;
import dev.atelier.web.ETags;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The rules of a workspace's AI settings. The API key is write-only: it is encrypted at once,
 * bound to the workspace, and only whether it is set and its last four characters are shown.
 * A key is never carried over to another provider or address: changing either needs the key
 * again (or {@code null}), so nobody can redirect a stored key to a server of their choosing.
 */
@Singleton
public class AiSettingsService {

    private final AiSettingsStore store;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Clock clock;

    public AiSettingsService(AiSettingsStore store, Secrets secrets, AuditLog audit, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    /** Settings and their ETag. */
    public record Current(AiSettingsView settings, String etag) { }

    public Current get(RequestFacts.Membership found) {
        AiSettingsItem item = store.get(found.workspace().slug()).orElse(null);
        return new Current(AiSettingsView.of(item), ETags.of(item == null ? 0 : item.version()));
    }

    /**
     * @throws ApiException 412 when {@code ifMatch} is not the current version or the settings
     *                      changed while this was written; 400 naming {@code apiKey} when the
     *                      provider or address changes and the stored key was not resent
     */
    public Current put(Caller caller, RequestFacts.Membership found, OptionalLong ifMatch,
                       AiSettingsRequests.Put request) {
        String slug = found.workspace().slug();
        AiSettingsItem current = store.get(slug).orElse(null);
        long version = current == null ? 0 : current.version();
        ETags.check(ifMatch, version);
        request.echoed().check(AiSettingsView.of(current));
        String ciphertext = current == null ? null : current.apiKeyCiphertext();
        String last4 = current == null ? null : current.apiKeyLast4();
        switch (request.keyChange()) {
            case SET -> {
                ciphertext = secrets.encrypt(request.apiKey(), Secrets.workspaceContext(slug));
                last4 = request.apiKey().substring(request.apiKey().length() - 4);
            }
            case CLEAR -> {
                ciphertext = null;
                last4 = null;
            }
            case KEEP -> {
                if (ciphertext != null && (!request.provider().equals(current.provider())
                        || !Objects.equals(request.baseUrl(), current.baseUrl()))) {
                    throw ApiException.invalid("apiKey",
                            "must be sent again (or null) when the provider or baseUrl changes");
                }
            }
        }
        String now = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        AiSettingsItem next = new AiSettingsItem(slug, request.provider(), request.model(), request.baseUrl(),
                ciphertext, last4, now, caller.userId(), version + 1);
        try {
            store.put(version, next, audit.entry(slug, caller.userId(), "workspace.ai-settings.update",
                    "ai-settings:" + slug, current == null ? null : AiSettingsView.of(current), AiSettingsView.of(next)));
        } catch (AiSettingsStore.StaleException e) {
            throw ApiException.preconditionFailed("The AI settings were changed by someone else meanwhile; read them again");
        }
        return new Current(AiSettingsView.of(next), ETags.of(next.version()));
    }
}
