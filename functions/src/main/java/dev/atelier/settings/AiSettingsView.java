package dev.atelier.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * AI settings as the API shows them: never the key, only whether one is set and its last four
 * characters. Settings never set show as all null with {@code apiKeySet: false}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AiSettingsView(@Nullable String provider, @Nullable String model, @Nullable String baseUrl,
                             boolean apiKeySet, @Nullable String apiKeyLast4) {

    static final AiSettingsView NEVER_SET = new AiSettingsView(null, null, null, false, null);

    static AiSettingsView of(@Nullable AiSettingsItem item) {
        if (item == null) {
            return NEVER_SET;
        }
        return new AiSettingsView(item.provider(), item.model(), item.baseUrl(), item.apiKeyCiphertext() != null,
                item.apiKeyLast4());
    }
}
