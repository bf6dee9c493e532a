package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.WebDriver;

/**
 * What every portal page test starts from: the whole app with the built portal (with the class's
 * {@link AppProperties}, if any), and one headless Chromium signed in as the test says. Test
 * classes run one after another, each with its own. Whatever a test does, the pages it went
 * through must keep to the portal's Content Security Policy.
 */
abstract class PortalPageTest {

    protected static RunningApp app;
    protected static Workspaces workspaces;
    protected static PortalBrowser browser;
    protected static WebDriver driver;

    @BeforeAll
    static void startAppAndBrowser(TestInfo info) throws Exception {
        Map<String, Object> properties = new HashMap<>();
        AppProperties given = info.getTestClass().map(c -> c.getAnnotation(AppProperties.class)).orElse(null);
        for (String property : given == null ? new String[0] : given.value()) {
            int eq = property.indexOf('=');
            properties.put(property.substring(0, eq), property.substring(eq + 1));
        }
        app = RunningApp.start(properties);
        workspaces = new Workspaces(app);
        browser = new PortalBrowser(app);
        driver = browser.driver;
    }

    @AfterEach
    void thePagesKeptToTheContentSecurityPolicy() {
        assertThat(browser.takeCspViolations()).as("Content Security Policy violations").isEmpty();
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
