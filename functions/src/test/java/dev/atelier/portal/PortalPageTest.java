package dev.atelier.portal;

import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.WebDriver;

/**
 * What every portal page test starts from: the whole app with the built portal, and one headless
 * Chromium signed in as the test says. Test classes run one after another, each with its own.
 */
abstract class PortalPageTest {

    protected static RunningApp app;
    protected static Workspaces workspaces;
    protected static PortalBrowser browser;
    protected static WebDriver driver;

    @BeforeAll
    static void startAppAndBrowser() throws Exception {
        app = RunningApp.start();
        workspaces = new Workspaces(app);
        browser = new PortalBrowser(app);
        driver = browser.driver;
    }

    @AfterAll
    static void stopBrowserAndApp() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }
}
