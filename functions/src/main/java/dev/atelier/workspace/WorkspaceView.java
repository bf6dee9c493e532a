package dev.atelier.workspace;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A workspace as the API shows it to one of its members, with that member's role, its colour
 * and its logo ({@code null} while it shows the default logo).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorkspaceView(String id, String name, String slug, String createdAt, String role,
                            String primaryColor, @Nullable Logo logo) {

    /** A custom logo: what it is and when it was set. The image itself is at {@code …/logo}. */
    @Serdeable
    public record Logo(String contentType, String updatedAt) { }

    static WorkspaceView of(WorkspaceItem w, String role) {
        Logo logo = w.logoKey() == null ? null : new Logo(w.logoContentType(), w.logoUpdatedAt());
        return new WorkspaceView(w.id(), w.name(), w.slug(), w.createdAt(), role, w.effectivePrimaryColor(), logo);
    }
}
