package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.AppUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.WebDriver;

/**
 * What every portal page test starts from: the whole app with the built portal (with the class's
 * {@link dev.atelier.testing.AppProperties}, if any), and one headless Chromium signed in as the
 * test says. Whatever a test does, the pages it went through must keep to the portal's Content
 * Security Policy.
 */
abstract class PortalPageTest extends AppUnderTest {

    protected static PortalBrowser browser;
    protected static WebDriver driver;

    /** After the app: it runs once the application has started. */
    @BeforeAll
    static void startBrowser() throws Exception {
        browser = new PortalBrowser(app);
        driver = browser.driver;
    }

    @AfterEach
    void thePagesKeptToTheContentSecurityPolicy() {
        assertThat(browser.takeCspViolations()).as("Content Security Policy violations").isEmpty();
    }

    /** Before the app: it runs before the application stops. */
    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
