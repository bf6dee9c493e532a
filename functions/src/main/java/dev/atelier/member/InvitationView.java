package dev.atelier.member;

import io.micronaut.serde.annotation.Serdeable;

/** An invitation as the API shows it; the token is never part of it. */
@Serdeable
public record InvitationView(String id, String email, String status, String createdAt, String expiresAt) {

    static InvitationView of(InvitationItem i) {
        return new InvitationView(i.id(), i.email(), i.status(), i.createdAt(), i.expiresAt());
    }
}
