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
 * Image builds in the portal, in a real browser against the whole app, whose builds run through
 * the local Image Builder simulator (one second per state, so a build in progress can be watched
 * and cancelled): the definition's page with its builds live, rebuild and cancel, and the
 * current image in the list.
 */
@AppProperties("atelier.local.image-builder.step-millis=1000")
class PortalBuildPagesTest extends PortalPageTest {

    private static final List<String> STAGES = List.of("pending", "building", "testing", "distributing", "available");
    /** Long enough for a whole simulated build (five states) and the page's next poll. */
    private static final Duration BUILD_WAIT = Duration.ofSeconds(30);

    @Test
    void aNewDefinitionIsBuiltLiveOnItsPageAndTheListShowsItsImage() {
        // GIVEN the owner creating a definition in the wizard
        Workspace ws = workspaces.create();
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/new/");
        browser.waitVisible(By.id("def-display-name")).sendKeys("Live Build Box");
        driver.findElement(By.id("wizard-next")).click();
        browser.waitVisible(By.id("wizard-submit")).click();

        // THEN its page shows the first build in progress, its elapsed time ticking, in a polite live region
        browser.wait.until(ExpectedConditions.urlContains("/" + ws.slug() + "/definitions/view/?id="));
        WebElement build = browser.waitVisible(By.cssSelector("#builds li.build"));
        assertThat(build.getAttribute("data-status")).isIn("pending", "building", "testing", "distributing");
        assertThat(build.findElement(By.cssSelector(".build-title")).getText()).isEqualTo("Version 1");
        assertThat(build.findElement(By.cssSelector(".build-stages")).getAttribute("aria-live")).isEqualTo("polite");
        assertThat(label(build)).isEqualTo("Elapsed");
        long firstMs = elapsedMs(build);
        browser.wait.until(d -> elapsedMs(build) >= firstMs + 1000 || "available".equals(build.getAttribute("data-status")));
        assertThat(browser.shown(By.id("rebuild"))).isTrue();
        assertThat(driver.findElement(By.id("summary-image")).getText()).isEqualTo("None yet");
        browser.screenshot("definition-build-in-progress");

        // AND it moves to available by itself, every stage reached with its time, its AMI and final duration shown
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "available".equals(build.getAttribute("data-status")));
        for (String stage : STAGES) {
            WebElement item = build.findElement(By.cssSelector(".stage[data-stage='" + stage + "']"));
            assertThat(item.getAttribute("data-state")).as(stage).isEqualTo("done");
            assertThat(item.findElement(By.cssSelector("time.stage-time")).getAttribute("datetime")).as(stage).isNotBlank();
        }
        assertThat(build.findElement(By.cssSelector(".build-badge")).getText()).isEqualTo("Available");
        assertThat(label(build)).isEqualTo("Duration");
        assertThat(build.findElement(By.cssSelector(".build-elapsed")).getText()).matches("\\d+s|\\d+m \\d{2}s");
        long finalMs = elapsedMs(build);
        assertThat(build.findElement(By.cssSelector(".build-amis")).getText()).startsWith("ami-");
        assertThat(build.findElement(By.cssSelector(".build-started time")).getText()).isNotBlank();
        assertThat(build.findElement(By.cssSelector(".pill-current")).isDisplayed()).isTrue();
        assertThat(browser.shown(By.cssSelector("button[data-cancel]"))).isFalse();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("summary-image"), "v1 · available"));
        browser.screenshot("definition-build-available");

        // AND the duration no longer moves
        String id = driver.getCurrentUrl().replaceFirst(".*[?&]id=([^&]+).*", "$1");
        Map<String, Object> api = builds(ws, id).get(0);
        assertThat(api.get("status")).isEqualTo("available");
        assertThat(build.findElement(By.cssSelector(".build-amis")).getText()).contains((String) api.get("amiId"));
        assertThat(elapsedMs(build)).isEqualTo(finalMs);
        assertThat(driver.findElement(By.id("summary-image")).getText()).contains((String) api.get("amiId"));
        assertThat(api.get("logUrl")).isNotNull();
        WebElement log = build.findElement(By.cssSelector("a.build-log"));
        assertThat(log.getText()).isEqualTo("Log");
        assertThat(log.getAttribute("href"))
                .isEqualTo(browser.base + "/" + ws.slug() + "/definitions/log/?id=" + id + "&build=" + api.get("id"));

        // AND the list shows the current image, with its AMI as the title
        driver.findElement(By.cssSelector("#page-body a.back-to-list")).click();
        WebElement image = browser.waitVisible(By.cssSelector("#definitions-rows tr[data-definition='" + id + "'] td.cell-image"));
        assertThat(image.getText()).isEqualTo("v1 · available");
        assertThat(image.getAttribute("data-image")).isEqualTo("1");
        assertThat(image.findElement(By.cssSelector(".image-current")).getAttribute("title")).isEqualTo(api.get("amiId"));
        browser.screenshot("definitions-list-image");

        // WHEN another definition is created while the list is open
        String second = create(ws, Map.of("displayName", "Second Box"));
        browser.openWorkspacePage(ws.slug(), "definitions/");

        // THEN its row shows the build in progress, with no image yet, and then, polled, its image
        WebElement row = browser.waitVisible(By.cssSelector("#definitions-rows tr[data-definition='" + second + "']"));
        WebElement cell = row.findElement(By.cssSelector("td.cell-image"));
        assertThat(cell.getText()).startsWith("none yet").containsPattern("v1 (pending|building|testing|distributing)");
        browser.screenshot("definitions-list-building");
        new WebDriverWait(driver, BUILD_WAIT).until(ExpectedConditions.textToBe(
                By.cssSelector("#definitions-rows tr[data-definition='" + second + "'] td.cell-image"), "v1 · available"));
    }

    @Test
    void aFailingPreBuildScriptEndsFailedAtItsStageWithTheReason() {
        // GIVEN a definition whose pre-build script asks the simulator to fail
        Workspace ws = workspaces.create();
        String id = create(ws, Map.of("displayName", "Doomed Build", "preBuildScript", "echo hello\n# atelier-simulate: fail\n"));
        browser.signIn(ws.owner().token());

        // WHEN the owner opens its page
        browser.openWorkspacePage(ws.slug(), "definitions/view/?id=" + id);

        // THEN the build ends failed, at the building stage, with the reason the API gives
        WebElement build = browser.waitVisible(By.cssSelector("#builds li.build"));
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "failed".equals(build.getAttribute("data-status")));
        String reason = (String) builds(ws, id).get(0).get("failureReason");
        assertThat(reason).isNotBlank();
        assertThat(build.findElement(By.cssSelector(".build-reason")).getText()).isEqualTo("Failed: " + reason);
        assertThat(build.findElement(By.cssSelector(".build-badge")).getText()).isEqualTo("Failed");
        WebElement building = build.findElement(By.cssSelector(".stage[data-stage='building']"));
        assertThat(building.getAttribute("data-state")).isEqualTo("failed");
        assertThat(building.getText()).contains("Failed");
        assertThat(building.findElements(By.cssSelector("time"))).hasSize(2);
        assertThat(build.findElement(By.cssSelector(".stage[data-stage='pending']")).getAttribute("data-state")).isEqualTo("done");
        for (String stage : List.of("testing", "distributing", "available")) {
            assertThat(build.findElement(By.cssSelector(".stage[data-stage='" + stage + "']")).getAttribute("data-state"))
                    .as(stage).isEqualTo("todo");
        }
        assertThat(label(build)).isEqualTo("Duration");
        assertThat(driver.findElement(By.id("summary-image")).getText()).isEqualTo("None yet");
        browser.screenshot("definition-build-failed");

        // AND the list shows no image, and the failed build
        browser.openWorkspacePage(ws.slug(), "definitions/");
        WebElement cell = browser.waitVisible(By.cssSelector("#definitions-rows tr[data-definition='" + id + "'] td.cell-image"));
        assertThat(cell.getText()).contains("none yet").contains("failed");
        assertThat(cell.getAttribute("data-build")).isEqualTo("failed");
    }

    @Test
    void rebuildShowsTheNewBuildAtOnceAndCancelEndsItCancelled() {
        // GIVEN a definition whose first build is available, on its page
        Workspace ws = workspaces.create();
        String id = create(ws, Map.of("displayName", "Rebuildable"));
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/view/?id=" + id);
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "available".equals(firstBuild().getAttribute("data-status")));

        // WHEN the owner rebuilds
        browser.waitVisible(By.id("rebuild")).click();

        // THEN the new build is shown at once, pending, above the first, with a Cancel button
        browser.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#builds li.build"), 2));
        WebElement newest = firstBuild();
        String newId = newest.getAttribute("data-build-id");
        assertThat(builds(ws, id).get(0).get("id")).isEqualTo(newId);
        assertThat(newest.findElement(By.cssSelector(".build-title")).getText()).isEqualTo("Version 1");
        assertThat(browser.waitVisible(By.id("definition-status")).getText()).contains("being built again");
        WebElement cancel = newest.findElement(By.cssSelector("button[data-cancel='" + newId + "']"));

        // WHEN the owner cancels it, first keeping it
        cancel.click();
        WebElement dialog = browser.waitVisible(By.id("confirm-dialog"));
        assertThat(dialog.getText()).contains("Cancel the build of version 1?");
        driver.findElement(By.id("confirm-cancel")).click();
        browser.waitHidden(By.id("confirm-dialog"));
        cancel.click();
        browser.waitVisible(By.id("confirm-dialog"));
        browser.screenshot("definition-build-cancel-confirm");
        driver.findElement(By.id("confirm-ok")).click();

        // THEN it ends cancelled, at the stage it had reached, and the first build stays the current image
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "cancelled".equals(firstBuild().getAttribute("data-status")));
        assertThat(builds(ws, id).get(0).get("status")).isEqualTo("cancelled");
        assertThat(driver.findElement(By.id("definition-status")).getText()).isEqualTo("The build of version 1 was cancelled.");
        assertThat(firstBuild().findElements(By.cssSelector(".stage[data-state='cancelled']"))).hasSize(1);
        assertThat(firstBuild().findElement(By.cssSelector(".build-reason")).getText()).startsWith("Cancelled");
        assertThat(browser.shown(By.cssSelector("button[data-cancel]"))).isFalse();
        assertThat(driver.findElement(By.id("summary-image")).getText()).startsWith("v1 · available");
        browser.screenshot("definition-build-cancelled");

        // WHEN another rebuild is cancelled elsewhere while the owner's confirm dialog is open
        driver.findElement(By.id("rebuild")).click();
        browser.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#builds li.build"), 3));
        String thirdId = firstBuild().getAttribute("data-build-id");
        firstBuild().findElement(By.cssSelector("button[data-cancel]")).click();
        browser.waitVisible(By.id("confirm-dialog"));
        HttpResponse<String> elsewhere = app.send("POST", ws.path("/definitions/" + id + "/builds/" + thirdId + "/cancel"),
                ws.owner().token(), null);
        assertThat(elsewhere.statusCode()).isEqualTo(202);
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "cancelled".equals(builds(ws, id).get(0).get("status")));
        driver.findElement(By.id("confirm-ok")).click();

        // THEN the page says it had already ended (409) and shows it cancelled
        assertThat(browser.waitVisible(By.id("definition-error")).getText()).contains("had already ended");
        browser.wait.until(d -> "cancelled".equals(firstBuild().getAttribute("data-status")));
    }

    @Test
    void anEarlierAvailableBuildCanBeMadeTheCurrentImageAgain() {
        // GIVEN a definition built twice, both available: the newer is the current image
        Workspace ws = workspaces.create();
        String id = create(ws, Map.of("displayName", "Two Images"));
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/view/?id=" + id);
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "available".equals(firstBuild().getAttribute("data-status")));
        String older = firstBuild().getAttribute("data-build-id");
        browser.waitVisible(By.id("rebuild")).click();
        browser.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#builds li.build"), 2));
        String newer = firstBuild().getAttribute("data-build-id");
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "available".equals(firstBuild().getAttribute("data-status")));
        browser.wait.until(d -> currentImageBuild(ws, id).equals(newer) && card(newer).findElement(By.cssSelector(".pill-current")).isDisplayed());
        assertThat(card(newer).findElements(By.cssSelector("button[data-promote]"))).isEmpty();

        // WHEN the owner makes the older build's image the current one
        card(older).findElement(By.cssSelector("button[data-promote='" + older + "']")).click();

        // THEN the page and the API agree that it is current, and the newer one may be promoted back
        browser.wait.until(d -> card(older).findElement(By.cssSelector(".pill-current")).isDisplayed());
        assertThat(currentImageBuild(ws, id)).isEqualTo(older);
        assertThat(card(newer).findElement(By.cssSelector(".pill-current")).isDisplayed()).isFalse();
        assertThat(card(newer).findElements(By.cssSelector("button[data-promote='" + newer + "']"))).hasSize(1);
        assertThat(driver.findElement(By.id("definition-status")).getText()).contains("is now the current image");
        assertThat(driver.findElement(By.id("summary-image")).getText())
                .contains((String) builds(ws, id).get(1).get("amiId"));
        browser.screenshot("definition-build-promoted");
    }

    @Test
    void aViewerSeesTheBuildsButNoRebuildOrCancelWhileAnEditorMayUseThem() {
        // GIVEN a definition shared with a viewer and an editor, its first build in progress
        Workspace ws = workspaces.create();
        TestUser viewer = workspaces.member(ws);
        TestUser editor = workspaces.member(ws);
        browser.signIn(viewer.token());
        String id = create(ws, Map.of("displayName", "Shared Build", "grants", List.of(
                Map.of("principal", "user:" + viewer.id(), "preset", "viewer"),
                Map.of("principal", "user:" + editor.id(), "preset", "editor"))));

        // WHEN the viewer opens its page from the list
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.waitVisible(By.cssSelector("#definitions-rows tr[data-definition='" + id + "'] a[data-name]")).click();

        // THEN they see the build, live, but no Rebuild, Cancel or Edit
        WebElement build = browser.waitVisible(By.cssSelector("#builds li.build"));
        assertThat(build.getAttribute("data-status")).isIn("pending", "building", "testing", "distributing");
        assertThat(browser.shown(By.id("rebuild"))).isFalse();
        assertThat(browser.shown(By.id("definition-edit"))).isFalse();
        assertThat(driver.findElements(By.cssSelector("button[data-cancel], button[data-promote]"))).isEmpty();
        browser.screenshot("definition-viewer");
        new WebDriverWait(driver, BUILD_WAIT).until(d -> "available".equals(build.getAttribute("data-status")));
        assertThat(browser.shown(By.id("rebuild"))).isFalse();

        // AND an editor (who holds operate) gets Rebuild, and Cancel on the build it starts
        browser.signIn(editor.token());
        browser.openWorkspacePage(ws.slug(), "definitions/view/?id=" + id);
        browser.waitVisible(By.id("rebuild")).click();
        browser.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#builds li.build"), 2));
        assertThat(firstBuild().findElements(By.cssSelector("button[data-cancel]"))).hasSize(1);
        assertThat(browser.shown(By.id("definition-edit"))).isTrue();

        // AND a definition that does not exist says so
        driver.get(browser.base + "/" + ws.slug() + "/definitions/view/?id=nope-not-here");
        assertThat(browser.waitVisible(By.id("definition-missing")).getText()).contains("Definition not found");
        assertThat(browser.shown(By.id("page-body"))).isFalse();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static WebElement card(String buildId) {
        return driver.findElement(By.cssSelector("#builds li.build[data-build-id='" + buildId + "']"));
    }

    @SuppressWarnings("unchecked")
    private static String currentImageBuild(Workspace ws, String id) {
        HttpResponse<String> got = app.send("GET", ws.path("/definitions/" + id), ws.owner().token(), null);
        Map<String, Object> image = (Map<String, Object>) Json.object(got.body()).get("currentImage");
        return image == null ? "" : (String) image.get("buildId");
    }

    private static WebElement firstBuild() {
        return driver.findElement(By.cssSelector("#builds li.build"));
    }

    /** "Elapsed" while in progress, "Duration" once ended. */
    private static String label(WebElement build) {
        return build.findElement(By.cssSelector(".build-elapsed-label")).getAttribute("textContent");
    }

    private static long elapsedMs(WebElement build) {
        String ms = build.findElement(By.cssSelector(".build-elapsed")).getAttribute("data-ms");
        return ms == null || ms.isEmpty() ? -1 : Long.parseLong(ms);
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
