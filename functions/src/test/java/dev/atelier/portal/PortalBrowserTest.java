package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in a real browser (headless Chromium) against the whole running app:
 * signing in, creating a workspace through the form, listing and opening it.
 */
class PortalBrowserTest extends PortalPageTest {

  private static String base;
  private static WebDriverWait wait;

  @BeforeAll
  static void shorthand() {
    // Runs after PortalPageTest has started the app and the browser.
    base = browser.base;
    wait = browser.wait;
  }

  @BeforeEach
  void signedOut() {
    // Every test starts signed out, on the sign-in page.
    driver.get(base + "/sign-in/");
    js().executeScript("window.localStorage.clear();");
    driver.get(base + "/sign-in/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
  }

  // ---- signing in ---------------------------------------------------------------

  @Test
  void signingInWithTheBootstrapTokenOpensTheWorkspaceList() {
    // GIVEN the sign-in page
    // WHEN the site administrator signs in with the bootstrap token
    signIn(app.bootstrapToken());

    // THEN the workspace list opens, the token is kept, and the header names the user
    assertThat(driver.getCurrentUrl()).isEqualTo(base + "/workspaces/");
    assertThat(storedToken()).isEqualTo(app.bootstrapToken());
    wait.until(d -> !d.findElement(By.id("user-name")).getText().isBlank());
  }

  @Test
  void aWrongTokenShowsTheProblemDetailAndStoresNothing() {
    // GIVEN the problem the API answers for a token it does not know
    Map<String, Object> problem = apiCall("GET", "/api/v1/me", "not-a-real-token", null);
    assertThat(problem.get("status")).isEqualTo(401L);
    String detail = (String) ((Map<?, ?>) problem.get("body")).get("detail");
    assertThat(detail).isNotBlank();

    // WHEN someone signs in with that token
    driver.findElement(By.id("token")).sendKeys("not-a-real-token");
    driver.findElement(By.id("sign-in")).click();

    // THEN the sign-in page shows the problem's detail, stays put, and keeps no token
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
    assertThat(error.getText()).isEqualTo(detail);
    assertThat(driver.getCurrentUrl()).startsWith(base + "/sign-in/");
    assertThat(storedToken()).isNull();
  }

  @Test
  void aSignedOutVisitorIsSentToSignInAndBroughtBackAfterwards() {
    // GIVEN no stored token
    // WHEN a workspace address is opened
    driver.get(base + "/some-workspace/");

    // THEN the sign-in page asks for a token, remembering the address
    wait.until(ExpectedConditions.urlContains("/sign-in/"));
    assertThat(driver.getCurrentUrl()).isEqualTo(base + "/sign-in/?next=%2Fsome-workspace%2F");

    // AND after signing in the browser returns there
    driver.findElement(By.id("token")).sendKeys(app.bootstrapToken());
    driver.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/some-workspace/"));
  }

  // ---- creating and listing workspaces ----------------------------------------------

  @Test
  void theSlugFollowsTheNameWhileTypingAndTheNewWorkspaceIsListed() {
    // GIVEN a signed-in user on the workspace list
    signIn(app.bootstrapToken());
    WebElement name = driver.findElement(By.id("workspace-name"));
    WebElement slug = driver.findElement(By.id("workspace-slug"));

    // WHEN a name is typed
    name.sendKeys("Browser Team 4");
    // THEN the slug follows each keystroke
    wait.until(ExpectedConditions.attributeToBe(slug, "value", "browser-team-4"));
    name.sendKeys("2");
    wait.until(ExpectedConditions.attributeToBe(slug, "value", "browser-team-42"));

    // WHEN the form is submitted
    driver.findElement(By.id("create-workspace-submit")).click();

    // THEN the new workspace appears in the list without a reload, linking to its address
    WebElement entry = wait.until(ExpectedConditions.visibilityOfElementLocated(entryFor("browser-team-42")));
    assertThat(entry.getText()).contains("Browser Team 42");
    assertThat(entry.findElement(By.tagName("a")).getAttribute("href")).isEqualTo(base + "/browser-team-42/");
    assertThat(driver.getCurrentUrl()).isEqualTo(base + "/workspaces/");
    // AND the form is ready for the next one
    assertThat(name.getAttribute("value")).isEmpty();
    assertThat(slug.getAttribute("value")).isEmpty();
  }

  @Test
  void aSlugEditedByHandStopsFollowingTheNameUntilItIsCleared() {
    // GIVEN a signed-in user who typed a name
    signIn(app.bootstrapToken());
    WebElement name = driver.findElement(By.id("workspace-name"));
    WebElement slug = driver.findElement(By.id("workspace-slug"));
    name.sendKeys("Café Crème");
    wait.until(ExpectedConditions.attributeToBe(slug, "value", "cafe-creme"));

    // WHEN the slug is edited by hand, the name no longer changes it
    slug.sendKeys("-team");
    name.sendKeys(" Extra");
    assertThat(slug.getAttribute("value")).isEqualTo("cafe-creme-team");

    // WHEN the slug is cleared, it follows the name again
    clear(slug);
    name.sendKeys("s");
    wait.until(ExpectedConditions.attributeToBe(slug, "value", "cafe-creme-extras"));
  }

  @Test
  void aCreatedWorkspaceIsStillListedAfterAReload() {
    // GIVEN a workspace created through the form
    signIn(app.bootstrapToken());
    createThroughForm("Reload Check Team");
    wait.until(ExpectedConditions.visibilityOfElementLocated(entryFor("reload-check-team")));

    // WHEN the page is reloaded
    driver.navigate().refresh();
    waitForListLoaded();

    // THEN the workspace is listed, coming from the server
    WebElement entry = wait.until(ExpectedConditions.visibilityOfElementLocated(entryFor("reload-check-team")));
    assertThat(entry.getText()).contains("Reload Check Team");
  }

  @Test
  void aWorkspaceOpensFromItsLinkAndShowsItsName() {
    // GIVEN a workspace created through the form
    signIn(app.bootstrapToken());
    createThroughForm("Overview Team");
    WebElement entry = wait.until(ExpectedConditions.visibilityOfElementLocated(entryFor("overview-team")));

    // WHEN its link is followed
    entry.findElement(By.tagName("a")).click();

    // THEN the overview at /<slug>/ shows its name and slug
    wait.until(ExpectedConditions.urlToBe(base + "/overview-team/"));
    WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace-title")));
    assertThat(title.getText()).isEqualTo("Overview Team");
    assertThat(driver.findElement(By.id("workspace-slug-value")).getText()).isEqualTo("overview-team");
    // AND the frame is in that workspace: header name and preselected switcher
    assertThat(driver.findElement(By.id("brand-workspace")).getText()).isEqualTo("Overview Team");
    wait.until(d -> "overview-team".equals(
        new Select(d.findElement(By.id("workspace-switcher"))).getFirstSelectedOption().getAttribute("value")));
  }

  @Test
  void anUnknownWorkspaceSaysItIsNotFound() {
    // GIVEN a signed-in user
    signIn(app.bootstrapToken());

    // WHEN an address of a workspace that does not exist is opened
    driver.get(base + "/no-such-workspace-here/");

    // THEN the page says so
    WebElement missing = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace-missing")));
    assertThat(missing.getText()).contains("Workspace not found, or you are not a member");
    assertThat(driver.findElement(By.id("workspace-overview")).isDisplayed()).isFalse();
  }

  @Test
  void aTakenSlugShowsTheConflictUnderTheSlugField() {
    // GIVEN a workspace with the slug "taken-slug-team" exists
    signIn(app.bootstrapToken());
    Map<String, Object> first = apiCall("POST", "/api/v1/workspaces", app.bootstrapToken(),
        "{\"name\":\"Taken Slug Team\",\"slug\":\"taken-slug-team\"}");
    assertThat(first.get("status")).isEqualTo(201L);
    // AND the problem the API answers for that slug taken again
    Map<String, Object> conflict = apiCall("POST", "/api/v1/workspaces", app.bootstrapToken(),
        "{\"name\":\"Other Name\",\"slug\":\"taken-slug-team\"}");
    assertThat(conflict.get("status")).isEqualTo(409L);
    String expected = slugMessage((Map<?, ?>) conflict.get("body"));

    // WHEN another workspace is submitted with that slug
    driver.navigate().refresh();
    waitForListLoaded();
    driver.findElement(By.id("workspace-name")).sendKeys("Another Team");
    WebElement slug = driver.findElement(By.id("workspace-slug"));
    clear(slug);
    slug.sendKeys("taken-slug-team");
    driver.findElement(By.id("create-workspace-submit")).click();

    // THEN the conflict is shown under the slug field, and nothing new is listed
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace-slug-error")));
    assertThat(error.getText()).isEqualTo(expected);
    assertThat(slug.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(driver.findElement(By.id("create-workspace-error")).isDisplayed()).isFalse();
    assertThat(driver.findElements(entryFor("taken-slug-team"))).hasSize(1);
    assertThat(driver.findElement(By.id("workspace-list")).getText()).doesNotContain("Another Team");
  }

  @Test
  void signingOutForgetsTheToken() {
    // GIVEN a signed-in user
    signIn(app.bootstrapToken());

    // WHEN they sign out
    driver.findElement(By.id("sign-out")).click();

    // THEN the sign-in page shows and the token is gone
    wait.until(ExpectedConditions.urlToBe(base + "/sign-in/"));
    assertThat(storedToken()).isNull();
  }

  // ---- helpers -------------------------------------------------------------------

  private static JavascriptExecutor js() {
    return (JavascriptExecutor) driver;
  }

  private static By entryFor(String slug) {
    return By.cssSelector("#workspace-list li[data-slug='" + slug + "']");
  }

  private static String storedToken() {
    return (String) js().executeScript("return window.localStorage.getItem('atelier.token');");
  }

  private static void signIn(String token) {
    driver.get(base + "/sign-in/");
    WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    input.sendKeys(token);
    driver.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/workspaces/"));
    waitForListLoaded();
  }

  private static void waitForListLoaded() {
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("workspace-list-status")));
  }

  private static void createThroughForm(String name) {
    driver.findElement(By.id("workspace-name")).sendKeys(name);
    driver.findElement(By.id("create-workspace-submit")).click();
  }

  /** Empties a text field key by key, the way a user does, so input events fire. */
  private static void clear(WebElement field) {
    while (!field.getAttribute("value").isEmpty()) {
      field.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
    }
  }

  /** What the portal shows under the slug field for this problem. */
  private static String slugMessage(Map<?, ?> problem) {
    Object errors = problem.get("errors");
    if (errors instanceof List<?> list) {
      for (Object e : list) {
        if (e instanceof Map<?, ?> m && m.get("field") != null && String.valueOf(m.get("field")).endsWith("slug")) {
          return String.valueOf(m.get("message"));
        }
      }
    }
    return String.valueOf(problem.get("detail"));
  }

  /** Calls the API from the page (same origin) and returns {status, body}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> apiCall(String method, String path, String token, String jsonBody) {
    Object result = js().executeAsyncScript(
        "const [method, path, token, body, done] = arguments;"
            + "const headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' };"
            + "if (body !== null) headers['Content-Type'] = 'application/json';"
            + "fetch(path, { method, headers, body: body === null ? undefined : body })"
            + "  .then(async (r) => { const t = await r.text(); let j = null;"
            + "    try { j = t ? JSON.parse(t) : null; } catch (e) { j = { raw: t }; }"
            + "    done({ status: r.status, body: j }); })"
            + "  .catch((e) => done({ status: -1, body: { error: String(e) } }));",
        method, path, token, jsonBody);
    return (Map<String, Object>) result;
  }
}
