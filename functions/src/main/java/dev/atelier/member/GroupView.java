package dev.atelier.member;

import dev.atelier.web.ETags;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A group as the API shows it. */
@Serdeable
public record GroupView(String id, String name, List<String> userIds, String createdAt, String etag) {

    static GroupView of(GroupItem g) {
        return new GroupView(g.id(), g.name(), g.memberIds(), g.createdAt(), ETags.of(g.version()));
    }
}
