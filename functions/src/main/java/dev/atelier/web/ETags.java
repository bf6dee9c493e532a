package dev.atelier.web;

import io.micronaut.core.annotation.Nullable;

import java.util.OptionalLong;

/** ETags are the stored version of a resource: {@code "<version>"}. */
public final class ETags {

    private ETags() { }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header asks for; empty when absent or {@code *}.
     *
     * @throws ApiException 412 when it is not an ETag this API issued (it cannot match)
     */
    public static OptionalLong ifMatch(@Nullable String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return OptionalLong.empty();
        }
        String value = header.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        try {
            if (value.length() < 3 || !value.startsWith("\"") || !value.endsWith("\"")) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(Long.parseLong(value.substring(1, value.length() - 1)));
        } catch (NumberFormatException e) {
            throw ApiException.preconditionFailed("If-Match does not match the current version");
        }
    }

    /** @throws ApiException 412 when {@code ifMatch} is present and differs from {@code current} */
    public static void check(OptionalLong ifMatch, long current) {
        if (ifMatch.isPresent() && ifMatch.getAsLong() != current) {
            throw ApiException.preconditionFailed("The resource has changed since it was read (now "
                    + of(current) + ")");
        }
    }
}
