package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the portal's CloudFront Function, exactly as it appears in the template, with node on
 * sample viewer requests, and checks where each URI ends up in the site bucket.
 */
class PortalRewriteFunctionTest {

    private static final List<String> SAMPLE_URIS = new ArrayList<>(List.of(
            "/", "/index.html", "/sign-in/", "/sign-in", "/workspaces/", "/acme/", "/acme", "/acme/members/",
            "/acme/members", "/acme/settings/billing/", "/acme/settings/", "/tokens/", "/tokens", "/users/", "/users",
            "/sign-in/link/", "/sign-in/link", "/invitations/", "/invitations", "/css/site.css", "/js/app.js", "/img/logo.svg",
            "/w/", "/favicon.ico"));
    private static Map<String, String> rewritten;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void runTheFunctionWithNode() throws IOException, InterruptedException {
        SynthesizedStack synth = SynthesizedStack.get();
        String functionId = synth.resourcesOfType("AWS::CloudFront::Function").keySet().iterator().next();
        String code = (String) synth.properties(functionId).get("FunctionCode");
        AtelierStack.SITE_FOLDERS.forEach(folder -> SAMPLE_URIS.add("/" + folder + "/"));

        Path dir = Files.createTempDirectory("portal-rewrite");
        Path function = Files.writeString(dir.resolve("function.js"), code);
        // The harness gives the function a CloudFront viewer-request event per URI and prints
        // {uri: rewritten uri} as JSON. The function body is evaluated as CloudFront does: a
        // plain script defining handler(event).
        Path harness = Files.writeString(dir.resolve("harness.js"), """
                const fs = require('fs');
                const source = fs.readFileSync(process.argv[2], 'utf8');
                const handler = new Function(source + '\\nreturn handler;')();
                const uris = JSON.parse(process.argv[3]);
                const out = {};
                for (const uri of uris) {
                  const event = { version: '1.0', context: { eventType: 'viewer-request' },
                    viewer: { ip: '192.0.2.1' },
                    request: { method: 'GET', uri: uri, querystring: {}, headers: {}, cookies: {} } };
                  out[uri] = handler(event).uri;
                }
                process.stdout.write(JSON.stringify(out));
                """);
        ObjectMapper mapper = new ObjectMapper();
        String node = Files.isExecutable(Path.of("/usr/bin/node")) ? "/usr/bin/node" : "node";
        Process process = new ProcessBuilder(node, harness.toString(), function.toString(),
                mapper.writeValueAsString(SAMPLE_URIS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("node exit code").isZero();
        rewritten = mapper.readValue(stdout, new TypeReference<Map<String, String>>() { });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/,                          /index.html",
            "/index.html,                /index.html",
            "/sign-in/,                  /sign-in/index.html",
            "/sign-in,                   /sign-in/index.html",
            "/workspaces/,               /workspaces/index.html",
            "/invitations/,              /invitations/index.html",
            "/invitations,               /invitations/index.html",
            "/tokens/,                   /tokens/index.html",
            "/tokens,                    /tokens/index.html",
            "/users/,                    /users/index.html",
            "/users,                     /users/index.html",
            "/sign-in/link/,             /sign-in/link/index.html",
            "/sign-in/link,              /sign-in/link/index.html",
            "/acme/settings/,            /w/settings/index.html",
            "/acme/,                     /w/index.html",
            "/acme,                      /w/index.html",
            "/acme/members/,             /w/members/index.html",
            "/acme/members,              /w/members/index.html",
            "/acme/settings/billing/,    /w/settings/billing/index.html",
            "/css/site.css,              /css/site.css",
            "/js/app.js,                 /js/app.js",
            "/img/logo.svg,              /img/logo.svg",
            "/w/,                        /w/index.html",
            "/favicon.ico,               /favicon.ico",
    })
    void rewrite_shouldMapViewerUriToSiteObject(String uri, String expected) {
        // GIVEN a viewer request for the URI (sent through the function in @BeforeAll)
        // WHEN the function has rewritten it
        String actual = rewritten.get(uri);
        // THEN the request asks the bucket for the expected object
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void rewrite_shouldLeaveEverySiteFolderInPlace() {
        // GIVEN each top-level folder of the site
        // WHEN "/<folder>/" went through the function
        // THEN it stays in that folder (never taken for a workspace slug)
        AtelierStack.SITE_FOLDERS.forEach(folder ->
                assertThat(rewritten.get("/" + folder + "/")).isEqualTo("/" + folder + "/index.html"));
    }
}
