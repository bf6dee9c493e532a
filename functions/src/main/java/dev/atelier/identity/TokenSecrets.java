package dev.atelier.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token secrets: a recognisable prefix and 256 random bits. Only their SHA-256 is stored; a
 * fast hash is enough because the secret itself has full entropy (nothing to guess from a
 * dictionary), and the lookup by hash leaves no secret-dependent comparison to time.
 */
public final class TokenSecrets {

    /** Every Atelier token starts with this, so secret scanners and people recognise it. */
    public static final String PREFIX = "atl_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() { }

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
