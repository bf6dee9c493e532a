package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.RunningApp.TestUser;
import dev.atelier.testing.Workspaces;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The account pages in a real browser against the whole app: personal access tokens, the
 * site administrator's users page, and signing in with a mailed link.
 */
class PortalAccountPagesTest extends PortalPageTest {

    private static final Pattern SIGN_IN_LINK = Pattern.compile("/sign-in/link/#(\\S+)");

    @Test
    void aPersonalTokenIsShownOnceWorksAndStopsWorkingWhenRevoked() {
        // GIVEN a signed-in user on the tokens page, reached from the account menu
        TestUser user = app.newUser(Workspaces.unique("tokens") + "@example.com");
        browser.signIn(user.token());
        browser.waitVisible(By.id("user-menu-toggle")).click();
        browser.waitVisible(By.id("user-menu-tokens")).click();
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/tokens/"));
        WebElement name = browser.waitVisible(By.id("token-name"));
        assertThat(browser.shown(By.id("nav-users"))).as("Users link for a non-administrator").isFalse();

        // WHEN they create a token for 7 days
        name.sendKeys("laptop CLI");
        WebElement days = driver.findElement(By.id("token-days"));
        days.clear();
        days.sendKeys("7");
        driver.findElement(By.id("token-create")).click();

        // THEN it is shown once, with the warning, and listed
        WebElement once = browser.waitVisible(By.id("token-once"));
        assertThat(once.getText()).contains("you will not see it again");
        String token = driver.findElement(By.id("token-once-value")).getAttribute("value");
        assertThat(token).startsWith("atl_" + user.id() + ".");
        WebElement row = browser.waitVisible(By.xpath("//tbody[@id='tokens-rows']/tr[.//*[text()='laptop CLI']]"));
        browser.screenshot("tokens-created");

        // AND it works against the API
        HttpResponse<String> me = app.send("GET", "/api/v1/me", token, null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(Json.object(me.body())).containsEntry("id", user.id());

        // WHEN dismissed, THEN the secret leaves the page
        driver.findElement(By.id("token-once-done")).click();
        browser.waitHidden(By.id("token-once"));
        assertThat(driver.getPageSource()).doesNotContain(token);

        // WHEN revoked in the page and confirmed
        row.findElement(By.cssSelector("button[data-revoke]")).click();
        browser.waitVisible(By.id("confirm-dialog"));
        driver.findElement(By.id("confirm-ok")).click();

        // THEN the page says so, the row is gone, and the token answers 401
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tokens-status"), "was revoked"));
        assertThat(driver.findElements(By.xpath("//tbody[@id='tokens-rows']/tr[.//*[text()='laptop CLI']]"))).isEmpty();
        assertThat(app.send("GET", "/api/v1/me", token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenLifetimeOutsideOneTo365DaysIsRefusedNextToTheField() {
        // GIVEN a signed-in user on the tokens page
        TestUser user = app.newUser(Workspaces.unique("days") + "@example.com");
        browser.signIn(user.token());
        driver.get(browser.base + "/tokens/");
        browser.waitVisible(By.id("token-name")).sendKeys("too long");
        WebElement days = driver.findElement(By.id("token-days"));
        days.clear();
        days.sendKeys("400");

        // WHEN submitted, THEN the field says why and nothing is shown
        driver.findElement(By.id("token-create")).click();
        assertThat(browser.waitVisible(By.id("token-days-error")).getText()).contains("1 to 365");
        assertThat(browser.shown(By.id("token-once"))).isFalse();
    }

    @Test
    void theSiteAdministratorCreatesAUserAndIssuesThemATokenShownOnce() {
        // GIVEN the site administrator, who sees the Users link
        browser.signIn(app.bootstrapToken());
        browser.waitVisible(By.id("nav-users")).click();
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/users/"));
        browser.waitVisible(By.id("users-body"));

        // WHEN they create a user
        String email = Workspaces.unique("newcomer") + "@example.com";
        driver.findElement(By.id("user-email-input")).sendKeys(email);
        driver.findElement(By.id("user-display-name")).sendKeys("New Comer");
        driver.findElement(By.id("user-create")).click();

        // THEN the user is listed
        assertThat(browser.waitVisible(By.id("users-status")).getText()).contains(email);
        WebElement row = browser.waitVisible(By.xpath("//tbody[@id='users-rows']/tr[.//*[text()='" + email + "']]"));

        // WHEN the same address is created again, THEN the email field says it is taken
        driver.findElement(By.id("user-email-input")).sendKeys(email);
        driver.findElement(By.id("user-display-name")).sendKeys("Twice");
        driver.findElement(By.id("user-create")).click();
        assertThat(browser.waitVisible(By.id("user-email-error")).getText()).contains("already exists");
        browser.screenshot("users");

        // WHEN they issue the user a token
        row.findElement(By.cssSelector("button[data-issue]")).click();
        browser.waitVisible(By.id("issue-dialog"));
        browser.waitVisible(By.id("issue-name")).sendKeys("first sign-in");
        driver.findElement(By.id("issue-submit")).click();

        // THEN it is shown once, and it signs the new user in
        WebElement once = browser.waitVisible(By.id("issued-once"));
        assertThat(once.getText()).contains("you will not see it again");
        String token = driver.findElement(By.id("issued-once-value")).getAttribute("value");
        browser.screenshot("users-token-issued");
        HttpResponse<String> me = app.send("GET", "/api/v1/me", token, null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(Json.object(me.body())).containsEntry("email", email).containsEntry("siteAdmin", false);

        // AND closing the dialog forgets it
        driver.findElement(By.id("issued-once-done")).click();
        browser.waitHidden(By.id("issue-dialog"));
        assertThat(driver.getPageSource()).doesNotContain(token);
    }

    @Test
    void aUserWhoIsNotASiteAdministratorIsRefusedTheUsersPage() {
        TestUser user = app.newUser(Workspaces.unique("plain") + "@example.com");
        browser.signIn(user.token());
        driver.get(browser.base + "/users/");
        assertThat(browser.waitVisible(By.id("users-refused")).getText()).contains("Site administrators only");
        assertThat(browser.shown(By.id("users-body"))).isFalse();
    }

    @Test
    void aMailedSignInLinkSignsTheUserInOnce() {
        // GIVEN a user of the site directory (created through the API, so their address is known),
        // signed out, on the sign-in page
        String email = Workspaces.unique("linked") + "@example.com";
        HttpResponse<String> created = app.send("POST", "/api/v1/users", app.bootstrapToken(),
                Json.write(java.util.Map.of("email", email, "displayName", "Linked User")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        TestUser user = new TestUser((String) Json.object(created.body()).get("id"), email, null);
        browser.signOut();
        driver.get(browser.base + "/sign-in/");

        // WHEN they ask for a link
        browser.waitVisible(By.id("link-email")).sendKeys(user.email());
        driver.findElement(By.id("link-submit")).click();

        // THEN the page answers neutrally, and the mail holds the link
        assertThat(browser.waitVisible(By.id("link-sent")).getText()).contains("If " + user.email() + " belongs to an account");
        browser.screenshot("sign-in");
        browser.wait.until(d -> !app.mailTo(user.email()).isEmpty());
        List<String> mails = app.mailTo(user.email());
        Matcher link = SIGN_IN_LINK.matcher(mails.get(mails.size() - 1));
        assertThat(link.find()).isTrue();
        String linkPath = "/sign-in/link/#" + link.group(1);

        // WHEN they open it
        driver.get(browser.base + linkPath);

        // THEN they land signed in on their workspaces
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/workspaces/"));
        browser.wait.until(ExpectedConditions.textToBe(By.id("user-name"), "Linked User"));
        String stored = (String) browser.js().executeScript("return window.localStorage.getItem('atelier.token');");
        assertThat(app.send("GET", "/api/v1/me", stored, null).statusCode()).isEqualTo(200);

        // WHEN the same link is opened again, signed out
        browser.signOut();
        driver.get(browser.base + linkPath);

        // THEN it is refused, with a way to ask for another
        assertThat(browser.waitVisible(By.id("link-failed")).getText()).contains("This link was used or has expired");
        assertThat(driver.findElement(By.id("link-again")).getAttribute("href")).isEqualTo(browser.base + "/sign-in/");
        assertThat(driver.getCurrentUrl()).isEqualTo(browser.base + "/sign-in/link/");
        browser.screenshot("sign-in-link-used");
    }

    @Test
    void anAddressWithoutAnAccountGetsTheSameAnswerAndNoMail() {
        String email = Workspaces.unique("nobody") + "@example.com";
        browser.signOut();
        driver.get(browser.base + "/sign-in/");
        browser.waitVisible(By.id("link-email")).sendKeys(email);
        driver.findElement(By.id("link-submit")).click();
        assertThat(browser.waitVisible(By.id("link-sent")).getText()).contains("If " + email + " belongs to an account");
        assertThat(app.mailTo(email)).isEmpty();
    }
}
