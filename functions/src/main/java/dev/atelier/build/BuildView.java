package dev.atelier.build;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A build as the API shows it. */
@Serdeable
public record BuildView(String id, long version, String status, @Nullable String startedAt,
                        @Nullable String finishedAt, @Nullable String amiId, @Nullable String failureReason,
                        List<History> statusHistory) {

    @Serdeable
    public record History(String status, String at) { }

    public static BuildView of(BuildItem b) {
        return new BuildView(b.id(), b.version(), b.status().wireName(), b.startedAt(), b.finishedAt(), b.amiId(),
                b.failureReason(), b.statusHistory().stream().map(h -> new History(h.status(), h.at())).toList());
    }

    BuildView withStatus(BuildStatus to) {
        return new BuildView(id, version, to.wireName(), startedAt, finishedAt, amiId, failureReason, statusHistory);
    }
}
