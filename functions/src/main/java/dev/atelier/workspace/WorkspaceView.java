package dev.atelier.workspace;

import io.micronaut.serde.annotation.Serdeable;

/** A workspace as the API shows it to one of its members, with that member's role. */
@Serdeable
public record WorkspaceView(String id, String name, String slug, String createdAt, String role) {

    static WorkspaceView of(MemberItem m) {
        return new WorkspaceView(m.workspaceId(), m.workspaceName(), m.slug(), m.workspaceCreatedAt(), m.role());
    }

    static WorkspaceView of(WorkspaceItem w, String role) {
        return new WorkspaceView(w.id(), w.name(), w.slug(), w.createdAt(), role);
    }
}
