package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtelierSettingsTest {

    @TempDir
    Path dir;

    @Test
    void settings_shouldExplainAMissingLambdaJar() {
        // GIVEN a jar path where nothing was built
        Path jar = dir.resolve("missing.jar");
        // WHEN settings are made from it
        // THEN the error names the path and how to build the jar
        assertThatThrownBy(() -> new AtelierSettings(jar, dir, "a@b.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(jar.toString())
                .hasMessageContaining("mvn");
    }

    @Test
    void settings_shouldRejectAMailFromThatIsNoAddress() throws IOException {
        // GIVEN a jar and a site directory that exist
        Path jar = Files.createFile(dir.resolve("f.jar"));
        // WHEN mailFrom is not an e-mail address
        // THEN the settings are refused, naming the context key
        assertThatThrownBy(() -> new AtelierSettings(jar, dir, "atelier"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mailFrom");
    }
}
