package dev.atelier.member;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Email addresses as Atelier accepts them: one mailbox, lower-cased, at most 254 characters. */
public final class EmailAddresses {

    private static final Pattern ADDRESS = Pattern.compile(
            "[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private EmailAddresses() { }

    /** The normalised address, or empty when it is not one. */
    public static Optional<String> normalise(String raw) {
        String address = raw.strip().toLowerCase(Locale.ROOT);
        if (address.length() > 254 || !ADDRESS.matcher(address).matches() || address.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(address);
    }
}
