package dev.atelier.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Email addresses as Atelier keeps them: trimmed and lower-cased (one address, one user),
 * at most 254 characters, a plain {@code local@domain.tld} without quoting or comments.
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254;

    private static final Pattern VALID = Pattern.compile(
            "[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private EmailAddress() { }

    /** The form an address is stored and compared in. */
    public static String normalise(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** What is wrong with a normalised address, if anything, in words fit for a field error. */
    public static Optional<String> problem(String normalised) {
        if (normalised.isEmpty() || normalised.length() > MAX_LENGTH) {
            return Optional.of("must be 1 to " + MAX_LENGTH + " characters long");
        }
        if (!VALID.matcher(normalised).matches() || normalised.contains("..")
                || normalised.startsWith(".") || normalised.contains(".@")) {
            return Optional.of("is not an email address");
        }
        return Optional.empty();
    }
}
