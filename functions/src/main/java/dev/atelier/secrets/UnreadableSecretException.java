package dev.atelier.secrets;

/** A ciphertext that cannot be decrypted with the context given (or at all). */
public class UnreadableSecretException extends RuntimeException {

    public UnreadableSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
