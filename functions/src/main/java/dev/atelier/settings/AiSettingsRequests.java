package dev.atelier.settings;

import dev.atelier.web.EchoedFields;
import dev.atelier.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads and checks the body of {@code PUT …/ai-settings}. Error messages never repeat a key. */
final class AiSettingsRequests {

    static final List<String> PROVIDERS = List.of("anthropic", "openai", "groq", "ollama", "custom");
    static final Set<String> NEED_BASE_URL = Set.of("ollama", "custom");
    static final int MODEL_MAX_LENGTH = 128;
    static final int BASE_URL_MAX_LENGTH = 2048;
    static final int API_KEY_MIN_LENGTH = 8;
    static final int API_KEY_MAX_LENGTH = 1024;
    private static final Set<String> FIELDS = Set.of("provider", "model", "apiKey", "baseUrl");
    /** What {@link AiSettingsView} shows of the stored key: a PUT may send it back unchanged. */
    static final Set<String> READ_ONLY = Set.of("apiKeySet", "apiKeyLast4");

    private AiSettingsRequests() { }

    /** What to do with the stored key. */
    enum KeyChange { KEEP, CLEAR, SET }

    /**
     * @param apiKey the new key, with {@link KeyChange#SET} only
     * @param echoed the read-only fields sent, to check against the stored settings
     */
    record Put(String provider, String model, @Nullable String baseUrl, KeyChange keyChange, @Nullable String apiKey,
               EchoedFields echoed) {
        @Override
        public String toString() {
            return "Put[provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl + ", keyChange=" + keyChange + "]";
        }
    }

    /** @throws dev.atelier.web.ApiException 400 naming each invalid field */
    static Put put(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, FIELDS, READ_ONLY);
        String provider = body.requiredString("provider");
        if (provider != null && !PROVIDERS.contains(provider)) {
            body.reject("provider", "must be one of " + String.join(", ", PROVIDERS));
        }
        String model = body.requiredString("model");
        if (model != null) {
            model = model.strip();
            if (model.isEmpty() || model.length() > MODEL_MAX_LENGTH) {
                body.reject("model", "must be 1 to " + MODEL_MAX_LENGTH + " characters long");
            } else if (model.chars().anyMatch(Character::isISOControl)) {
                body.reject("model", "must not contain control characters");
            }
        }
        String baseUrl = body.optionalString("baseUrl");
        if (provider != null && NEED_BASE_URL.contains(provider) && baseUrl == null && !body.hasError("baseUrl")) {
            body.reject("baseUrl", "is required for provider " + provider);
        } else if (provider != null && PROVIDERS.contains(provider) && !NEED_BASE_URL.contains(provider)
                && baseUrl != null) {
            body.reject("baseUrl", "must not be set for provider " + provider + ", whose address is fixed");
        } else if (baseUrl != null) {
            urlProblem(baseUrl).ifPresent(p -> body.reject("baseUrl", p));
        }
        KeyChange change = KeyChange.KEEP;
        String apiKey = null;
        if (body.has("apiKey")) {
            apiKey = body.optionalString("apiKey");
            change = apiKey != null ? KeyChange.SET : body.hasError("apiKey") ? KeyChange.KEEP : KeyChange.CLEAR;
        }
        if (apiKey != null) {
            if (apiKey.length() < API_KEY_MIN_LENGTH || apiKey.length() > API_KEY_MAX_LENGTH) {
                body.reject("apiKey", "must be " + API_KEY_MIN_LENGTH + " to " + API_KEY_MAX_LENGTH + " characters long");
            } else if (apiKey.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                body.reject("apiKey", "must not contain spaces or control characters");
            }
        }
        body.validate();
        return new Put(provider, model, baseUrl == null ? null : baseUrl.strip(), change, apiKey, body.echoed());
    }

    /** An absolute http(s) URL with a host, without credentials or fragment. */
    static java.util.Optional<String> urlProblem(String raw) {
        String url = raw.strip();
        if (url.isEmpty() || url.length() > BASE_URL_MAX_LENGTH) {
            return java.util.Optional.of("must be 1 to " + BASE_URL_MAX_LENGTH + " characters long");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return java.util.Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            return java.util.Optional.of("must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            return java.util.Optional.of("must not contain credentials");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return java.util.Optional.of("must name a host");
        }
        if (uri.getRawFragment() != null) {
            return java.util.Optional.of("must not have a fragment");
        }
        return java.util.Optional.empty();
    }
}
