package dev.atelier.member;

import dev.atelier.web.ETags;
import dev.atelier.workspace.MemberItem;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A member of a workspace as the API shows it; {@code etag} is what If-Match takes. */
@Serdeable
public record MemberView(String userId, String email, String role, List<String> actions, List<String> groups,
                         String joinedAt, String etag) {

    static MemberView of(MemberItem m) {
        return new MemberView(m.userId(), m.email(), m.role(), m.actions(), m.groupIds(), m.joinedAt(),
                ETags.of(m.version()));
    }
}
