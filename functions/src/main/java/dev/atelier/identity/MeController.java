package dev.atelier.identity;

import dev.atelier.web.ApiException;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** {@code GET /api/v1/me}: who the caller is and where they are a member. */
@Controller("/api/v1/me")
public class MeController {

    private final UserStore users;

    public MeController(UserStore users) {
        this.users = users;
    }

    @Serdeable
    public record Me(String id, String email, String displayName, boolean siteAdmin, List<Workspace> workspaces) { }

    @Serdeable
    public record Workspace(String slug, String name, String role) { }

    @Get
    public Me me(Caller caller) {
        UserStore.Profile profile = users.profileWithWorkspaces(caller.userId())
                .orElseThrow(() -> ApiException.unauthorized("The token's user no longer exists"));
        return new Me(profile.user().id(), profile.user().email(), profile.user().displayName(),
                profile.user().siteAdmin(),
                profile.workspaces().stream().map(m -> new Workspace(m.slug(), m.workspaceName(), m.role())).toList());
    }
}
