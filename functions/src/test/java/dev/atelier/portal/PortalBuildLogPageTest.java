package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.AppProperties;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp.TestUser;
import dev.atelier.testing.Workspaces.Workspace;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A build's log in the portal, in a real browser against the whole app, whose builds run through
 * the local Image Builder simulator: slow enough here (four seconds per state) for the page's
 * refreshes, every five seconds, to show the log growing while the build is in progress.
 */
@AppProperties("atelier.local.image-builder.step-millis=4000")
class PortalBuildLogPageTest extends PortalPageTest {

    /** A whole simulated build (five states) and the page's next refresh, with room to spare. */
    private static final Duration BUILD_WAIT = Duration.ofSeconds(60);

    @Test
    void theOwnerReadsTheLogGrowAsTheBuildProgressesUntilItIsAvailable() {
        // GIVEN a definition being built, on its page, once its build has a log
        Workspace ws = workspaces.create();
        String id = create(ws, Map.of("displayName", "Logged Box"));
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/view/?id=" + id);

        // WHEN the owner follows the build's Log link
        WebElement link = browser.waitVisible(By.cssSelector("#builds li.build a.build-log"));
        String buildId = builds(ws, id).get(0).get("id").toString();
        link.click();

        // THEN the log page shows the definition, the build in progress, and the log so far
        browser.wait.until(ExpectedConditions.urlToBe(
                browser.base + "/" + ws.slug() + "/definitions/log/?id=" + id + "&build=" + buildId));
        browser.waitVisible(By.id("page-body"));
        assertThat(driver.findElement(By.id("log-definition-name")).getText()).isEqualTo("Logged Box");
        assertThat(driver.findElement(By.id("log-build-id")).getText()).isEqualTo(buildId);
        assertThat(driver.findElement(By.id("log-build-version")).getText()).isEqualTo("Version 1");
        WebElement log = browser.waitVisible(By.id("log-text"));
        assertThat(log.getTagName()).isEqualTo("pre");
        assertThat(log.getText()).contains("PENDING: instance type").doesNotContain("AVAILABLE");
        assertThat(badge().getAttribute("data-status")).isIn("pending", "building", "testing", "distributing");
        assertThat(driver.getTitle()).startsWith("Build log · Logged Box");
        browser.screenshot("build-log-in-progress");

        // AND, the log made short enough to scroll, new lines keep a reader at its end at the end
        browser.js().executeScript("arguments[0].style.maxHeight = '3.5rem';"
                + "arguments[0].scrollTop = arguments[0].scrollHeight;", log);
        int before = lines(log);
        new WebDriverWait(driver, BUILD_WAIT).until(d -> lines(log) > before);
        assertThat(atEnd(log)).isTrue();

        // AND a reader scrolled back up stays where they are
        browser.js().executeScript("arguments[0].scrollTop = 0;", log);
        int then = lines(log);
        assertThat(log.getAttribute("textContent")).doesNotContain("AVAILABLE");
        new WebDriverWait(driver, BUILD_WAIT).until(d -> lines(log) > then);
        assertThat(scrollTop(log)).isZero();

        // AND the page follows the build to its end, its last line AVAILABLE with the AMI, and stops
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "available".equals(badge().getAttribute("data-status")));
        String text = log.getAttribute("textContent");
        for (String state : List.of("PENDING", "BUILDING", "TESTING", "DISTRIBUTING")) {
            assertThat(text).as(state).contains("  " + state);
        }
        String amiId = (String) builds(ws, id).get(0).get("amiId");
        assertThat(text.strip().lines().reduce((a, b) -> b).orElse("")).endsWith("AVAILABLE (" + amiId + ")");
        assertThat(badge().getText()).isEqualTo("Available");
        assertThat(browser.waitVisible(By.id("log-status")).getText()).isEqualTo("The build ended: Available.");
        assertThat(driver.findElement(By.id("log-updated")).getText()).isEqualTo("The build has ended (Available); its log no longer changes.");
        browser.js().executeScript("arguments[0].style.maxHeight = '';", log);
        browser.screenshot("build-log-available");

        // AND "Back to the definition" goes back to its page
        driver.findElement(By.id("back-to-definition")).click();
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/" + ws.slug() + "/definitions/view/?id=" + id));
        browser.waitVisible(By.cssSelector("#builds li.build[data-status='available']"));
    }

    @Test
    void aViewerWithoutTheViewLogsActionIsToldWhatTheyNeed() {
        // GIVEN a definition shared with two viewers, one of whom holds the View logs action, its build started
        Workspace ws = workspaces.create();
        TestUser viewer = workspaces.member(ws, "workstations.view");
        TestUser reader = workspaces.member(ws, "workstations.view", "logs.view");
        String id = create(ws, Map.of("displayName", "Private Logs", "grants", List.of(
                Map.of("principal", "user:" + viewer.id(), "preset", "viewer"),
                Map.of("principal", "user:" + reader.id(), "preset", "viewer"))));
        browser.wait.until(d -> builds(ws, id).get(0).get("logUrl") != null);
        String buildId = builds(ws, id).get(0).get("id").toString();

        // WHEN the viewer without it opens the definition's page
        browser.signIn(viewer.token());
        browser.openWorkspacePage(ws.slug(), "definitions/view/?id=" + id);

        // THEN the build shows without a Log link
        browser.waitVisible(By.cssSelector("#builds li.build[data-build-id='" + buildId + "']"));
        assertThat(driver.findElements(By.cssSelector("a.build-log"))).isEmpty();

        // AND its log page, opened all the same, says which action reading logs needs, and shows no log
        browser.openWorkspacePage(ws.slug(), "definitions/log/?id=" + id + "&build=" + buildId);
        WebElement refused = browser.waitVisible(By.id("log-refused"));
        assertThat(refused.getText()).contains("You need the View logs action (logs.view) to read build logs");
        assertThat(refused.findElement(By.tagName("strong")).getText()).isEqualTo("View logs");
        assertThat(driver.findElement(By.id("log-definition-name")).getText()).isEqualTo("Private Logs");
        assertThat(browser.shown(By.id("log-text"))).isFalse();
        assertThat(browser.shown(By.id("log-loading"))).isFalse();
        HttpResponse<String> api = app.send("GET", ws.path("/definitions/" + id + "/builds/" + buildId + "/log"),
                viewer.token(), null);
        assertThat(api.statusCode()).isEqualTo(403);
        browser.screenshot("build-log-refused");

        // WHEN the viewer holding View logs opens the definition's page
        browser.signIn(reader.token());
        browser.openWorkspacePage(ws.slug(), "definitions/view/?id=" + id);

        // THEN the Log link shows, and the log with it
        browser.waitVisible(By.cssSelector("#builds li.build a.build-log")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-text"), "PENDING"));
        assertThat(browser.shown(By.id("log-refused"))).isFalse();

        // AND a build that does not exist is not found
        driver.get(browser.base + "/" + ws.slug() + "/definitions/log/?id=" + id + "&build=19990101000000000-00000000");
        assertThat(browser.waitVisible(By.id("log-missing")).getText()).contains("Build not found");
        assertThat(browser.shown(By.id("page-body"))).isFalse();
    }

    @Test
    void aFailingBuildsLogEndsWithItsFailedLineAndTheReason() {
        // GIVEN a definition whose pre-build script asks the simulator to fail
        Workspace ws = workspaces.create();
        String id = create(ws, Map.of("displayName", "Doomed Log", "preBuildScript", "echo hello\n# atelier-simulate: fail\n"));
        browser.signIn(ws.owner().token());
        browser.wait.until(d -> builds(ws, id).get(0).get("logUrl") != null);
        String buildId = builds(ws, id).get(0).get("id").toString();

        // WHEN the owner opens its build's log
        browser.openWorkspacePage(ws.slug(), "definitions/log/?id=" + id + "&build=" + buildId);

        // THEN it follows the build until it fails, the last line FAILED with the reason the API gives
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "failed".equals(badge().getAttribute("data-status")));
        String reason = (String) builds(ws, id).get(0).get("failureReason");
        assertThat(reason).isNotBlank();
        WebElement log = browser.waitVisible(By.id("log-text"));
        String last = log.getAttribute("textContent").strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).endsWith("FAILED: " + reason);
        assertThat(log.getText()).doesNotContain("AVAILABLE");
        assertThat(badge().getText()).isEqualTo("Failed");
        assertThat(driver.findElement(By.id("log-status")).getText()).isEqualTo("The build ended: Failed. " + reason);
        browser.screenshot("build-log-failed");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static WebElement badge() {
        return driver.findElement(By.cssSelector("#log-build-badge .badge"));
    }

    private static int lines(WebElement log) {
        String n = log.getAttribute("data-lines");
        return n == null || n.isEmpty() ? 0 : Integer.parseInt(n);
    }

    private static long scrollTop(WebElement log) {
        return ((Number) browser.js().executeScript("return Math.round(arguments[0].scrollTop);", log)).longValue();
    }

    private static boolean atEnd(WebElement log) {
        return (Boolean) browser.js().executeScript(
                "const e = arguments[0]; return e.scrollHeight > e.clientHeight"
                        + " && e.scrollHeight - e.scrollTop - e.clientHeight <= 2;", log);
    }

    private static String create(Workspace ws, Map<String, Object> body) {
        HttpResponse<String> created = app.send("POST", ws.path("/definitions"), ws.owner().token(), Json.write(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) Json.object(created.body()).get("id");
    }

    /** The definition's builds as the API lists them, newest first. */
    private static List<Map<String, Object>> builds(Workspace ws, String id) {
        HttpResponse<String> got = app.send("GET", ws.path("/definitions/" + id + "/builds"), ws.owner().token(), null);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        return Json.items(got.body());
    }
}
