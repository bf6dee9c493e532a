package dev.atelier.imagebuild;

import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A build's status as the API shows it. Statuses only move forward (their order below); the
 * last three end a build, and nothing moves a build that has ended.
 */
public enum BuildStatus {
    PENDING, BUILDING, TESTING, DISTRIBUTING, AVAILABLE, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BuildStatus of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    public boolean ended() {
        return this == AVAILABLE || this == FAILED || this == CANCELLED;
    }

    private int rank() {
        return ended() ? 4 : ordinal();
    }

    /** The statuses a build may be in for it to move to this one. */
    public List<BuildStatus> reachableFrom() {
        return java.util.Arrays.stream(values()).filter(s -> !s.ended() && s.rank() < rank()).toList();
    }

    /** The statuses of a build still in progress (not ended). */
    public static List<BuildStatus> inProgress() {
        return java.util.Arrays.stream(values()).filter(s -> !s.ended()).toList();
    }

    /**
     * The condition {@code #status IN (:<prefix>0, :<prefix>1, …)}, with its name and values: one
     * placeholder prefix per condition keeps two of them apart in one request.
     */
    public static Expression statusIn(List<BuildStatus> statuses, String prefix) {
        Expression.Builder e = Expression.builder().putExpressionName("#status", "status");
        List<String> placeholders = new ArrayList<>();
        for (BuildStatus status : statuses) {
            String placeholder = ":" + prefix + placeholders.size();
            e.putExpressionValue(placeholder, AttributeValue.fromS(status.wireName()));
            placeholders.add(placeholder);
        }
        return e.expression("#status IN (" + String.join(", ", placeholders) + ")").build();
    }

    /**
     * Image Builder's image status as ours; empty for statuses that say nothing about a build in
     * progress (an image deprecated or deleted later).
     */
    public static Optional<BuildStatus> fromImageBuilder(ImageBuilder.Status status) {
        return Optional.ofNullable(switch (status) {
            case PENDING, CREATING -> PENDING;
            case BUILDING -> BUILDING;
            case TESTING -> TESTING;
            case DISTRIBUTING, INTEGRATING -> DISTRIBUTING;
            case AVAILABLE -> AVAILABLE;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case DEPRECATED, DELETED, DISABLED -> null;
        });
    }
}
