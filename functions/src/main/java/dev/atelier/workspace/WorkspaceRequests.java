package dev.atelier.workspace;

import dev.atelier.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the bodies of workspace requests. */
final class WorkspaceRequests {

    private static final Set<String> CREATE_FIELDS = Set.of("name", "slug");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "primaryColor");
    /** What {@link WorkspaceView} shows that a PATCH does not change: it may be sent back unchanged. */
    static final Set<String> READ_ONLY = Set.of("id", "slug", "createdAt", "role", "logo");
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    private WorkspaceRequests() { }

    /**
     * {@code {name, slug?}}: the slug is derived from the name when absent.
     *
     * @throws dev.atelier.web.ApiException 400 naming each invalid field
     */
    static WorkspaceService.NewWorkspace create(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, CREATE_FIELDS);
        String name = name(body, body.requiredString("name"));
        String slug = body.optionalString("slug");
        if (slug == null && name != null && !body.hasError("name") && !body.hasError("slug")) {
            slug = Slug.derive(name);
            Slug.problem(slug).ifPresent(p -> body.reject("slug",
                    "could not be derived from the name (" + p + "); choose one"));
        } else if (slug != null) {
            String s = slug;
            Slug.problem(s).ifPresent(p -> body.reject("slug", p));
        }
        body.validate();
        return new WorkspaceService.NewWorkspace(name, slug);
    }

    /**
     * {@code {name?, primaryColor?}}: at least one; {@code "primaryColor": null} goes back to the
     * default colour. The colour is stored lower case. The other fields of {@code current} (what
     * GET answers) may be sent back with their current values.
     *
     * @throws dev.atelier.web.ApiException 400 naming each invalid field, each read-only field changed
     */
    static WorkspaceService.Changes update(JsonMapper json, @Nullable String raw, WorkspaceView current) {
        JsonBody body = JsonBody.parse(json, raw, UPDATE_FIELDS, READ_ONLY);
        body.rejectChangedReadOnly(current);
        String name = null;
        if (body.has("name")) {
            name = name(body, body.requiredString("name"));
        }
        String color = body.optionalString("primaryColor");
        if (color != null && !COLOR.matcher(color).matches()) {
            body.reject("primaryColor", "must be a colour written #rrggbb");
        }
        if (!body.has("name") && !body.has("primaryColor")) {
            body.reject("body", "must change name or primaryColor");
        }
        body.validate();
        return new WorkspaceService.Changes(name, body.has("primaryColor"),
                color == null ? null : color.toLowerCase(Locale.ROOT));
    }

    /** The name rules of create and rename; null (with an error noted) when broken. */
    @Nullable
    private static String name(JsonBody body, @Nullable String name) {
        if (name == null) {
            return null;
        }
        name = name.strip();
        if (name.isEmpty() || name.length() > WorkspaceService.NAME_MAX_LENGTH) {
            body.reject("name", "must be 1 to " + WorkspaceService.NAME_MAX_LENGTH + " characters long");
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            body.reject("name", "must not contain control characters");
        }
        return name;
    }
}
