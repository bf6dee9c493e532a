package dev.atelier.member;

import dev.atelier.identity.Caller;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

/** {@code POST /api/v1/invitations/{token}/accept}: the invitee joins. */
@Controller("/api/v1/invitations")
public class InvitationController {

    private final InvitationService invitations;

    public InvitationController(InvitationService invitations) {
        this.invitations = invitations;
    }

    @Post("/{token}/accept")
    public InvitationService.Accepted accept(Caller caller, @PathVariable String token) {
        return invitations.accept(caller, token);
    }
}
