package dev.atelier.imagebuild;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * A build as the API shows it: {@code amiId} is the AMI in the deployment's own region and
 * {@code amis} every AMI by region; {@code logUrl} where the build's log can be read, once it has
 * started.
 */
@Serdeable
public record BuildView(String id, long version, String status, @Nullable String startedAt,
                        @Nullable String finishedAt, @Nullable String amiId, Map<String, String> amis,
                        @Nullable String failureReason, @Nullable String logUrl, List<History> statusHistory) {

    @Serdeable
    public record History(String status, String at) { }

    public static BuildView of(BuildItem b, @Nullable String logUrl) {
        return new BuildView(b.id(), b.version(), b.status().wireName(), b.startedAt(), b.finishedAt(), b.amiId(),
                b.amis(), b.failureReason(), logUrl,
                b.statusHistory().stream().map(h -> new History(h.status(), h.at())).toList());
    }

    BuildView withStatus(BuildStatus to) {
        return new BuildView(id, version, to.wireName(), startedAt, finishedAt, amiId, amis, failureReason, logUrl,
                statusHistory);
    }
}
