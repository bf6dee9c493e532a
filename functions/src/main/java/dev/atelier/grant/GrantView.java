package dev.atelier.grant;

import dev.atelier.access.Level;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** One grant as the API shows it. */
@Serdeable
public record GrantView(String principal, List<String> levels, @Nullable String groupName) {

    static GrantView of(GrantsItem.Entry entry) {
        return new GrantView(entry.grant().principal().toString(),
                entry.grant().levels().stream().map(Level::wireName).toList(), entry.groupName());
    }
}
