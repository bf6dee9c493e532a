package dev.atelier.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token secrets: {@code atl_<user id>.<256 random bits>}. Only their SHA-256 is stored; a fast
 * hash is enough because the secret has full entropy (nothing to guess from a dictionary), and
 * the lookup by hash leaves no secret-dependent comparison to time. The user id in clear lets a
 * request read the token and the user's workspace facts in one go; it grants nothing by itself.
 */
public final class TokenSecrets {

    /** Every Atelier token starts with this, so secret scanners and people recognise it. */
    public static final String PREFIX = "atl_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() { }

    /** The user id of tokens that carry none (a bootstrap token chosen by hand). */
    public static final String DEFAULT_USER_HINT = "site-admin";

    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[a-z0-9-]{1,64}");

    public static String newSecret(String userId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + userId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The user a presented token claims to belong to; only the stored token can confirm it. */
    public static String userIdHint(String presented) {
        if (presented.startsWith(PREFIX)) {
            int dot = presented.indexOf('.');
            if (dot > PREFIX.length()) {
                String userId = presented.substring(PREFIX.length(), dot);
                if (USER_ID.matcher(userId).matches()) {
                    return userId;
                }
            }
        }
        return DEFAULT_USER_HINT;
    }

    public static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Whether a presented value can be a token at all; anything else is rejected unread. */
    public static boolean plausible(String presented) {
        return presented.length() >= 16 && presented.length() <= 200
                && presented.chars().allMatch(c -> c > 32 && c < 127);
    }
}
