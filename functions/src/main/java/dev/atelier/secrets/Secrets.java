package dev.atelier.secrets;

import java.util.Map;

/**
 * Encrypts secrets (API keys a workspace stores) so that only ciphertext is ever stored. Each
 * ciphertext is bound to an encryption context: it decrypts only with exactly the same context,
 * so a ciphertext copied to another workspace's item cannot be read there.
 */
public interface Secrets {

    /** The context that binds a secret to its workspace. */
    static Map<String, String> workspaceContext(String slug) {
        return Map.of("atelier:workspace", slug);
    }

    /**
     * @param plaintext 1 to 4096 bytes of UTF-8
     * @param context   non-empty; the same context is needed to decrypt
     * @return the ciphertext, base64 — safe to store and to log
     * @throws IllegalArgumentException when the plaintext is empty or longer than 4096 bytes
     */
    String encrypt(String plaintext, Map<String, String> context);

    /**
     * @throws UnreadableSecretException when the ciphertext is damaged, was made under another
     *                                   context, or its key is not available
     */
    String decrypt(String ciphertext, Map<String, String> context);
}
