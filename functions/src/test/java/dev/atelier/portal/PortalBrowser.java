package dev.atelier.portal;

import dev.atelier.testing.RunningApp;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium on the portal of a running app, with what browser tests share:
 * signing in with a token, opening workspace pages, waiting, screenshots, and the Content
 * Security Policy violations the pages reported.
 */
final class PortalBrowser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);
    /** Where screenshots of the pages go, for a person to look at. */
    static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");

    /** Where the violations of the tab are kept: its session storage outlives each page. */
    private static final String VIOLATIONS_KEY = "atelier.test.csp-violations";
    /**
     * Runs in every document before its own scripts (DevTools' scripts are not subject to the
     * page's policy): each violation is kept as "directive blocked-uri at source:line sample".
     */
    private static final String WATCH_VIOLATIONS = """
            document.addEventListener('securitypolicyviolation', (e) => {
              let seen = [];
              try { seen = JSON.parse(window.sessionStorage.getItem('%s') || '[]'); } catch (ignored) { }
              seen.push(`${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile || location.href}:${e.lineNumber} ${e.sample}`);
              window.sessionStorage.setItem('%s', JSON.stringify(seen));
            }, true);
            """.formatted(VIOLATIONS_KEY, VIOLATIONS_KEY);

    final String base;
    final WebDriver driver;
    final WebDriverWait wait;
    private final Path profileDir;

    PortalBrowser(RunningApp app) throws IOException {
        this.base = app.baseUrl();
        this.profileDir = Files.createTempDirectory("atelier-portal-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH_VIOLATIONS));
        this.driver = chrome;
        this.wait = new WebDriverWait(driver, WAIT);
    }

    JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }

    /** Forgets any token (the browser is signed out). */
    void signOut() {
        driver.get(base + "/sign-in/");
        js().executeScript("window.localStorage.clear();");
    }

    /** Signs in through the sign-in page and waits for the workspace list. */
    void signIn(String token) {
        signOut();
        driver.get(base + "/sign-in/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        driver.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/workspaces/"));
    }

    /** Opens {@code /<slug>/<page>} and waits until the page's body shows. */
    void openWorkspacePage(String slug, String page) {
        driver.get(base + "/" + slug + "/" + page);
        waitVisible(By.id("page-body"));
    }

    WebElement waitVisible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitHidden(By by) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    /** Whether the element is in the page and shown. */
    boolean shown(By by) {
        return driver.findElements(by).stream().anyMatch(WebElement::isDisplayed);
    }

    /** The Content Security Policy violations the pages in this tab reported (since the last take). */
    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        return (List<String>) js().executeScript(
                "return JSON.parse(window.sessionStorage.getItem(arguments[0]) || '[]');", VIOLATIONS_KEY);
    }

    /** As {@link #cspViolations()}, and forgets them. */
    List<String> takeCspViolations() {
        List<String> seen = cspViolations();
        js().executeScript("window.sessionStorage.removeItem(arguments[0]);", VIOLATIONS_KEY);
        return seen;
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // a missing screenshot never fails a test
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> paths = Files.walk(profileDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
