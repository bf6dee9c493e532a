package dev.atelier.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * A test class against one application, started once for the class on the local AWS engine (with
 * the class's {@link AppProperties}, if any) and reached over real HTTP, with {@link Workspaces}
 * to set up workspaces through it. Test classes run one after another, each with its own.
 */
public abstract class AppUnderTest {

    protected static RunningApp app;
    protected static Workspaces workspaces;

    @BeforeAll
    static void startApplication(TestInfo info) {
        Map<String, Object> properties = new HashMap<>();
        AppProperties given = info.getTestClass().map(c -> c.getAnnotation(AppProperties.class)).orElse(null);
        for (String property : given == null ? new String[0] : given.value()) {
            int eq = property.indexOf('=');
            properties.put(property.substring(0, eq), property.substring(eq + 1));
        }
        app = RunningApp.start(properties);
        workspaces = new Workspaces(app);
    }

    @AfterAll
    static void stopApplication() {
        if (app != null) {
            app.close();
            app = null;
        }
    }
}
