package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The portal's paths: its own pages, and workspace pages under {@code /<slug>/}. */
class PortalFilterTest {

    @TempDir
    static Path site;
    private static PortalFilter filter;

    @BeforeAll
    static void site() throws IOException {
        for (String page : new String[]{"index.html", "sign-in/index.html", "workspaces/index.html", "w/index.html",
                "w/members/index.html", "css/site.css"}) {
            Path file = site.resolve(page);
            Files.createDirectories(file.getParent());
            Files.writeString(file, page);
        }
        filter = new PortalFilter(new AtelierConfig("t", "b", "k", "m", null, null, null, site.toString(), null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "/, index.html",
            "/sign-in/, sign-in/index.html",
            "/workspaces/, workspaces/index.html",
            "/css/site.css, css/site.css",
            "/acme/, w/index.html",
            "/acme, w/index.html",
            "/acme/members/, w/members/index.html",
            "/acme/members, w/members/index.html",
            "/acme/nothing-here/, none",
            "/css/missing.css, none",
            "/acme/logo.png, none",
            "/../etc/passwd, none",
            "/w/../../secret, none",
    })
    void resolve_shouldAnswerWithTheRightPage(String path, String expected) {
        Path file = filter.resolve(path);
        if (expected == null) {
            assertThat(file).isNull();
        } else {
            assertThat(file).isEqualTo(site.resolve(expected).toAbsolutePath().normalize());
        }
    }
}
