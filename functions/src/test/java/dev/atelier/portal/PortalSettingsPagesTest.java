package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.RunningApp.TestUser;
import dev.atelier.testing.Workspaces;
import dev.atelier.testing.Workspaces.Workspace;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The workspace settings page in a real browser against the whole app: name and colour, the
 * logo in the header, the AI provider with its write-only key, and who may see the page.
 */
class PortalSettingsPagesTest extends PortalPageTest {

    @Test
    void theOwnerRenamesTheWorkspaceAndPicksASwatchAndTheHeaderFollows() {
        // GIVEN a workspace and its owner on the settings page
        Workspace ws = workspaces.create();
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "settings/");
        WebElement name = browser.waitVisible(By.id("ws-name"));
        assertThat(name.getAttribute("value")).isEqualTo("Team");
        assertThat(driver.findElement(By.id("swatch-4f46e5")).isSelected()).isTrue();

        // WHEN the owner types a new name, picks the teal swatch and saves
        name.clear();
        name.sendKeys("Renamed Studio");
        driver.findElement(By.cssSelector("label[for='swatch-0d9488']")).click();
        assertThat(driver.findElement(By.id("ws-color")).getAttribute("value")).isEqualTo("#0d9488");
        driver.findElement(By.id("general-save")).click();

        // THEN the page confirms, and the API answers the new name and colour
        assertThat(browser.waitVisible(By.id("general-status")).getText()).startsWith("Saved.");
        Map<String, Object> stored = Json.object(app.send("GET", ws.path(""), ws.owner().token(), null).body());
        assertThat(stored).containsEntry("name", "Renamed Studio").containsEntry("primaryColor", "#0d9488");

        // AND the header shows the new name, and the badge and --primary use the colour at once
        browser.wait.until(ExpectedConditions.textToBe(By.id("brand-workspace"), "Renamed Studio"));
        assertThat(badgeFill()).isEqualTo("rgb(13, 148, 136)");
        assertThat(browser.js().executeScript(
                "return document.documentElement.style.getPropertyValue('--primary')")).isEqualTo("#0d9488");
        assertThat(driver.findElement(By.cssSelector("#workspace-logo .logo-text")).getText()).isEqualTo("RS");
        browser.screenshot("settings-owner");

        // AND another workspace page shows the same after a reload
        browser.openWorkspacePage(ws.slug(), "members/");
        browser.wait.until(ExpectedConditions.textToBe(By.id("brand-workspace"), "Renamed Studio"));
        assertThat(badgeFill()).isEqualTo("rgb(13, 148, 136)");
    }

    @Test
    void aColourThatIsNotHexIsRefusedNextToTheField() {
        // GIVEN the owner on the settings page
        Workspace ws = workspaces.create();
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "settings/");
        WebElement color = browser.waitVisible(By.id("ws-color"));

        // WHEN they type something that is not #rrggbb and save
        color.clear();
        color.sendKeys("teal");
        driver.findElement(By.id("general-save")).click();

        // THEN the field says so, and nothing is stored
        assertThat(browser.waitVisible(By.id("ws-color-error")).getText()).contains("#");
        assertThat(color.getAttribute("aria-invalid")).isEqualTo("true");
        Map<String, Object> stored = Json.object(app.send("GET", ws.path(""), ws.owner().token(), null).body());
        assertThat(stored).containsEntry("primaryColor", "#4f46e5");
    }

    @Test
    void anUploadedLogoShowsInTheHeaderOfEveryWorkspacePageUntilRemoved() throws IOException {
        // GIVEN the owner on the settings page, and a small PNG
        Workspace ws = workspaces.create();
        Path png = tinyPng();
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "settings/");
        browser.waitVisible(By.id("logo-form"));
        assertThat(driver.findElements(By.cssSelector("#workspace-logo img"))).isEmpty();

        // WHEN they choose it and upload it
        driver.findElement(By.id("logo-file")).sendKeys(png.toAbsolutePath().toString());
        driver.findElement(By.id("logo-upload")).click();

        // THEN the page confirms, the API has it, and the header shows it as an image
        assertThat(browser.waitVisible(By.id("logo-status")).getText()).contains("Logo uploaded");
        browser.waitVisible(By.cssSelector("#workspace-logo img"));
        Map<String, Object> stored = Json.object(app.send("GET", ws.path(""), ws.owner().token(), null).body());
        assertThat(((Map<?, ?>) stored.get("logo")).get("contentType")).isEqualTo("image/png");
        browser.waitVisible(By.id("logo-remove"));
        browser.screenshot("settings-logo");

        // AND so does another workspace page
        browser.openWorkspacePage(ws.slug(), "members/");
        WebElement img = browser.waitVisible(By.cssSelector("#workspace-logo img"));
        assertThat(img.getAttribute("src")).startsWith("blob:");
        browser.wait.until(d -> (Boolean) browser.js().executeScript(
                "const i = document.querySelector('#workspace-logo img'); return i && i.complete && i.naturalWidth > 0;"));

        // WHEN the owner removes it
        browser.openWorkspacePage(ws.slug(), "settings/");
        browser.waitVisible(By.id("logo-remove")).click();

        // THEN the default badge is back, and the API has no logo
        assertThat(browser.waitVisible(By.id("logo-status")).getText()).contains("Logo removed");
        browser.waitVisible(By.cssSelector("#workspace-logo svg"));
        assertThat(driver.findElements(By.cssSelector("#workspace-logo img"))).isEmpty();
        assertThat(browser.shown(By.id("logo-remove"))).isFalse();
        stored = Json.object(app.send("GET", ws.path(""), ws.owner().token(), null).body());
        assertThat(stored.get("logo")).isNull();
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedWithTheReason() throws IOException {
        // GIVEN the owner on the settings page, and a text file named like a PNG
        Workspace ws = workspaces.create();
        Path fake = Files.createTempFile("not-a-logo", ".png");
        Files.writeString(fake, "hello, not an image");
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "settings/");
        browser.waitVisible(By.id("logo-form"));

        // WHEN it is uploaded
        driver.findElement(By.id("logo-file")).sendKeys(fake.toAbsolutePath().toString());
        driver.findElement(By.id("logo-upload")).click();

        // THEN the server's reason shows next to the field, and no logo is stored
        assertThat(browser.waitVisible(By.id("logo-error")).getText()).startsWith("The logo was refused");
        Map<String, Object> stored = Json.object(app.send("GET", ws.path(""), ws.owner().token(), null).body());
        assertThat(stored.get("logo")).isNull();
    }

    @Test
    void anApiKeyIsWriteOnlyThePageShowsOnlyItsLastFourCharacters() {
        // GIVEN the owner on the settings page of a workspace without AI settings
        Workspace ws = workspaces.create();
        String key = "sk-canary-" + UUID.randomUUID().toString().replace("-", "");
        String last4 = key.substring(key.length() - 4);
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "settings/");
        browser.waitVisible(By.id("ai-form"));
        assertThat(driver.findElement(By.id("ai-key-summary")).getText()).isEqualTo("No key set.");
        assertThat(browser.shown(By.id("ai-base-url"))).isFalse();

        // WHEN they choose OpenAI, a model and a key, and save
        new Select(driver.findElement(By.id("ai-provider"))).selectByValue("openai");
        driver.findElement(By.id("ai-model")).sendKeys("gpt-4o-mini");
        driver.findElement(By.id("ai-key")).sendKeys(key);
        driver.findElement(By.id("ai-save")).click();

        // THEN the page shows only the last four characters, and the key field is gone and empty
        browser.wait.until(ExpectedConditions.textToBe(By.id("ai-status"), "AI settings saved."));
        assertThat(driver.findElement(By.id("ai-key-summary")).getText()).isEqualTo("Set — ends in ••••" + last4);
        assertThat(browser.shown(By.id("ai-key"))).isFalse();
        assertThat(driver.findElement(By.id("ai-key")).getAttribute("value")).isEmpty();
        assertThat(browser.shown(By.id("ai-key-replace"))).isTrue();
        assertThat(browser.shown(By.id("ai-key-clear"))).isTrue();
        assertThat(driver.getPageSource()).doesNotContain(key);
        browser.screenshot("settings-ai");

        // AND the API stored it
        Map<String, Object> stored = Json.object(app.send("GET", ws.path("/ai-settings"), ws.owner().token(), null).body());
        assertThat(stored).containsEntry("provider", "openai").containsEntry("model", "gpt-4o-mini")
                .containsEntry("apiKeySet", true).containsEntry("apiKeyLast4", last4);

        // AND after a reload the page still holds nothing of the key but its end
        browser.openWorkspacePage(ws.slug(), "settings/");
        browser.wait.until(ExpectedConditions.textToBe(By.id("ai-key-summary"), "Set — ends in ••••" + last4));
        assertThat(new Select(driver.findElement(By.id("ai-provider"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("openai");
        assertThat(driver.getPageSource()).doesNotContain(key);

        // WHEN the provider changes to Ollama without a new key
        new Select(driver.findElement(By.id("ai-provider"))).selectByValue("ollama");
        browser.waitVisible(By.id("ai-base-url")).sendKeys("http://localhost:11434");
        driver.findElement(By.id("ai-save")).click();

        // THEN the page asks for the key again instead of carrying it elsewhere
        assertThat(browser.waitVisible(By.id("ai-key-error")).getText()).contains("replace it or clear it");

        // WHEN the key is cleared and the settings saved
        driver.findElement(By.id("ai-key-clear")).click();
        driver.findElement(By.id("ai-save")).click();

        // THEN no key is stored any more
        browser.wait.until(ExpectedConditions.textToBe(By.id("ai-key-summary"), "No key set."));
        stored = Json.object(app.send("GET", ws.path("/ai-settings"), ws.owner().token(), null).body());
        assertThat(stored).containsEntry("provider", "ollama").containsEntry("baseUrl", "http://localhost:11434")
                .containsEntry("apiKeySet", false);
    }

    @Test
    void aMemberWithoutSettingsManageIsRefused() {
        // GIVEN a member holding other actions but not settings.manage
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws, "logs.view", "members.manage");

        // WHEN they open the settings page
        browser.signIn(member.token());
        browser.openWorkspacePage(ws.slug(), "settings/");

        // THEN it says they may not, and shows no form
        assertThat(browser.waitVisible(By.id("settings-refused")).getText()).contains("You may not change");
        assertThat(browser.shown(By.id("general-form"))).isFalse();
        assertThat(browser.shown(By.id("ai-form"))).isFalse();
        assertThat(browser.shown(By.id("danger-zone"))).isFalse();
        browser.screenshot("settings-refused");
    }

    @Test
    void aMemberWithSettingsManageChangesSettingsButCannotDelete() {
        // GIVEN a member holding settings.manage
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws, "settings.manage");

        // WHEN they open the settings page
        browser.signIn(member.token());
        browser.openWorkspacePage(ws.slug(), "settings/");

        // THEN they see the forms but no danger zone (only the owner deletes)
        browser.waitVisible(By.id("general-form"));
        browser.waitVisible(By.id("ai-form"));
        assertThat(browser.shown(By.id("danger-zone"))).isFalse();
    }

    @Test
    void theOwnerDeletesTheWorkspaceAfterTypingItsSlug() {
        // GIVEN the owner on the settings page
        Workspace ws = workspaces.create();
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "settings/");
        browser.waitVisible(By.id("delete-open")).click();

        // WHEN the dialog opens, THEN deleting waits for the slug
        browser.waitVisible(By.id("delete-dialog"));
        WebElement confirm = driver.findElement(By.id("delete-confirm"));
        assertThat(driver.switchTo().activeElement()).isEqualTo(confirm);
        WebElement submit = driver.findElement(By.id("delete-submit"));
        confirm.sendKeys("wrong");
        assertThat(submit.isEnabled()).isFalse();
        confirm.clear();
        confirm.sendKeys(ws.slug());
        browser.wait.until(ExpectedConditions.elementToBeClickable(submit));
        browser.screenshot("settings-delete-dialog");

        // WHEN confirmed, THEN the browser goes to the workspace list and the workspace is gone
        submit.click();
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/workspaces/"));
        HttpResponse<String> gone = app.send("GET", ws.path(""), ws.owner().token(), null);
        assertThat(gone.statusCode()).isEqualTo(404);
    }

    private static String badgeFill() {
        return (String) browser.js().executeScript(
                "return getComputedStyle(document.querySelector('#workspace-logo .logo-bg')).fill;");
    }

    private static Path tinyPng() throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                image.setRGB(x, y, ((x + y) % 2 == 0 ? Color.ORANGE : Color.DARK_GRAY).getRGB());
            }
        }
        Path file = Files.createTempFile("logo", ".png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
