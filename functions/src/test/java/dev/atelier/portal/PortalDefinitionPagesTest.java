package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.RunningApp.TestUser;
import dev.atelier.testing.Workspaces;
import dev.atelier.testing.Workspaces.Workspace;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The workstation definition pages in a real browser against the whole app: the list, the
 * two-step wizard (new, edit, copy & customise, each landing on the definition's page) and deleting.
 */
class PortalDefinitionPagesTest extends PortalPageTest {

    @Test
    void theOwnerWalksTheWizardAndTheMemberGrantedViewerSeesTheDefinition() {
        // GIVEN a workspace with a member, and its owner on the (empty) definitions list
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws);
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.waitVisible(By.id("definitions-empty"));
        browser.screenshot("definitions-empty");

        // WHEN the owner starts a new definition and types a display name
        browser.waitVisible(By.id("new-definition")).click();
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/" + ws.slug() + "/definitions/new/"));
        browser.waitVisible(By.id("page-body"));
        browser.waitVisible(By.id("def-display-name")).sendKeys("GPU Training Box");

        // THEN the CLI name follows it
        assertThat(value("def-cli-name")).isEqualTo("gpu-training-box");
        browser.screenshot("definition-wizard-step1-top");

        // WHEN the configuration is filled in
        replace("def-memory", "16");
        replace("def-cpu", "4");
        new Select(driver.findElement(By.id("def-python"))).selectByValue("3.11");
        driver.findElement(By.id("def-requirements")).sendKeys("numpy>=1.26");
        driver.findElement(By.id("def-gpu")).click();
        new Select(browser.waitVisible(By.id("def-gpu-type"))).selectByValue("nvidia-l4");
        replace("def-gpu-count", "2");
        assertThat(driver.findElement(By.cssSelector("label[for='def-pre-build']")).getText()).contains("Bash");
        browser.screenshot("definition-wizard-step1");
        driver.findElement(By.id("wizard-next")).click();

        // AND on step 2 the member is granted viewer
        browser.waitVisible(By.id("step-permissions"));
        assertThat(browser.shown(By.id("step-config"))).isFalse();
        assertThat(driver.findElement(By.id("grants-creator-note")).getText()).contains("Full access automatically");
        new Select(driver.findElement(By.id("add-user-select"))).selectByValue("user:" + member.id());
        driver.findElement(By.id("add-user")).click();
        WebElement row = browser.waitVisible(By.cssSelector("#grants-rows tr[data-principal='user:" + member.id() + "']"));
        new Select(row.findElement(By.cssSelector("select[data-preset]"))).selectByValue("viewer");
        browser.screenshot("definition-wizard-step2");
        driver.findElement(By.id("wizard-submit")).click();

        // THEN the wizard lands on the new definition's page, which says so
        browser.wait.until(ExpectedConditions.urlContains("/" + ws.slug() + "/definitions/view/?id="));
        assertThat(browser.waitVisible(By.id("definition-status")).getText()).contains("“GPU Training Box” was created");
        assertThat(driver.findElement(By.id("definition-name")).getText()).isEqualTo("GPU Training Box");
        String id = driver.getCurrentUrl().replaceFirst(".*[?&]id=([^&]+).*", "$1");

        // AND the list shows it, its name leading to that page
        driver.findElement(By.cssSelector("#page-body a.back-to-list")).click();
        WebElement listed = browser.waitVisible(By.cssSelector("#definitions-rows tr[data-definition='" + id + "']"));
        assertThat(listed.getText()).contains("GPU Training Box", "gpu-training-box", "Linux", "4 CPU · 16 GB",
                "2 × nvidia-l4", "v1");
        assertThat(listed.findElement(By.cssSelector("[data-build]")).getAttribute("data-build"))
                .isIn("pending", "building", "testing", "distributing", "available");
        assertThat(listed.findElement(By.cssSelector("a[data-name]")).getAttribute("href"))
                .endsWith("/" + ws.slug() + "/definitions/view/?id=" + id);
        browser.screenshot("definitions-list");

        // AND the API answers exactly those values
        Map<String, Object> d = definition(ws, id, ws.owner().token());
        assertThat(d.get("displayName")).isEqualTo("GPU Training Box");
        assertThat(d.get("cliName")).isEqualTo("gpu-training-box");
        assertThat(number(d.get("memoryGb"))).isEqualTo(16);
        assertThat(number(d.get("cpuCores"))).isEqualTo(4);
        assertThat(d.get("pythonVersion")).isEqualTo("3.11");
        assertThat(d.get("requirements")).isEqualTo("numpy>=1.26");
        assertThat(d.get("os")).isEqualTo("linux");
        assertThat(d.get("gpu")).isEqualTo(Map.of("type", "nvidia-l4", "count", 2));
        assertThat(d.get("baseImage")).isNull();
        assertThat(number(d.get("version"))).isEqualTo(1);

        // AND the member sees it in their list, and no way to create one
        assertThat(ids(app.send("GET", ws.path("/definitions"), member.token(), null))).containsExactly(id);
        browser.signIn(member.token());
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.waitVisible(By.cssSelector("#definitions-rows tr[data-definition='" + id + "']"));
        assertThat(browser.shown(By.id("new-definition"))).isFalse();
        assertThat(driver.findElements(By.cssSelector("a[data-copy]"))).isEmpty();
        browser.screenshot("definitions-member");
    }

    @Test
    void anInvalidRequirementsLineShowsBeforeSubmittingAndATakenCliNameShowsAtItsField() {
        // GIVEN a definition whose CLI name is "taken-name", and the owner in the wizard
        Workspace ws = workspaces.create();
        create(ws, Map.of("displayName", "Something", "cliName", "taken-name"));
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/new/");

        // WHEN the requirements hold a pip option on line 2 and the owner tries to go on
        browser.waitVisible(By.id("def-display-name")).sendKeys("Taken name");
        driver.findElement(By.id("def-requirements")).sendKeys("numpy>=1.26", Keys.ENTER, "-r other.txt");
        driver.findElement(By.id("wizard-next")).click();

        // THEN the line's problem shows at the field, and the wizard stays on step 1
        WebElement problems = browser.waitVisible(By.id("def-requirements-error"));
        assertThat(problems.getText()).isEqualTo("line 2: pip options are not allowed");
        assertThat(driver.findElement(By.id("def-requirements")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.shown(By.id("step-permissions"))).isFalse();
        browser.screenshot("definition-wizard-requirements-error");

        // WHEN the line is fixed and the definition created with the taken CLI name
        replace("def-requirements", "numpy>=1.26");
        browser.waitHidden(By.id("def-requirements-error"));
        assertThat(value("def-cli-name")).isEqualTo("taken-name");
        driver.findElement(By.id("wizard-next")).click();
        browser.waitVisible(By.id("wizard-submit")).click();

        // THEN the server's 409 goes back to step 1, under the CLI name
        WebElement cliError = browser.waitVisible(By.id("def-cli-name-error"));
        assertThat(cliError.getText()).contains("taken-name").contains("already taken");
        assertThat(browser.shown(By.id("step-config"))).isTrue();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("def-cli-name");
        browser.screenshot("definition-wizard-cli-taken");

        // WHEN another CLI name is typed, THEN creating works
        replace("def-cli-name", "another-name");
        driver.findElement(By.id("wizard-next")).click();
        browser.waitVisible(By.id("wizard-submit")).click();
        browser.wait.until(ExpectedConditions.textToBe(By.id("definition-cli-name"), "another-name"));
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.waitVisible(By.cssSelector("#definitions-rows tr[data-definition]"));
        assertThat(driver.findElement(By.id("definitions-rows")).getText()).contains("another-name", "taken-name");
    }

    @Test
    void editingSavesANewVersionAndAConcurrentChangeShowsTheConflictNotice() {
        // GIVEN a definition at version 1
        Workspace ws = workspaces.create();
        String id = create(ws, Map.of("displayName", "Editable", "memoryGb", 8));
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.waitVisible(By.cssSelector("a[data-edit='" + id + "']")).click();

        // WHEN the owner edits it: 32 GB, and saves on step 2
        browser.wait.until(ExpectedConditions.urlContains("/definitions/edit/?id=" + id));
        browser.waitVisible(By.id("page-body"));
        assertThat(value("def-display-name")).isEqualTo("Editable");
        assertThat(value("def-cli-name")).isEqualTo("editable");
        replace("def-memory", "32");
        driver.findElement(By.id("wizard-next")).click();
        WebElement link = browser.waitVisible(By.id("grants-link"));
        assertThat(link.getAttribute("href")).endsWith("/" + ws.slug() + "/permissions/?resource=definition:" + id);
        assertThat(driver.findElement(By.id("wizard-submit")).getText()).isEqualTo("Save");
        browser.screenshot("definition-wizard-edit-step2");
        driver.findElement(By.id("wizard-submit")).click();

        // THEN its page says version 2 was saved, and the list shows version 2, as the API does
        browser.wait.until(ExpectedConditions.urlContains("/definitions/view/?id=" + id));
        assertThat(browser.waitVisible(By.id("definition-status")).getText()).contains("saved as version 2");
        assertThat(driver.findElement(By.id("definition-version")).getText()).isEqualTo("Version 2");
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#definitions-rows tr[data-definition='" + id + "']"), "v2"));
        Map<String, Object> d = definition(ws, id, ws.owner().token());
        assertThat(number(d.get("version"))).isEqualTo(2);
        assertThat(number(d.get("memoryGb"))).isEqualTo(32);
        assertThat(d.get("cliName")).isEqualTo("editable");

        // WHEN the owner opens it again, someone else saves meanwhile, and the owner saves
        browser.openWorkspacePage(ws.slug(), "definitions/edit/?id=" + id);
        browser.wait.until(d2 -> "32".equals(value("def-memory")));
        replace("def-cpu", "6");
        Map<String, Object> other = new HashMap<>(d);
        other.keySet().retainAll(List.of("displayName", "cliName", "memoryGb", "cpuCores", "pythonVersion",
                "requirements", "preBuildScript", "postBuildScript", "os", "gpu", "baseImage"));
        other.put("displayName", "Renamed elsewhere");
        HttpResponse<String> put = app.send("PUT", ws.path("/definitions/" + id), ws.owner().token(), Json.write(other),
                "If-Match", "\"2\"");
        assertThat(put.statusCode()).isEqualTo(200);
        driver.findElement(By.id("wizard-next")).click();
        browser.waitVisible(By.id("wizard-submit")).click();

        // THEN the page says it changed, and shows it as it is now, on step 1
        WebElement conflict = browser.waitVisible(By.id("wizard-conflict"));
        assertThat(conflict.getText()).contains("changed by someone else — reloaded");
        browser.wait.until(d2 -> "Renamed elsewhere".equals(value("def-display-name")));
        assertThat(value("def-cpu")).isEqualTo("2");
        assertThat(browser.shown(By.id("step-config"))).isTrue();
        browser.screenshot("definition-wizard-conflict");

        // AND saving again (with the fresh ETag) makes version 4
        replace("def-cpu", "6");
        driver.findElement(By.id("wizard-next")).click();
        browser.waitVisible(By.id("wizard-submit")).click();
        browser.wait.until(ExpectedConditions.textToBe(By.id("definition-version"), "Version 4"));
        Map<String, Object> after = definition(ws, id, ws.owner().token());
        assertThat(number(after.get("cpuCores"))).isEqualTo(6);
        assertThat(after.get("displayName")).isEqualTo("Renamed elsewhere");
    }

    @Test
    void copyAndCustomiseCreatesASecondDefinitionWithTheCopiedValues() {
        // GIVEN a Windows definition with a GPU, requirements and scripts
        Workspace ws = workspaces.create();
        Map<String, Object> body = new HashMap<>();
        body.put("displayName", "Render Node");
        body.put("memoryGb", 64);
        body.put("cpuCores", 16);
        body.put("pythonVersion", "3.10");
        body.put("requirements", "pandas==2.2.2\n# plotting\nmatplotlib");
        body.put("preBuildScript", "Write-Host 'pre'");
        body.put("postBuildScript", "Write-Host 'post'");
        body.put("os", "windows");
        body.put("gpu", Map.of("type", "nvidia-t4", "count", 1));
        String source = create(ws, body);
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/");

        // WHEN the owner copies it
        browser.waitVisible(By.cssSelector("a[data-copy='" + source + "']")).click();
        browser.wait.until(ExpectedConditions.urlContains("/definitions/new/?copy=" + source));
        browser.waitVisible(By.id("page-body"));

        // THEN the wizard holds every value, named "(copy)", PowerShell scripts
        assertThat(value("def-display-name")).isEqualTo("Render Node (copy)");
        assertThat(value("def-cli-name")).isEqualTo("render-node-copy");
        assertThat(value("def-memory")).isEqualTo("64");
        assertThat(value("def-requirements")).isEqualTo("pandas==2.2.2\n# plotting\nmatplotlib");
        assertThat(driver.findElement(By.id("os-windows")).isSelected()).isTrue();
        assertThat(driver.findElement(By.id("def-gpu")).isSelected()).isTrue();
        assertThat(driver.findElement(By.cssSelector("label[for='def-post-build']")).getText()).contains("PowerShell");
        browser.screenshot("definition-wizard-copy");

        // WHEN the CPU cores are changed and the copy is created
        replace("def-cpu", "8");
        driver.findElement(By.id("wizard-next")).click();
        browser.waitVisible(By.id("wizard-submit")).click();

        // THEN the copy's page shows, the list holds both, and the copy has the copied values with the change
        browser.wait.until(ExpectedConditions.textToBe(By.id("definition-name"), "Render Node (copy)"));
        assertThat(driver.getCurrentUrl()).doesNotContain("id=" + source);
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#definitions-rows tr[data-definition]"), 2));
        List<Map<String, Object>> all = Json.items(app.send("GET", ws.path("/definitions"), ws.owner().token(), null).body());
        Map<String, Object> copy = all.stream().filter(x -> !source.equals(x.get("id"))).findFirst().orElseThrow();
        assertThat(copy.get("displayName")).isEqualTo("Render Node (copy)");
        assertThat(copy.get("cliName")).isEqualTo("render-node-copy");
        assertThat(number(copy.get("cpuCores"))).isEqualTo(8);
        assertThat(number(copy.get("memoryGb"))).isEqualTo(64);
        assertThat(copy.get("pythonVersion")).isEqualTo("3.10");
        assertThat(copy.get("requirements")).isEqualTo("pandas==2.2.2\n# plotting\nmatplotlib");
        assertThat(copy.get("preBuildScript")).isEqualTo("Write-Host 'pre'");
        assertThat(copy.get("postBuildScript")).isEqualTo("Write-Host 'post'");
        assertThat(copy.get("os")).isEqualTo("windows");
        assertThat(copy.get("gpu")).isEqualTo(Map.of("type", "nvidia-t4", "count", 1));
        assertThat(number(copy.get("version"))).isEqualTo(2);
        assertThat(number(definition(ws, source, ws.owner().token()).get("cpuCores"))).isEqualTo(16);
    }

    @Test
    void deletingAfterTheIrreversibleConfirmRemovesTheDefinition() {
        // GIVEN two definitions
        Workspace ws = workspaces.create();
        String doomed = create(ws, Map.of("displayName", "Doomed"));
        String kept = create(ws, Map.of("displayName", "Kept"));
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "definitions/");

        // WHEN the owner deletes one, first cancelling
        browser.waitVisible(By.cssSelector("button[data-delete='" + doomed + "']")).click();
        WebElement dialog = browser.waitVisible(By.id("confirm-dialog"));
        assertThat(dialog.getText()).contains("irreversible");
        driver.findElement(By.id("confirm-cancel")).click();
        browser.waitHidden(By.id("confirm-dialog"));
        assertThat(definitionRows()).hasSize(2);
        driver.findElement(By.cssSelector("button[data-delete='" + doomed + "']")).click();
        browser.waitVisible(By.id("confirm-dialog"));
        browser.screenshot("definitions-delete-confirm");
        driver.findElement(By.id("confirm-ok")).click();

        // THEN it leaves the list and the API
        browser.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#definitions-rows tr[data-definition]"), 1));
        assertThat(definitionRows()).containsExactly(kept);
        assertThat(browser.waitVisible(By.id("definitions-status")).getText()).contains("“Doomed” was deleted.");
        assertThat(app.send("GET", ws.path("/definitions/" + doomed), ws.owner().token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void aMemberWithoutImagesManageMayNotCreate() {
        // GIVEN a member without images.manage
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws, "logs.view");
        browser.signIn(member.token());

        // WHEN they open the list, THEN there is no "New definition"
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.waitVisible(By.id("definitions-empty"));
        assertThat(browser.shown(By.id("new-definition"))).isFalse();
        assertThat(driver.findElement(By.id("definitions-empty")).getText()).contains("Manage images");

        // AND the wizard opened directly refuses clearly
        driver.get(browser.base + "/" + ws.slug() + "/definitions/new/");
        WebElement refusal = browser.waitVisible(By.id("definition-missing"));
        assertThat(refusal.getText()).contains("You may not create workstation definitions");
        assertThat(browser.shown(By.id("page-body"))).isFalse();
        browser.screenshot("definition-wizard-refused");

        // AND a member holding images.manage gets the button
        TestUser builder = workspaces.member(ws, "images.manage");
        browser.signIn(builder.token());
        browser.openWorkspacePage(ws.slug(), "definitions/");
        browser.waitVisible(By.id("new-definition"));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String create(Workspace ws, Map<String, Object> body) {
        HttpResponse<String> created = app.send("POST", ws.path("/definitions"), ws.owner().token(), Json.write(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) Json.object(created.body()).get("id");
    }

    private static Map<String, Object> definition(Workspace ws, String id, String token) {
        HttpResponse<String> got = app.send("GET", ws.path("/definitions/" + id), token, null);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        return Json.object(got.body());
    }

    private static List<String> ids(HttpResponse<String> list) {
        assertThat(list.statusCode()).isEqualTo(200);
        return Json.items(list.body()).stream().map(m -> (String) m.get("id")).toList();
    }

    private static List<String> definitionRows() {
        return driver.findElements(By.cssSelector("#definitions-rows tr[data-definition]")).stream()
                .map(e -> e.getAttribute("data-definition")).toList();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static String value(String id) {
        return driver.findElement(By.id(id)).getAttribute("value");
    }

    /** Replaces an input's text as typing would (select all, type). */
    private static void replace(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(text);
    }
}
