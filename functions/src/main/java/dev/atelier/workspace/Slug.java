package dev.atelier.workspace;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Workspace slugs: the URL-safe name under which every path of a workspace lives
 * ({@code /<slug>/…} in the portal). Lowercase {@code [a-z0-9-]}, 3–40 characters, no
 * leading, trailing or double {@code -}. The portal derives slugs the same way as {@link #derive}.
 */
public final class Slug {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 40;

    private static final Pattern VALID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9]+");

    /**
     * Top-level paths of the portal and the API; a workspace named like one of them would be
     * unreachable at {@code /<slug>/}.
     */
    static final Set<String> RESERVED = Set.of("api", "w", "sign-in", "sign-out", "workspaces", "css", "js",
            "img", "static", "health", "admin", "assets", "me", "login", "logout", "settings", "invitations",
            "users", "tokens", "new", "www", "site", "auth");

    private Slug() { }

    /** The slug a name suggests: diacritics folded, lowercased, every other run of characters a single '-'. */
    public static String derive(String name) {
        String folded = COMBINING_MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("");
        String slug = trimDashes(NOT_ALLOWED.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll("-"));
        if (slug.length() > MAX_LENGTH) {
            slug = trimDashes(slug.substring(0, MAX_LENGTH));
        }
        return slug;
    }

    /** What is wrong with a slug, if anything, in words fit for a field error. */
    public static Optional<String> problem(String slug) {
        if (slug.length() < MIN_LENGTH || slug.length() > MAX_LENGTH) {
            return Optional.of("must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        if (!VALID.matcher(slug).matches()) {
            return Optional.of("may contain only a-z, 0-9 and single '-' between them");
        }
        if (RESERVED.contains(slug)) {
            return Optional.of("is reserved");
        }
        return Optional.empty();
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
