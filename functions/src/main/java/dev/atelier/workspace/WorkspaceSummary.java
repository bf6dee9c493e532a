package dev.atelier.workspace;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A workspace in its member's list: what the membership repeats of it (a list is one Query of
 * memberships, so colour and logo, which only the workspace item holds, are not listed).
 */
@Serdeable
public record WorkspaceSummary(String id, String name, String slug, String createdAt, String role) {

    static WorkspaceSummary of(MemberItem m) {
        return new WorkspaceSummary(m.workspaceId(), m.workspaceName(), m.slug(), m.workspaceCreatedAt(), m.role());
    }
}
