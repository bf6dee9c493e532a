package dev.atelier.workspace;

import dev.atelier.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

import java.util.Set;

/** Reads and checks the bodies of workspace requests. */
final class WorkspaceRequests {

    private static final Set<String> CREATE_FIELDS = Set.of("name", "slug");

    private WorkspaceRequests() { }

    /**
     * {@code {name, slug?}}: the slug is derived from the name when absent.
     *
     * @throws dev.atelier.web.ApiException 400 naming each invalid field
     */
    static WorkspaceService.NewWorkspace create(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, CREATE_FIELDS);
        String name = body.requiredString("name");
        String slug = body.optionalString("slug");
        if (name != null) {
            name = name.strip();
            if (name.isEmpty() || name.length() > WorkspaceService.NAME_MAX_LENGTH) {
                body.reject("name", "must be 1 to " + WorkspaceService.NAME_MAX_LENGTH + " characters long");
            } else if (name.chars().anyMatch(Character::isISOControl)) {
                body.reject("name", "must not contain control characters");
            }
        }
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
}
