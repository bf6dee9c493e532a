package dev.atelier.secrets;

import dev.atelier.local.LocalResources;
import dev.atelier.testing.LocalEngine;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The KMS adapter of {@link Secrets} against the local engine's KMS. */
class KmsSecretsTest {

    private static ApplicationContext context;
    private static Secrets secrets;

    @BeforeAll
    static void start() {
        context = ApplicationContext.run(LocalEngine.freshResources(), "test");
        context.getBean(LocalResources.class).ensureAll();
        secrets = context.getBean(Secrets.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void encrypt_shouldRoundTrip_withTheSameContext() {
        String ciphertext = secrets.encrypt("sk-roundtrip-0001", Secrets.workspaceContext("alpha"));
        assertThat(ciphertext).doesNotContain("roundtrip");
        assertThat(secrets.decrypt(ciphertext, Secrets.workspaceContext("alpha"))).isEqualTo("sk-roundtrip-0001");
    }

    @Test
    void decrypt_shouldFail_withAnotherWorkspacesContext() {
        // GIVEN a key encrypted for workspace alpha
        String ciphertext = secrets.encrypt("sk-moved-0002", Secrets.workspaceContext("alpha"));
        // WHEN the ciphertext is copied to workspace beta THEN the engine refuses it (InvalidCiphertextException)
        assertThatThrownBy(() -> secrets.decrypt(ciphertext, Secrets.workspaceContext("beta")))
                .isInstanceOf(UnreadableSecretException.class)
                .hasCauseInstanceOf(software.amazon.awssdk.services.kms.model.InvalidCiphertextException.class);
        assertThatThrownBy(() -> secrets.decrypt(ciphertext, Map.of("atelier:workspace", "alpha", "extra", "x")))
                .isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void decrypt_shouldFail_forDamagedCiphertext() {
        byte[] blob = Base64.getDecoder().decode(secrets.encrypt("sk-damaged-0003", Secrets.workspaceContext("alpha")));
        blob[blob.length - 1] ^= 1;
        String damaged = Base64.getEncoder().encodeToString(blob);
        assertThatThrownBy(() -> secrets.decrypt(damaged, Secrets.workspaceContext("alpha")))
                .isInstanceOf(UnreadableSecretException.class);
        assertThatThrownBy(() -> secrets.decrypt("%%%", Secrets.workspaceContext("alpha")))
                .isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void encrypt_shouldRequireAContextAndAPlaintext() {
        assertThatThrownBy(() -> secrets.encrypt("x", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secrets.encrypt("", Secrets.workspaceContext("a")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
