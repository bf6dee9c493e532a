package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.AppProperties;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.Plants;
import dev.atelier.testing.RunningApp.TestUser;
import dev.atelier.testing.Workspaces.Workspace;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * What a workstation's page lets its people do with it, in a real browser against the whole app:
 * connect, keep it alive, read its metrics, restart it and update it to its definition's new image.
 * EC2 moves slowly enough here for the page's polling to see each transitional status.
 */
@AppProperties({"atelier.local.image-builder.step-millis=100", "atelier.local.ec2.transition-millis=2500",
        "atelier.workstations.check-after-seconds=5"})
class PortalWorkstationActionsTest extends PortalPageTest {

    private static final Duration LIVE = Duration.ofSeconds(40);

    /** One workspace with a definition whose image is available, shared by the tests that do not change it. */
    private static Workspace ws;
    private static String definitionId;

    // ---- connect -------------------------------------------------------------------------------

    @Test
    void connectingToARunningLinuxWorkstationShowsTheTunnelCommandToCopyTheDesktopAddressAndTheExpiry() {
        // GIVEN the launcher on the page of a running Linux workstation, the browser allowed to use the clipboard
        Workspace w = workspace();
        String id = planted(w, "running", "linux");
        ((ChromeDriver) driver).executeCdpCommand("Browser.grantPermissions", Map.of("origin", browser.base,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        browser.signIn(w.owner().token());
        openWorkstation(w, id);

        // WHEN they connect
        action("connect").click();

        // THEN the dialog shows the command that opens a tunnel to DCV's port, the local address to open, and until when
        browser.waitVisible(By.id("connect-dialog"));
        String command = driver.findElement(By.id("connect-command")).getAttribute("value");
        assertThat(command).startsWith("session-manager-plugin ").contains("\"portNumber\":[\"8443\"]");
        String localPort = command.replaceAll("(?s).*\"localPortNumber\":\\[\"(\\d+)\"].*", "$1");
        WebElement link = driver.findElement(By.id("connect-link"));
        assertThat(link.getAttribute("href")).isEqualTo("https://localhost:" + localPort + "/");
        assertThat(link.getText()).isEqualTo("https://localhost:" + localPort);
        assertThat(browser.shown(By.id("connect-file-row"))).isFalse();
        Instant expiresAt = Instant.parse(driver.findElement(By.cssSelector("#connect-expires time")).getAttribute("datetime"));
        assertThat(expiresAt).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofMinutes(2)));
        assertThat(driver.findElement(By.id("connect-expires")).getText()).startsWith("Run the command before");
        browser.screenshot("workstation-connect-linux");

        // WHEN they copy the command THEN the clipboard holds it whole
        driver.findElement(By.id("connect-copy")).click();
        assertThat(browser.waitVisible(By.id("connect-copied")).getText()).isEqualTo("Copied to the clipboard.");
        assertThat(browser.js().executeAsyncScript(
                "navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('unreadable: ' + e));"))
                .isEqualTo(command);
    }

    @Test
    void connectingToARunningWindowsWorkstationOffersAnRdpFileForTheTunnel() throws IOException {
        // GIVEN the launcher on the page of a running Windows workstation
        Workspace w = workspace();
        String id = planted(w, "running", "windows");
        Path downloads = Files.createTempDirectory("atelier-downloads");
        ((ChromeDriver) driver).executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toAbsolutePath().toString()));
        browser.signIn(w.owner().token());
        openWorkstation(w, id);

        // WHEN they connect
        action("connect").click();

        // THEN the command forwards RDP's port, and the .rdp file to download points at the tunnel's local end
        browser.waitVisible(By.id("connect-dialog"));
        String command = driver.findElement(By.id("connect-command")).getAttribute("value");
        assertThat(command).startsWith("session-manager-plugin ").contains("\"portNumber\":[\"3389\"]");
        String localPort = command.replaceAll("(?s).*\"localPortNumber\":\\[\"(\\d+)\"].*", "$1");
        WebElement file = browser.waitVisible(By.id("connect-file"));
        assertThat(file.getAttribute("download")).isEqualTo("planted.rdp");
        assertThat(driver.findElement(By.id("connect-file-address")).getText()).isEqualTo("localhost:" + localPort);

        // WHEN they download it THEN the file is saved under that name and points at the tunnel's local end
        file.click();
        Path saved = downloads.resolve("planted.rdp");
        Eventually.until(Duration.ofSeconds(10), () -> Files.exists(saved), Boolean::booleanValue, "the .rdp file saved");
        assertThat(Files.readString(saved)).contains("full address:s:localhost:" + localPort + "\r\n");
        assertThat(browser.shown(By.id("connect-link-row"))).isFalse();
        browser.screenshot("workstation-connect-windows");
    }

    @Test
    void aMemberWithoutTheConnectActionSeesNoConnectButton() {
        // GIVEN a running workstation on which a member holds every level, and who may stop workstations but not connect
        Workspace w = workspace();
        String id = planted(w, "running", "linux");
        TestUser member = workspaces.member(w, "workstations.view", "workstations.stop");
        HttpResponse<String> granted = app.send("PUT", w.path("/workstations/" + id + "/grants"), w.owner().token(),
                Json.write(List.of(Map.of("principal", "user:" + member.id(), "preset", "full"))));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);

        // WHEN the member opens its page
        browser.signIn(member.token());
        openWorkstation(w, id);

        // THEN they are offered Stop, and no Connect
        action("stop");
        assertThat(actions()).doesNotContain("connect");
    }

    @Test
    void aStoppedWorkstationOffersNoConnect() {
        // GIVEN a stopped workstation
        Workspace w = workspace();
        String id = planted(w, "stopped", "linux");

        // WHEN its launcher opens its page
        browser.signIn(w.owner().token());
        openWorkstation(w, id);

        // THEN Start is offered, Connect is not
        action("start");
        assertThat(actions()).doesNotContain("connect");
    }

    @Test
    void connectingToAWorkstationThatStoppedMeanwhileShowsTheApisReason() {
        // GIVEN the launcher on the page of a running workstation, which then stops
        Workspace w = workspace();
        String id = planted(w, "running", "linux");
        browser.signIn(w.owner().token());
        openWorkstation(w, id);
        WebElement connect = action("connect");
        Plants.workstation(app, w.slug(), id, definitionId, w.owner().id(), "stopped", "linux");

        // WHEN they connect
        connect.click();

        // THEN the API's 409 detail shows, and no connection is offered
        WebElement error = browser.waitVisible(By.id("workstation-error"));
        assertThat(error.getText()).contains("Cannot connect").contains("it is stopped");
        assertThat(browser.shown(By.id("connect-dialog"))).isFalse();
    }

    // ---- keep-alive ----------------------------------------------------------------------------

    @Test
    void keepingAliveAWorkstationWithIdleAutoStopShowsItKeptAliveAndItsLaterDeadline() throws InterruptedException {
        // GIVEN a running workstation that stops after 120 idle minutes, its launcher on its page
        Workspace w = workspace();
        String id = running(w, definitionId);
        HttpResponse<String> patched = app.send("PATCH", w.path("/workstations/" + id), w.owner().token(),
                Json.write(Map.of("autoStop", Map.of("idleMinutes", 120))), "If-Match", etag(w, id));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        String before = deadline(w, id);
        browser.signIn(w.owner().token());
        openWorkstation(w, id);
        assertThat(driver.findElement(By.id("detail-auto-stop")).getText()).contains("after 120 idle minutes");
        assertThat(driver.findElement(By.id("auto-stop-deadline")).getAttribute("datetime")).isEqualTo(before);
        Thread.sleep(1100); // the deadline is to the second

        // WHEN they keep it alive
        action("keepAlive").click();

        // THEN the page says so, with the new deadline the API has, later than the one before
        WebElement said = browser.waitVisible(By.id("workstation-message"));
        assertThat(said.getText()).contains("is kept alive");
        String after = deadline(w, id);
        assertThat(Instant.parse(after)).isAfter(Instant.parse(before));
        assertThat(driver.findElement(By.id("kept-alive-deadline")).getAttribute("datetime")).isEqualTo(after);
        new WebDriverWait(driver, LIVE).until(d -> after.equals(
                d.findElement(By.id("auto-stop-deadline")).getAttribute("datetime")));
        browser.screenshot("workstation-kept-alive");
    }

    @Test
    void aRunningWorkstationWithoutIdleAutoStopOffersNoKeepAlive() {
        // GIVEN a running workstation with no auto-stop
        Workspace w = workspace();
        String id = planted(w, "running", "linux");

        // WHEN its launcher opens its page
        browser.signIn(w.owner().token());
        openWorkstation(w, id);

        // THEN it says it never stops by itself, and offers no keep-alive
        action("stop");
        assertThat(driver.findElement(By.id("detail-auto-stop")).getText()).isEqualTo("Never (no auto-stop)");
        assertThat(actions()).doesNotContain("keepAlive");
    }

    // ---- metrics -------------------------------------------------------------------------------

    @Test
    void aRunningWorkstationsPageChartsItsCpuAndMemoryFromTheApi() {
        // GIVEN a running workstation whose agent published CPU and memory three times in the last hour
        Workspace w = workspace();
        String id = planted(w, "running", "linux");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        publish(id, "CPUUtilization", now.minus(Duration.ofMinutes(40)), 20.0);
        publish(id, "CPUUtilization", now.minus(Duration.ofMinutes(25)), 80.0);
        publish(id, "CPUUtilization", now.minus(Duration.ofMinutes(10)), 42.5);
        publish(id, "MemoryUtilization", now.minus(Duration.ofMinutes(40)), 55.0);
        publish(id, "MemoryUtilization", now.minus(Duration.ofMinutes(25)), 58.0);
        publish(id, "MemoryUtilization", now.minus(Duration.ofMinutes(10)), 61.0);

        // WHEN its launcher opens its page
        browser.signIn(w.owner().token());
        openWorkstation(w, id);

        // THEN a chart per series, captioned with its latest value, a dot per reading, the busiest reading highest
        WebElement cpu = browser.waitVisible(By.cssSelector("#metrics-charts figure[data-metric='cpu']"));
        WebElement memory = driver.findElement(By.cssSelector("#metrics-charts figure[data-metric='memory']"));
        assertThat(cpu.findElement(By.tagName("figcaption")).getText()).isEqualTo("CPU: 42.5%");
        assertThat(memory.findElement(By.tagName("figcaption")).getText()).isEqualTo("Memory: 61%");
        List<Double> heights = cpu.findElements(By.cssSelector("svg circle")).stream()
                .map(c -> Double.parseDouble(c.getAttribute("cy"))).toList();
        assertThat(heights).hasSize(3);
        assertThat(heights.get(1)).isLessThan(heights.get(2)).isLessThan(heights.get(0));
        assertThat(cpu.findElements(By.cssSelector("svg polyline"))).hasSize(1);

        // AND its value axis reads 0 % to 100 %, and its time axis spans the hour
        assertThat(texts(cpu, "svg text.chart-value-label")).containsExactly("0%", "50%", "100%");
        List<String> times = texts(cpu, "svg text.chart-time-label");
        assertThat(times).hasSize(2).allSatisfy(t -> assertThat(t).matches("\\d{1,2}:\\d{2}.*"));
        assertThat(times.get(0)).isNotEqualTo(times.get(1));
        assertThat(browser.shown(By.id("metrics-empty"))).isFalse();
        browser.screenshot("workstation-metrics");
    }

    @Test
    void aStoppedWorkstationWithoutMetricsSaysWhyInsteadOfAChart() {
        // GIVEN a stopped workstation that published nothing in the last hour
        Workspace w = workspace();
        String id = planted(w, "stopped", "linux");

        // WHEN its launcher opens its page
        browser.signIn(w.owner().token());
        openWorkstation(w, id);

        // THEN the metrics panel says there are none and why, and draws nothing
        WebElement empty = browser.waitVisible(By.id("metrics-empty"));
        assertThat(empty.getText()).contains("No metrics in the last hour").contains("only while it runs")
                .contains("stopped");
        assertThat(driver.findElements(By.cssSelector("#metrics-charts svg"))).isEmpty();
        browser.screenshot("workstation-metrics-empty");
    }

    // ---- restart and update --------------------------------------------------------------------

    @Test
    void restartingShowsTheWorkstationStoppingAndStartingAgainWithoutAReload() {
        // GIVEN the launcher on the page of a running workstation, the statuses it shows being watched
        Workspace w = workspace();
        String id = running(w, definitionId);
        browser.signIn(w.owner().token());
        openWorkstation(w, id);
        watchStatuses();

        // WHEN they restart it
        action("restart").click();

        // THEN it shows a status on the way (stopping, stopped or pending) and then running again, in the same page
        new WebDriverWait(driver, LIVE).withMessage(() -> state(w, id)).until(d -> "running".equals(shownStatus())
                && d.findElements(By.cssSelector("#workstation-status [data-operation]")).isEmpty()
                && historyNewestFirst().size() >= 6);
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) browser.js().executeScript("return window.seen;");
        assertThat(seen).containsAnyOf("stopping", "stopped", "pending").endsWith("running");
        assertThat(browser.js().executeScript("return window.sameDocument === true;")).isEqualTo(true);

        // AND its history has the stop and the start, newest first, as the API has them
        assertThat(historyNewestFirst()).isEqualTo(statusesNewestFirst(w, id))
                .containsSubsequence("running", "pending", "stopped", "stopping", "running");
        browser.screenshot("workstation-restarted");
    }

    @Test
    void updatingToTheDefinitionsNewImageBringsTheWorkstationBackRunningOnIt() {
        // GIVEN a running workstation whose definition has since been built again
        Workspace w = workspace();
        String definition = builtDefinition(w, "Updated Box");
        String id = running(w, definition);
        String oldAmi = (String) Json.object(get(w, id).body()).get("amiId");
        String newAmi = newBuild(w, definition);
        assertThat(newAmi).isNotEqualTo(oldAmi);

        // WHEN its launcher opens its page
        browser.signIn(w.owner().token());
        openWorkstation(w, id);

        // THEN it shows version 1 with an update available
        assertThat(driver.findElement(By.id("detail-definition")).getText()).startsWith("Updated Box · version 1");
        assertThat(driver.findElement(By.cssSelector("#detail-definition .pill")).getText())
                .isEqualToIgnoringCase("Update available");
        assertThat(driver.findElement(By.id("detail-ami")).getText()).isEqualTo(oldAmi);
        browser.screenshot("workstation-update-available");
        watchStatuses();

        // WHEN they update it
        action("update").click();

        // THEN without a reload it goes away and comes back running on version 2's image, no update offered any more
        new WebDriverWait(driver, LIVE).withMessage(() -> state(w, id)).until(d -> newAmi.equals(d.findElement(By.id("detail-ami")).getText())
                && "running".equals(shownStatus())
                && d.findElements(By.cssSelector("#workstation-status [data-operation]")).isEmpty());
        assertThat(driver.findElement(By.id("detail-definition")).getText()).isEqualTo("Updated Box · version 2");
        assertThat(driver.findElements(By.cssSelector("#detail-definition .pill"))).isEmpty();
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) browser.js().executeScript("return window.seen;");
        assertThat(seen).containsAnyOf("stopping", "stopped", "pending").endsWith("running");
        assertThat(browser.js().executeScript("return window.sameDocument === true;")).isEqualTo(true);
        assertThat(actions()).doesNotContain("update");
        assertThat(Json.object(get(w, id).body())).containsEntry("amiId", newAmi).containsEntry("status", "running");
        browser.screenshot("workstation-updated");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static synchronized Workspace workspace() {
        if (ws == null) {
            ws = workspaces.create();
            definitionId = builtDefinition(ws, "Runtime Box");
        }
        return ws;
    }

    /** A definition whose first image is available; its id. */
    private static String builtDefinition(Workspace w, String displayName) {
        HttpResponse<String> created = app.send("POST", w.path("/definitions"), w.owner().token(),
                Json.write(Map.of("displayName", displayName)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = (String) Json.object(created.body()).get("id");
        awaitImage(w, id, 1);
        return id;
    }

    /** Saves a new version of the definition and waits for its image; the new AMI. */
    private static String newBuild(Workspace w, String definition) {
        Map<String, Object> current = Json.object(app.send("GET", w.path("/definitions/" + definition),
                w.owner().token(), null).body());
        current.put("requirements", "numpy\n");
        HttpResponse<String> saved = app.send("PUT", w.path("/definitions/" + definition), w.owner().token(),
                Json.write(current));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        return awaitImage(w, definition, ((Number) Json.object(saved.body()).get("version")).longValue());
    }

    @SuppressWarnings("unchecked")
    private static String awaitImage(Workspace w, String definition, long version) {
        Map<String, Object> d = Eventually.until(Duration.ofSeconds(30), () -> Json.object(app.send("GET",
                        w.path("/definitions/" + definition), w.owner().token(), null).body()),
                x -> x.get("currentImage") instanceof Map<?, ?> image
                        && ((Number) image.get("version")).longValue() == version,
                "an available image of version " + version);
        return (String) ((Map<String, Object>) d.get("currentImage")).get("amiId");
    }

    /** A workstation launched by the owner from {@code definition}, running with nothing asked of it. */
    private static String running(Workspace w, String definition) {
        HttpResponse<String> launched = app.send("POST", w.path("/workstations"), w.owner().token(),
                Json.write(Map.of("definitionId", definition)));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        String id = (String) Json.object(launched.body()).get("id");
        Eventually.until(LIVE, () -> Json.object(get(w, id).body()),
                x -> "running".equals(x.get("status")) && x.get("operation") == null, "workstation " + id + " running");
        return id;
    }

    /** A workstation of the owner recorded in {@code status} on {@code os}, on an instance that does not exist. */
    private static String planted(Workspace w, String status, String os) {
        String id = UUID.randomUUID().toString();
        Plants.workstation(app, w.slug(), id, definitionId, w.owner().id(), status, os);
        return id;
    }

    private static HttpResponse<String> get(Workspace w, String id) {
        return app.send("GET", w.path("/workstations/" + id), w.owner().token(), null);
    }

    /** What the page and the API show of the workstation, for a failure's message. */
    private static String state(Workspace w, String id) {
        return "page: " + shownStatus() + " " + historyNewestFirst() + " seen " + browser.js().executeScript("return window.seen;")
                + "; API: " + get(w, id).body();
    }

    private static String etag(Workspace w, String id) {
        return get(w, id).headers().firstValue("ETag").orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static String deadline(Workspace w, String id) {
        return (String) ((Map<String, Object>) Json.object(get(w, id).body()).get("autoStop")).get("deadline");
    }

    @SuppressWarnings("unchecked")
    private static List<String> statusesNewestFirst(Workspace w, String id) {
        List<Map<String, Object>> history = (List<Map<String, Object>>) Json.object(get(w, id).body()).get("statusHistory");
        List<String> statuses = new ArrayList<>(history.stream().map(e -> (String) e.get("status")).toList());
        Collections.reverse(statuses);
        return statuses;
    }

    /** Puts a reading into the engine's CloudWatch as the workstation's agent does. */
    private static void publish(String workstationId, String metric, Instant at, double value) {
        app.context().getBean(CloudWatchClient.class).putMetricData(r -> r.namespace("Atelier/Workstations")
                .metricData(d -> d.metricName(metric).dimensions(x -> x.name("WorkstationId").value(workstationId))
                        .timestamp(at).value(value).unit(StandardUnit.PERCENT)));
    }

    private static void openWorkstation(Workspace w, String id) {
        browser.openWorkspacePage(w.slug(), "runtime/view/?id=" + id);
        browser.waitVisible(By.cssSelector("#workstation-status [data-status]"));
    }

    /** The lifecycle button asking {@code what}, once shown. */
    private static WebElement action(String what) {
        return browser.waitVisible(By.cssSelector("#workstation-actions button[data-action='" + what + "']"));
    }

    private static List<String> actions() {
        return driver.findElements(By.cssSelector("#workstation-actions button[data-action]")).stream()
                .map(b -> b.getAttribute("data-action")).toList();
    }

    /** The status the page shows, read in one go (the page redraws it as it polls). */
    private static String shownStatus() {
        return (String) browser.js().executeScript(
                "const b = document.querySelector('#workstation-status [data-status]'); return b ? b.dataset.status : null;");
    }

    /** The statuses of the page's history, newest first, read in one go. */
    @SuppressWarnings("unchecked")
    private static List<String> historyNewestFirst() {
        return (List<String>) browser.js().executeScript(
                "return [...document.querySelectorAll('#history li')].map((li) => li.dataset.status);");
    }

    private static List<String> texts(WebElement in, String css) {
        return in.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    /** From now on, the page keeps each status it shows (a new one when it changes) and whether it was loaded again. */
    private static void watchStatuses() {
        browser.js().executeScript("window.sameDocument = true; window.seen = [];"
                + "new MutationObserver(() => { const b = document.querySelector('#workstation-status [data-status]');"
                + " if (b && window.seen.at(-1) !== b.dataset.status) window.seen.push(b.dataset.status); })"
                + ".observe(document.getElementById('workstation-status'), {childList: true, subtree: true});");
    }
}
