package dev.atelier.secrets;

import io.micronaut.context.annotation.Requires;
import dev.atelier.config.AtelierConfig;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@link Secrets} with AWS KMS: {@code Encrypt} and {@code Decrypt} under the configured key,
 * the context passed as KMS encryption context (bound to the ciphertext, logged by CloudTrail).
 * Decrypt names the key too, so a ciphertext made under another key is refused.
 */
@Singleton
@Requires(classes = KmsClient.class)
public class KmsSecrets implements Secrets {

    private static final int MAX_PLAINTEXT_BYTES = 4096;

    private final KmsClient kms;
    private final String keyId;

    public KmsSecrets(KmsClient kms, AtelierConfig config) {
        this.kms = kms;
        this.keyId = config.kmsKeyId();
    }

    @Override
    public String encrypt(String plaintext, Map<String, String> context) {
        byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("A secret must be 1 to 4096 bytes");
        }
        requireContext(context);
        byte[] blob = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(bytes))
                .encryptionContext(context)).ciphertextBlob().asByteArray();
        return Base64.getEncoder().encodeToString(blob);
    }

    @Override
    public String decrypt(String ciphertext, Map<String, String> context) {
        requireContext(context);
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(ciphertext);
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecretException("The ciphertext is not base64", e);
        }
        try {
            return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(blob))
                    .encryptionContext(context)).plaintext().asUtf8String();
        } catch (InvalidCiphertextException | IncorrectKeyException | NotFoundException e) {
            throw new UnreadableSecretException("The secret cannot be decrypted: " + e.getClass().getSimpleName(), e);
        } catch (KmsException e) {
            // A ciphertext of a key that no longer exists (or that we may not use)
            if (e.awsErrorDetails() != null && "AccessDeniedException".equals(e.awsErrorDetails().errorCode())) {
                throw new UnreadableSecretException("The secret cannot be decrypted: its key is not available", e);
            }
            throw e;
        }
    }

    private static void requireContext(Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            throw new IllegalArgumentException("An encryption context is required");
        }
    }
}
