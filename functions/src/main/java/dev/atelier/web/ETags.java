package dev.atelier.web;

import io.micronaut.core.annotation.Nullable;

/** Reads {@code If-Match} headers against the numeric versions Atelier uses as ETags. */
public final class ETags {

    private ETags() { }

    /** The ETag header value of a version. */
    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header asks for: null when the header is absent or
     * {@code *} (any version).
     *
     * @throws ApiException 412 when the header is present but names no version of ours (it
     *                      cannot match the current one)
     */
    @Nullable
    public static Long ifMatch(@Nullable String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        String tag = header.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 3 && tag.startsWith("\"") && tag.endsWith("\"")) {
            try {
                return Long.parseLong(tag.substring(1, tag.length() - 1));
            } catch (NumberFormatException e) {
                // falls through: not one of ours
            }
        }
        throw ApiException.preconditionFailed("If-Match does not match the current ETag");
    }

    /** @throws ApiException 412 when {@code expected} is given and is not {@code current} */
    public static void check(@Nullable Long expected, long current) {
        if (expected != null && expected != current) {
            throw ApiException.preconditionFailed("If-Match does not match the current ETag " + of(current));
        }
    }
}
