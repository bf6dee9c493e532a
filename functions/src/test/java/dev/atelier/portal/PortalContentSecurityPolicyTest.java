package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import dev.atelier.testing.Workspaces.Workspace;
import dev.atelier.web.SecurityHeaders;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The portal under its Content Security Policy, in a real browser against the whole app: every
 * page works without breaking the policy, markup that gets into a page runs no script, and every
 * answer of the server (pages, files, API answers, problems, 404s) carries the security headers.
 * <p>The app serves a copy of the built portal with one more page, {@code /csp-probe/}, whose
 * markup holds what an injection would put there.
 */
class PortalContentSecurityPolicyTest {

    private static final String PROBE_PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Probe</title>
            <link rel="stylesheet" href="/css/site.css"></head>
            <body>
            <p id="styled" style="color: rgb(255, 0, 0)">styled by an attribute</p>
            <script>window.__pwned = 'inline script';</script>
            <img id="broken" src="/img/no-such-image.png" alt="" onerror="window.__pwned = 'onerror attribute'">
            <a id="javascript-link" href="javascript:window.__pwned = 'javascript: URL'">link</a>
            <script src="https://scripts.example.com/steal.js"></script>
            </body></html>
            """;
    private static final String MARKUP_NAME = "<img src=x onerror=\"window.__pwned=1\">";

    private static Path site;
    private static RunningApp app;
    private static Workspaces workspaces;
    private static PortalBrowser browser;
    private static WebDriver driver;

    @BeforeAll
    static void startAppAndBrowser() throws IOException {
        site = copyOfThePortal();
        Files.createDirectories(site.resolve("csp-probe"));
        Files.writeString(site.resolve("csp-probe/index.html"), PROBE_PAGE);
        app = RunningApp.start(Map.of("atelier.site-dir", site.toString()));
        workspaces = new Workspaces(app);
        browser = new PortalBrowser(app);
        driver = browser.driver;
    }

    @AfterAll
    static void stopBrowserAndApp() throws IOException {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (app != null) {
                app.close();
            }
            delete(site);
        }
    }

    // ---- the portal's pages keep to the policy ------------------------------------------------

    @Test
    void everyMainPageWorksWithoutAContentSecurityPolicyViolation() {
        // GIVEN a workspace with a definition (and its first build), its owner signed in
        Workspace ws = workspaces.create();
        String id = createDefinition(ws, "Policy Box", "policy-box");
        String buildId = Json.items(app.send("GET", ws.path("/definitions/" + id + "/builds"), ws.owner().token(), null)
                .body()).get(0).get("id").toString();
        browser.signIn(ws.owner().token());
        browser.takeCspViolations();
        String w = "/" + ws.slug() + "/";
        Map<String, By> pages = new LinkedHashMap<>();
        pages.put("/workspaces/", By.cssSelector("#workspace-list li[data-slug='" + ws.slug() + "']"));
        pages.put(w, By.id("workspace-overview"));
        pages.put(w + "members/", By.cssSelector("#members-rows tr"));
        pages.put(w + "groups/", By.id("groups-empty"));
        pages.put(w + "permissions/?resource=definition:" + id, By.cssSelector("#grants-rows tr"));
        pages.put(w + "audit/", By.cssSelector("#audit-rows tr"));
        pages.put(w + "settings/", By.id("ai-form"));
        pages.put(w + "definitions/", By.cssSelector("#definitions-rows tr[data-definition='" + id + "']"));
        pages.put(w + "definitions/view/?id=" + id, By.cssSelector("#builds li.build"));
        pages.put(w + "definitions/new/", By.id("def-display-name"));
        pages.put(w + "definitions/edit/?id=" + id, By.id("def-display-name"));
        pages.put(w + "definitions/log/?id=" + id + "&build=" + buildId, By.id("log-build-id"));
        pages.put("/tokens/", By.id("token-name"));

        // WHEN each page opens and shows its content
        Map<String, List<String>> violations = new LinkedHashMap<>();
        pages.forEach((path, shown) -> {
            driver.get(browser.base + path);
            browser.waitVisible(shown);
            violations.put(path, browser.takeCspViolations());
        });
        // AND the site administrators' page, and the sign-in page once signed out
        browser.signIn(app.bootstrapToken());
        browser.takeCspViolations();
        driver.get(browser.base + "/users/");
        browser.waitVisible(By.cssSelector("#users-rows tr"));
        violations.put("/users/", browser.takeCspViolations());
        browser.signOut();
        driver.get(browser.base + "/sign-in/");
        browser.waitVisible(By.id("token"));
        violations.put("/sign-in/", browser.takeCspViolations());

        // THEN none of them reported a violation
        assertThat(violations).hasSize(pages.size() + 2).allSatisfy((path, seen) -> assertThat(seen).as(path).isEmpty());
    }

    @Test
    void aWorkspaceNamedWithMarkupShowsTheMarkupAsText() {
        // GIVEN a workspace whose name is an image tag with an onerror handler
        Workspace ws = workspaces.create();
        assertThat(app.send("PATCH", ws.path(""), ws.owner().token(), Json.write(Map.of("name", MARKUP_NAME)))
                .statusCode()).isEqualTo(200);
        browser.signIn(ws.owner().token());
        browser.takeCspViolations();

        // WHEN its owner sees it in the workspace list and on its overview
        String listed = browser.waitVisible(By.cssSelector("#workspace-list li[data-slug='" + ws.slug() + "']")).getText();
        driver.get(browser.base + "/" + ws.slug() + "/");
        String title = browser.waitVisible(By.id("workspace-title")).getText();

        // THEN the name shows as text, no image was made of it, nothing ran, nothing was even refused
        assertThat(listed).contains(MARKUP_NAME);
        assertThat(title).isEqualTo(MARKUP_NAME);
        assertThat(driver.findElements(By.cssSelector("img[onerror]"))).isEmpty();
        assertThat(pwned()).isNull();
        assertThat(browser.takeCspViolations()).isEmpty();
    }

    // ---- injected markup runs nothing ------------------------------------------------------

    @Test
    void markupInjectedIntoAServedPageRunsNoScriptAndAppliesNoStyleAttribute() {
        // GIVEN a page served as the portal's are, holding an inline script, an onerror attribute,
        // a javascript: link, a style attribute and a script from another origin
        browser.signOut();
        browser.takeCspViolations();

        // WHEN it is opened and the link is clicked
        driver.get(browser.base + "/csp-probe/");
        browser.waitVisible(By.id("javascript-link")).click();

        // THEN the browser refused each of them as a violation of the policy (line 0: not from a line of
        // the page; line 1: the javascript: URL itself)
        browser.wait.until(d -> browser.cspViolations().size() >= 5);
        assertThat(browser.takeCspViolations()).map(v -> v.replace(browser.base, "").strip()).containsExactlyInAnyOrder(
                "style-src-attr inline at /csp-probe/:5",
                "script-src-elem inline at /csp-probe/:6",
                "script-src-attr inline at /csp-probe/:0",
                "script-src-elem inline at /csp-probe/:1",
                "script-src-elem https://scripts.example.com/steal.js at /csp-probe/:0");
        // AND no script ran and the style attribute was not applied
        assertThat(pwned()).isNull();
        assertThat(driver.findElement(By.id("styled")).getCssValue("color")).isNotEqualTo("rgba(255, 0, 0, 1)");
    }

    @Test
    void aPortalPageRefusesHtmlAndScriptTextWrittenFromStrings() {
        // GIVEN the sign-in page
        browser.signOut();
        browser.takeCspViolations();

        // WHEN a script of the page writes an image with an onerror handler as HTML, and adds a
        // script element with text of its own
        Object refused = browser.js().executeScript("""
                try {
                  document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__pwned = 1">');
                  return 'written';
                } catch (e) {
                  return e.name;
                }""");
        browser.js().executeScript("""
                const script = document.createElement('script');
                script.append(document.createTextNode('window.__pwned = 2'));
                document.body.append(script);""");

        // THEN the HTML was refused, no script ran, and both were reported as violations
        assertThat(refused).isEqualTo("TypeError");
        assertThat(driver.findElements(By.cssSelector("img[onerror]"))).isEmpty();
        assertThat(pwned()).isNull();
        assertThat(browser.takeCspViolations())
                .filteredOn(v -> v.startsWith("require-trusted-types-for "))
                .hasSize(2);
    }

    // ---- the headers are on every answer ---------------------------------------------------

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "GET  | /sign-in/                   | false |     | 200",
            "GET  | /some-team/members/         | false |     | 200",
            "GET  | /css/site.css               | false |     | 200",
            "GET  | /js/api.js                  | false |     | 200",
            "GET  | /img/favicon.svg            | false |     | 200",
            "GET  | /css/no-such-file.css       | false |     | 404",
            "GET  | /health                     | false |     | 200",
            "GET  | /api/v1/me                  | true  |     | 200",
            "GET  | /api/v1/me                  | false |     | 401",
            "POST | /api/v1/workspaces          | true  | {}  | 400",
            "GET  | /api/v1/no-such-route       | true  |     | 404",
    })
    void everyAnswerCarriesTheSecurityHeaders(String method, String path, boolean signedIn, String body, int status) {
        // GIVEN the running app
        // WHEN it is asked for a page, a file, an API answer, a problem or something it does not have
        HttpResponse<String> answer = app.send(method, path, signedIn ? app.bootstrapToken() : null, body);

        // THEN the answer carries each security header, once, with the value CloudFront gives it too
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        SecurityHeaders.all().forEach((name, value) ->
                assertThat(answer.headers().allValues(name)).as(name).containsExactly(value));
    }

    @Test
    void aWorkspaceSvgLogoKeepsItsOwnStricterPolicy() {
        // GIVEN a workspace with an SVG logo
        Workspace ws = workspaces.create();
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(app.sendBytes("PUT", ws.path("/logo"), ws.owner().token(), svg, "image/svg+xml").statusCode())
                .isEqualTo(204);

        // WHEN the logo is read
        HttpResponse<byte[]> logo = app.sendBytes("GET", ws.path("/logo"), ws.owner().token(), null, null);

        // THEN its policy is the logo's alone, and the other security headers are there
        assertThat(logo.statusCode()).isEqualTo(200);
        assertThat(logo.headers().allValues("Content-Security-Policy"))
                .containsExactly("default-src 'none'; style-src 'unsafe-inline'");
        assertThat(logo.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(logo.headers().allValues("Strict-Transport-Security"))
                .containsExactly(SecurityHeaders.STRICT_TRANSPORT_SECURITY);
    }

    // ---- helpers --------------------------------------------------------------------------

    /** What an injected script would have set, or null. */
    private static Object pwned() {
        return browser.js().executeScript("return window.__pwned === undefined ? null : String(window.__pwned);");
    }

    private static String createDefinition(Workspace ws, String displayName, String cliName) {
        HttpResponse<String> created = app.send("POST", ws.path("/definitions"), ws.owner().token(),
                Json.write(Map.of("displayName", displayName, "cliName", cliName)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) Json.object(created.body()).get("id");
    }

    private static Path copyOfThePortal() throws IOException {
        Path built = Path.of("..", "site", "public").toAbsolutePath().normalize();
        assertThat(built.resolve("index.html")).as("the built portal (bin/test builds it)").isRegularFile();
        Path copy = Files.createTempDirectory("atelier-portal-site");
        try (Stream<Path> files = Files.walk(built)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(built.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        return copy;
    }

    private static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
