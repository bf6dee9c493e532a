package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.AppProperties;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.Plants;
import dev.atelier.testing.RunningApp.TestUser;
import dev.atelier.testing.Workspaces.Workspace;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The runtime pages in a real browser against the whole app, EC2 and Image Builder moving fast:
 * the workstations list with live statuses, launching, the lifecycle buttons by access, pinning.
 */
@AppProperties({"atelier.local.image-builder.step-millis=100", "atelier.local.ec2.transition-millis=300",
        "atelier.workstations.check-after-seconds=5"})
class PortalRuntimePagesTest extends PortalPageTest {

    private static final Duration LIVE = Duration.ofSeconds(30);

    /** One workspace with a definition whose image is available, shared by the tests of the class. */
    private static Workspace ws;
    private static String definitionId;

    @Test
    void launchingFromADefinitionShowsTheNewWorkstationPendingThenRunningWithoutAReload() {
        // GIVEN the owner on the runtime page
        Workspace w = workspace();
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/");

        // WHEN they launch a workstation from the definition with a name
        browser.waitVisible(By.id("launch-open")).click();
        chooseDefinition();
        String name = "launched-" + System.nanoTime();
        driver.findElement(By.id("launch-name")).sendKeys(name);
        browser.screenshot("runtime-launch");
        browser.js().executeScript("window.sameDocument = true; window.seen = [];"
                + "new MutationObserver(() => { for (const tr of document.querySelectorAll('#workstations-rows tr')) {"
                + " if (tr.textContent.includes(arguments[0]) && window.seen.at(-1) !== tr.dataset.status)"
                + " window.seen.push(tr.dataset.status); } })"
                + ".observe(document.getElementById('workstations-rows'), {childList: true, subtree: true});", name);
        driver.findElement(By.id("launch-submit")).click();

        // THEN it shows pending first, then running, without the page being loaded again
        By row = By.xpath("//tr[.//a[text()='" + name + "']]");
        browser.waitVisible(row);
        new WebDriverWait(driver, LIVE).until(d -> "running".equals(d.findElement(row).getAttribute("data-status")));
        assertThat(browser.js().executeScript("return window.seen;")).isEqualTo(List.of("pending", "running"));
        assertThat(browser.js().executeScript("return window.sameDocument === true;")).isEqualTo(true);
        browser.screenshot("runtime-running");
    }

    @Test
    void anInstanceTypeTheApiRefusesIsShownAtItsFieldAndNothingIsLaunched() {
        // GIVEN the owner in the launch form
        Workspace w = workspace();
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/");
        browser.waitVisible(By.id("launch-open")).click();
        chooseDefinition();
        String name = "refused-" + System.nanoTime();
        driver.findElement(By.id("launch-name")).sendKeys(name);

        // WHEN they ask for an instance type Atelier does not offer
        driver.findElement(By.id("launch-instance-type")).sendKeys("z9.colossal");
        driver.findElement(By.id("launch-submit")).click();

        // THEN the API's reason shows at the field, the dialog stays open, and no workstation has that name
        WebElement fieldError = browser.waitVisible(By.id("launch-instance-type-error"));
        assertThat(fieldError.getText()).contains("z9.colossal").contains("not an instance type");
        assertThat(driver.findElement(By.id("launch-instance-type")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.shown(By.id("launch-dialog"))).isTrue();
        assertThat(app.send("GET", w.path("/workstations"), w.owner().token(), null).body()).doesNotContain(name);
        browser.screenshot("runtime-launch-refused");
    }

    @Test
    void mineShowsOnlyTheWorkstationsTheCallerLaunched() {
        // GIVEN a running workstation of the owner, and one planted as launched by someone else
        Workspace w = workspace();
        String own = running(w);
        String others = Plants.workstation(app, w.slug(), definitionId, "someone-else", "stopped");
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/");
        row(others);
        row(own);

        // WHEN the owner shows only theirs
        driver.findElement(By.id("show-mine")).click();

        // THEN the other's workstation leaves the list, and the address says so
        browser.waitHidden(By.cssSelector("#workstations-rows tr[data-workstation='" + others + "']"));
        row(own);
        assertThat(driver.getCurrentUrl()).endsWith("/runtime/?mine=true");
    }

    @Test
    void stoppingARunningWorkstationShowsItStopped() {
        // GIVEN a running workstation and its launcher on the runtime page
        Workspace w = workspace();
        String id = running(w);
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/");

        // WHEN they stop it
        button(id, "stop").click();

        // THEN it goes to stopped, and Start shows instead of Stop
        // (the list redraws its rows as it follows the workstation: a row read may be gone by the next call)
        new WebDriverWait(driver, LIVE).ignoring(StaleElementReferenceException.class)
                .until(d -> "stopped".equals(row(id).getAttribute("data-status")));
        new WebDriverWait(driver, LIVE).ignoring(StaleElementReferenceException.class)
                .until(d -> !row(id).findElements(By.cssSelector("button[data-action='start']")).isEmpty());
        assertThat(row(id).findElements(By.cssSelector("button[data-action='stop']"))).isEmpty();
        assertThat(status(w, id)).isEqualTo("stopped");
    }

    @Test
    void terminatingHappensOnlyOnceConfirmed() {
        // GIVEN a running workstation and its launcher on the runtime page
        Workspace w = workspace();
        String id = running(w);
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/");

        // WHEN they ask to terminate it and cancel
        button(id, "terminate").click();
        browser.waitVisible(By.id("confirm-dialog"));
        driver.findElement(By.id("confirm-cancel")).click();

        // THEN nothing was asked of it
        browser.waitHidden(By.id("confirm-dialog"));
        assertThat(Json.object(get(w, id).body()).get("operation")).isNull();

        // WHEN they ask again and confirm
        button(id, "terminate").click();
        browser.waitVisible(By.id("confirm-ok")).click();

        // THEN it is terminated, and leaves the list
        new WebDriverWait(driver, LIVE).until(d -> d.findElements(
                By.cssSelector("#workstations-rows tr[data-workstation='" + id + "']")).isEmpty());
        assertThat(status(w, id)).isEqualTo("terminated");
    }

    @Test
    void aMemberWhoMayOnlyViewSeesTheWorkstationButNoStopOrTerminate() {
        // GIVEN a running workstation shared with a member who holds only workstations.view
        Workspace w = workspace();
        String id = running(w);
        TestUser viewer = workspaces.member(w, "workstations.view");
        HttpResponse<String> granted = app.send("PUT", w.path("/workstations/" + id + "/grants"), w.owner().token(),
                Json.write(List.of(Map.of("principal", "user:" + viewer.id(), "preset", "editor"))));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);

        // WHEN the member opens the runtime page and the workstation's page
        browser.signIn(viewer.token());
        browser.openWorkspacePage(w.slug(), "runtime/");
        WebElement listed = row(id);

        // THEN they see it, without the buttons whose actions they lack (operate alone is not enough)
        assertThat(listed.getAttribute("data-status")).isEqualTo("running");
        assertThat(actions(listed)).doesNotContain("stop", "terminate", "restart", "connect");
        browser.openWorkspacePage(w.slug(), "runtime/view/?id=" + id);
        browser.waitVisible(By.id("workstation-name"));
        assertThat(actions(driver.findElement(By.id("workstation-actions"))))
                .doesNotContain("stop", "terminate", "restart", "connect");
        browser.screenshot("runtime-viewer");
    }

    @Test
    void aWorkstationsPageShowsWhatItRunsAndItsStatusHistory() {
        // GIVEN a running workstation
        Workspace w = workspace();
        String id = running(w);
        Map<String, Object> shown = Json.object(get(w, id).body());

        // WHEN its launcher opens its page from the runtime page
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/");
        row(id).findElement(By.cssSelector("a[data-name]")).click();
        browser.waitVisible(By.id("workstation-name"));

        // THEN it shows the definition and version, image, instance type, who launched it, and its statuses in order
        assertThat(driver.findElement(By.id("detail-definition")).getText()).isEqualTo("Runtime Box · version 1");
        assertThat(driver.findElement(By.id("detail-ami")).getText()).isEqualTo(shown.get("amiId"));
        assertThat(driver.findElement(By.id("detail-instance-type")).getText()).isEqualTo(shown.get("instanceType"));
        assertThat(driver.findElement(By.id("detail-launched")).getText()).endsWith("by you");
        assertThat(driver.findElements(By.cssSelector("#history li")).stream().map(li -> li.getAttribute("data-status"))
                .toList()).startsWith("running").endsWith("pending");
        assertThat(driver.findElement(By.cssSelector("#workstation-status [data-status]")).getText()).isEqualTo("Running");
        browser.screenshot("runtime-workstation");
    }

    @Test
    void aRequestTheStatusNoLongerAllowsShowsTheApisDetail() {
        // GIVEN the owner on the page of a running workstation
        Workspace w = workspace();
        String id = running(w);
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/view/?id=" + id);
        WebElement restart = browser.waitVisible(By.cssSelector("#workstation-actions button[data-action='restart']"));

        // WHEN it is terminated elsewhere and they then restart it from the page
        assertThat(app.send("DELETE", w.path("/workstations/" + id), w.owner().token(), null).statusCode()).isEqualTo(202);
        restart.click();

        // THEN the API's 409 detail is shown
        WebElement error = browser.waitVisible(By.id("workstation-error"));
        assertThat(error.getText()).contains("Cannot restart").contains("terminat");
        browser.screenshot("runtime-conflict");
    }

    @Test
    void aPinnedWorkstationStaysPinnedAfterAReload() {
        // GIVEN a running workstation and the owner on the runtime page
        Workspace w = workspace();
        String id = running(w);
        browser.signIn(w.owner().token());
        browser.openWorkspacePage(w.slug(), "runtime/");

        // WHEN they pin it and load the page again
        row(id).findElement(By.cssSelector("button[data-pin]")).click();
        browser.waitVisible(By.cssSelector("#quick-pinned li[data-pinned='" + id + "']"));
        driver.navigate().refresh();

        // THEN it is still among the pinned ones, its button offering to unpin
        browser.waitVisible(By.cssSelector("#quick-pinned li[data-pinned='" + id + "']"));
        assertThat(row(id).findElement(By.cssSelector("button[data-pin]")).getText()).isEqualTo("Unpin");
        browser.screenshot("runtime-pinned");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static synchronized Workspace workspace() {
        if (ws == null) {
            ws = workspaces.create();
            HttpResponse<String> created = app.send("POST", ws.path("/definitions"), ws.owner().token(),
                    Json.write(Map.of("displayName", "Runtime Box")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            definitionId = (String) Json.object(created.body()).get("id");
            Eventually.until(Duration.ofSeconds(30), () -> Json.object(app.send("GET",
                            ws.path("/definitions/" + definitionId), ws.owner().token(), null).body()),
                    d -> d.get("currentImage") instanceof Map<?, ?>, "an available image");
        }
        return ws;
    }

    private static String running(Workspace w) {
        HttpResponse<String> launched = app.send("POST", w.path("/workstations"), w.owner().token(),
                Json.write(Map.of("definitionId", definitionId)));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        String id = (String) Json.object(launched.body()).get("id");
        Eventually.until(LIVE, () -> Json.object(get(w, id).body()),
                x -> "running".equals(x.get("status")) && x.get("operation") == null, "workstation " + id + " running");
        return id;
    }

    private static HttpResponse<String> get(Workspace w, String id) {
        return app.send("GET", w.path("/workstations/" + id), w.owner().token(), null);
    }

    private static String status(Workspace w, String id) {
        return (String) Json.object(get(w, id).body()).get("status");
    }

    private static WebElement row(String id) {
        return browser.waitVisible(By.cssSelector("#workstations-rows tr[data-workstation='" + id + "']"));
    }

    /** Chooses the definition in the launch form once the form lists it. */
    private static void chooseDefinition() {
        browser.wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#launch-definition option[value='" + definitionId + "']")));
        new Select(driver.findElement(By.id("launch-definition"))).selectByValue(definitionId);
    }

    /** The lifecycle buttons shown in {@code container}, by what they ask. */
    private static List<String> actions(WebElement container) {
        return container.findElements(By.cssSelector("button[data-action]")).stream()
                .map(b -> b.getAttribute("data-action")).toList();
    }

    private static WebElement button(String id, String action) {
        return browser.waitVisible(By.cssSelector("#workstations-rows tr[data-workstation='" + id + "'] button[data-action='"
                + action + "']"));
    }
}
