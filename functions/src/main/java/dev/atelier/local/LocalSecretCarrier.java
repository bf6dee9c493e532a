package dev.atelier.local;

import dev.atelier.secrets.Secrets;
import dev.atelier.secrets.UnreadableSecretException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Carries KMS ciphertexts across restarts of the local engine. The engine forgets its KMS keys
 * when it stops and cannot be given a key id or key material (its KMS has no
 * ImportKeyMaterial and ignores custom ids), so a ciphertext saved as is would never decrypt
 * again. Instead, when the snapshot is written each sealed attribute is decrypted through KMS
 * and sealed with a key kept in the data directory ({@code local-secrets.key}, 256 bits,
 * created once, mode 600), bound to the same context; when the snapshot is restored it is
 * opened with that key and encrypted again through KMS under the new engine's key. At run time
 * the application only ever uses KMS; neither the table nor the snapshot holds a plaintext.
 */
final class LocalSecretCarrier {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSecretCarrier.class);

    /** Attributes holding {@link Secrets} ciphertext, and the item attribute naming their workspace. */
    static final String SEALED_ATTRIBUTE = "apiKeyCiphertext";
    private static final String WORKSPACE_ATTRIBUTE = "slug";
    static final String PREFIX = "local-v1:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Secrets secrets;
    private final SecretKeySpec key;

    private LocalSecretCarrier(Secrets secrets, byte[] key) {
        this.secrets = secrets;
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads the data directory's key, creating it (mode 600) at the first start. */
    static LocalSecretCarrier open(Secrets secrets, Path dataDir) {
        Path file = dataDir.resolve("local-secrets.key");
        try {
            if (!Files.exists(file)) {
                byte[] material = new byte[32];
                RANDOM.nextBytes(material);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(material) + "\n", StandardCharsets.UTF_8);
            }
            return new LocalSecretCarrier(secrets, Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the local secrets key in " + file, e);
        }
    }

    /** The item as the snapshot keeps it: sealed attributes re-sealed with the local key. */
    Map<String, AttributeValue> toSnapshot(Map<String, AttributeValue> item) {
        AttributeValue sealed = item.get(SEALED_ATTRIBUTE);
        AttributeValue workspace = item.get(WORKSPACE_ATTRIBUTE);
        if (sealed == null || sealed.s() == null || workspace == null || workspace.s() == null) {
            return item;
        }
        Map<String, String> context = Secrets.workspaceContext(workspace.s());
        Map<String, AttributeValue> copy = new HashMap<>(item);
        try {
            String plaintext = secrets.decrypt(sealed.s(), context);
            copy.put(SEALED_ATTRIBUTE, AttributeValue.fromS(PREFIX + seal(plaintext, context)));
        } catch (UnreadableSecretException e) {
            LOG.warn("A stored secret of workspace {} cannot be decrypted; it is kept as it is", workspace.s());
        }
        return copy;
    }

    /** The item as the table holds it: sealed attributes encrypted through KMS again. */
    Map<String, AttributeValue> fromSnapshot(Map<String, AttributeValue> item) {
        AttributeValue sealed = item.get(SEALED_ATTRIBUTE);
        AttributeValue workspace = item.get(WORKSPACE_ATTRIBUTE);
        if (sealed == null || sealed.s() == null || !sealed.s().startsWith(PREFIX) || workspace == null) {
            return item;
        }
        Map<String, String> context = Secrets.workspaceContext(workspace.s());
        Map<String, AttributeValue> copy = new HashMap<>(item);
        copy.put(SEALED_ATTRIBUTE, AttributeValue.fromS(secrets.encrypt(
                open(sealed.s().substring(PREFIX.length()), context), context)));
        return copy;
    }

    private String seal(String plaintext, Map<String, String> context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a secret for the snapshot", e);
        }
    }

    private String open(String sealed, Map<String, String> context) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, IV_BYTES));
            cipher.updateAAD(aad(context));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A secret in the snapshot cannot be opened with "
                    + "local-secrets.key (was the key file replaced?)", e);
        }
    }

    private static byte[] aad(Map<String, String> context) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(context).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
