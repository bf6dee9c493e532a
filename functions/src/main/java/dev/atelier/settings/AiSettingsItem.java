package dev.atelier.settings;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A workspace's AI provider settings, stored under the workspace's partition (so deleting the
 * workspace deletes them). The API key is kept only as KMS ciphertext bound to the workspace,
 * and its last four characters to recognise it by.
 *
 * @param apiKeyCiphertext base64 ciphertext from {@link dev.atelier.secrets.Secrets}; null when no key is set
 * @param version          incremented by every change; the settings' ETag
 */
public record AiSettingsItem(String slug, String provider, String model, @Nullable String baseUrl,
                             @Nullable String apiKeyCiphertext, @Nullable String apiKeyLast4,
                             String updatedAt, String updatedBy, long version) {

    public static final TableSchema<AiSettingsItem> SCHEMA = ItemSchema.<AiSettingsItem>of(AiSettingsItem.class,
                    v -> new AiSettingsItem(v.get("slug"), v.get("provider"), v.get("model"), v.get("baseUrl"),
                            v.get("apiKeyCiphertext"), v.get("apiKeyLast4"), v.get("updatedAt"), v.get("updatedBy"),
                            v.number("version")),
                    s -> Keys.workspace(s.slug()), s -> Keys.AI_SETTINGS)
            .string("slug", AiSettingsItem::slug)
            .string("provider", AiSettingsItem::provider)
            .string("model", AiSettingsItem::model)
            .string("baseUrl", AiSettingsItem::baseUrl)
            .string("apiKeyCiphertext", AiSettingsItem::apiKeyCiphertext)
            .string("apiKeyLast4", AiSettingsItem::apiKeyLast4)
            .string("updatedAt", AiSettingsItem::updatedAt)
            .string("updatedBy", AiSettingsItem::updatedBy)
            .number("version", AiSettingsItem::version)
            .build();
}
