package dev.atelier.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.RunningApp.TestUser;
import dev.atelier.testing.Workspaces;
import dev.atelier.testing.Workspaces.Workspace;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The workspace's access pages in a real browser against the whole app: members and
 * invitations, the permissions dialog, grants and final permissions, groups, the audit log.
 */
class PortalAccessPagesTest extends PortalPageTest {

    private static final Pattern INVITATION_LINK = Pattern.compile("/invitations/#(ati_\\S+)");

    // ---- members, invitations, the permissions dialog --------------------------------

    @Test
    void anInvitedUserJoinsThroughTheLinkAndSeesExactlyTheActionTheOwnerGrants() {
        // GIVEN a workspace, its owner on the members page, and a user not yet a member
        Workspace ws = workspaces.create();
        TestUser invitee = app.newUser(Workspaces.unique("invitee") + "@example.com");
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "members/");

        // WHEN the owner invites the user through the form
        driver.findElement(By.id("invite-email")).sendKeys(invitee.email());
        driver.findElement(By.id("invite-submit")).click();

        // THEN the page confirms, and the invitation is listed as pending
        assertThat(browser.waitVisible(By.id("invite-status")).getText()).contains(invitee.email());
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("invitations-list"), invitee.email()));
        browser.screenshot("members-owner");

        // WHEN the invitee, signed out, opens the mailed link
        String token = invitationToken(invitee.email());
        browser.signOut();
        driver.get(browser.base + "/invitations/#" + token);

        // THEN the sign-in page asks for a token and keeps the link, fragment included
        browser.wait.until(ExpectedConditions.urlContains("/sign-in/"));
        assertThat(driver.getCurrentUrl()).isEqualTo(browser.base + "/sign-in/?next="
                + URLEncoder.encode("/invitations/#" + token, StandardCharsets.UTF_8));
        browser.waitVisible(By.id("token")).sendKeys(invitee.token());
        driver.findElement(By.id("sign-in")).click();

        // AND after signing in the invitation page names the workspace
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/invitations/#" + token));
        assertThat(browser.waitVisible(By.id("invitation-slug")).getText()).isEqualTo(ws.slug());
        browser.wait.until(ExpectedConditions.textToBe(By.id("invitation-me"), invitee.email()));
        browser.screenshot("invitation");

        // WHEN they accept, THEN they land in the workspace
        driver.findElement(By.id("accept-invitation")).click();
        browser.wait.until(ExpectedConditions.urlToBe(browser.base + "/" + ws.slug() + "/"));
        browser.waitVisible(By.id("workspace-title"));

        // WHEN the owner grants logs.view in the member's permissions dialog
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "members/");
        WebElement open = browser.waitVisible(By.cssSelector("button[data-permissions='" + invitee.id() + "']"));
        open.click();
        WebElement dialog = browser.waitVisible(By.id("permissions-dialog"));
        assertThat(dialog.findElements(By.cssSelector("input[type=checkbox]:checked"))).isEmpty();
        assertThat(dialog.getText()).contains("Allowed resources");
        browser.screenshot("members-permissions-dialog");
        driver.findElement(By.id("action-logs-view")).click();
        driver.findElement(By.id("permissions-save")).click();
        browser.waitHidden(By.id("permissions-dialog"));
        assertThat(actionChips(invitee.id())).containsExactly("logs.view");

        // THEN the member's own members view shows exactly that action, and no management
        browser.signIn(invitee.token());
        browser.openWorkspacePage(ws.slug(), "members/");
        browser.waitVisible(memberRow(invitee.id()));
        assertThat(actionChips(invitee.id())).containsExactly("logs.view");
        assertThat(browser.shown(By.id("invite-panel"))).isFalse();
        assertThat(driver.findElements(By.cssSelector("button[data-permissions]"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("button[data-remove]"))).isEmpty();
        assertThat(browser.shown(By.id("leave-workspace"))).isTrue();
        browser.screenshot("members-member");
    }

    @Test
    void aMemberChangedByAnotherHandBetweenOpeningAndSavingIsReloadedWithANotice() {
        // GIVEN a member, and the owner with the member's permissions dialog open
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws);
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "members/");
        browser.waitVisible(By.cssSelector("button[data-permissions='" + member.id() + "']")).click();
        browser.waitVisible(By.id("permissions-dialog"));
        driver.findElement(By.id("action-logs-view")).click();

        // WHEN someone else changes the member's actions meanwhile
        HttpResponse<String> other = app.send("PUT", ws.path("/members/" + member.id() + "/actions"),
                ws.owner().token(), Json.write(Map.of("actions", List.of("ide.open"))));
        assertThat(other.statusCode()).isEqualTo(200);
        // AND the dialog is saved
        driver.findElement(By.id("permissions-save")).click();

        // THEN the dialog says so and shows the member as they are now
        WebElement conflict = browser.waitVisible(By.id("permissions-conflict"));
        assertThat(conflict.getText()).contains("changed by someone else — reloaded");
        browser.wait.until(ExpectedConditions.elementToBeSelected(By.id("action-ide-open")));
        assertThat(driver.findElement(By.id("action-logs-view")).isSelected()).isFalse();
        assertThat(actionChips(member.id())).containsExactly("ide.open");
        browser.screenshot("members-conflict");

        // AND saving again (with the fresh ETag) works
        driver.findElement(By.id("action-logs-view")).click();
        driver.findElement(By.id("permissions-save")).click();
        browser.waitHidden(By.id("permissions-dialog"));
        Map<String, Object> stored = Json.object(app.send("GET", ws.path("/members/" + member.id()),
                ws.owner().token(), null).body());
        assertThat(new HashSet<Object>((List<?>) stored.get("actions"))).containsExactlyInAnyOrder((Object) "ide.open", "logs.view");
    }

    // ---- grants and final permissions ---------------------------------------------------

    @Test
    void grantsSavedOnThePermissionsPageShowTheFinalPermissionsTheApiAnswers() {
        // GIVEN a member in a group, and a definition
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws);
        String groupId = workspaces.group(ws, "Builders", member);
        app.plantResource(ws.slug(), "definition", "def-1", null);
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "permissions/?resource=definition:def-1");
        browser.waitVisible(By.id("grants-empty"));

        // WHEN the owner grants the member "viewer" and the group "editor" and saves
        new Select(driver.findElement(By.id("add-user-select"))).selectByValue("user:" + member.id());
        driver.findElement(By.id("add-user")).click();
        new Select(grantRow("user:" + member.id()).findElement(By.cssSelector("select[data-preset]"))).selectByValue("viewer");
        new Select(driver.findElement(By.id("add-group-select"))).selectByValue("group:" + groupId);
        driver.findElement(By.id("add-group")).click();
        new Select(grantRow("group:" + groupId).findElement(By.cssSelector("select[data-preset]"))).selectByValue("editor");
        assertThat(checkedLevels("group:" + groupId)).containsExactly("read", "write", "operate", "access");
        driver.findElement(By.id("grants-save")).click();

        // THEN the grants are stored
        browser.wait.until(ExpectedConditions.textToBe(By.id("grants-status"), "Grants saved."));
        HttpResponse<String> stored = app.send("GET", ws.path("/definitions/def-1/grants"), ws.owner().token(), null);
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(grantLevels(stored.body())).isEqualTo(Map.of(
                "user:" + member.id(), Set.of("read"),
                "group:" + groupId, Set.of("read", "write", "operate", "access")));

        // WHEN "Final permissions for" the member is chosen
        new Select(driver.findElement(By.id("effective-principal"))).selectByValue("user:" + member.id());
        browser.waitVisible(By.id("effective-result"));

        // THEN the page shows exactly the levels and reasons the API answers
        Map<String, Object> effective = Json.object(app.send("GET", ws.path("/effective-permissions?principal=user:"
                + member.id() + "&resource=definition:def-1"), ws.owner().token(), null).body());
        Set<String> apiLevels = new HashSet<>();
        ((List<?>) effective.get("levels")).forEach(l -> apiLevels.add((String) l));
        Set<String> apiReasons = new HashSet<>();
        for (Object r : (List<?>) effective.get("reasons")) {
            Map<?, ?> reason = (Map<?, ?>) r;
            apiReasons.add(reason.get("level") + " " + reason.get("source"));
        }
        assertThat(apiReasons).contains("read grant", "write group:Builders");
        Set<String> pageLevels = new HashSet<>();
        driver.findElements(By.cssSelector("#effective-levels [data-level]"))
                .forEach(e -> pageLevels.add(e.getAttribute("data-level")));
        Set<String> pageReasons = new HashSet<>();
        driver.findElements(By.cssSelector("#effective-reasons li[data-level]"))
                .forEach(e -> pageReasons.add(e.getAttribute("data-level") + " " + e.getAttribute("data-source")));
        assertThat(pageLevels).isEqualTo(apiLevels);
        assertThat(pageReasons).isEqualTo(apiReasons);
        assertThat(driver.findElement(By.id("effective-reasons")).getText()).contains("member of the group “Builders”");
        browser.screenshot("permissions-owner");

        // WHEN the member reads the grants: allowed, through the API and on the page
        assertThat(app.send("GET", ws.path("/definitions/def-1/grants"), member.token(), null).statusCode())
                .isEqualTo(200);
        browser.signIn(member.token());
        browser.openWorkspacePage(ws.slug(), "permissions/?resource=definition:def-1");
        assertThat(grantRow("user:" + member.id()).getText()).contains(member.email());
        // AND tries to save: refused, Save disabled, nothing changed
        driver.findElement(By.id("grants-save")).click();
        WebElement refused = browser.waitVisible(By.id("grants-error"));
        assertThat(refused.getText()).contains("may not change them");
        assertThat(driver.findElement(By.id("grants-save")).isEnabled()).isFalse();
        assertThat(grantLevels(app.send("GET", ws.path("/definitions/def-1/grants"), ws.owner().token(), null).body()))
                .hasSize(2);
        browser.screenshot("permissions-member");
    }

    // ---- groups ----------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void aGroupIsCreatedGivenMembersAndATakenNameIsShownUnderTheField() {
        // GIVEN a workspace with a member, the owner on the groups page
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws);
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "groups/");

        // WHEN a group is created
        driver.findElement(By.id("group-name")).sendKeys("Data Science");
        driver.findElement(By.id("create-group-submit")).click();
        WebElement row = browser.waitVisible(By.xpath("//tbody[@id='groups-rows']/tr[contains(., 'Data Science')]"));
        String groupId = row.getAttribute("data-group-id");

        // AND the same name again: the conflict shows under the field
        driver.findElement(By.id("group-name")).sendKeys("data science");
        driver.findElement(By.id("create-group-submit")).click();
        assertThat(browser.waitVisible(By.id("group-name-error")).getText()).isNotBlank();
        assertThat(driver.findElement(By.id("group-name")).getAttribute("aria-invalid")).isEqualTo("true");

        // WHEN the member is added to the group
        driver.findElement(By.cssSelector("button[data-edit='" + groupId + "']")).click();
        browser.waitVisible(By.id("group-dialog"));
        driver.findElement(By.cssSelector("#group-member-checks input[value='" + member.id() + "']")).click();
        browser.screenshot("groups-dialog");
        driver.findElement(By.id("group-save")).click();
        browser.waitHidden(By.id("group-dialog"));

        // THEN the row lists them, as the API does
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-group-id='" + groupId + "']"), member.email()));
        Map<String, Object> group = Json.object(app.send("GET", ws.path("/groups/" + groupId), ws.owner().token(), null).body());
        assertThat((List<Object>) group.get("userIds")).containsExactly(member.id());
        browser.screenshot("groups");
    }

    // ---- the audit log -----------------------------------------------------------------------

    @Test
    void theAuditLogListsTheChangesForTheOwnerAndRefusesAMember() {
        // GIVEN a workspace where a member joined and got an action
        Workspace ws = workspaces.create();
        TestUser member = workspaces.member(ws, "logs.view");

        // WHEN the owner opens the audit log
        browser.signIn(ws.owner().token());
        browser.openWorkspacePage(ws.slug(), "audit/");

        // THEN the changes are listed, newest first, as the API has them
        List<Map<String, Object>> entries = Json.items(app.send("GET", ws.path("/audit"), ws.owner().token(), null).body());
        List<String> apiActions = entries.stream().map(e -> (String) e.get("action")).toList();
        assertThat(apiActions).contains("member.actions", "invitation.accept", "invitation.create", "workspace.create");
        browser.wait.until(d -> auditActions().size() == apiActions.size());
        assertThat(auditActions()).isEqualTo(apiActions);
        WebElement first = driver.findElement(By.cssSelector("#audit-rows tr[data-action='member.actions']"));
        assertThat(first.getText()).contains(ws.owner().email()).contains("member:" + member.id());

        // AND an entry expands to its before/after
        first.findElement(By.tagName("button")).click();
        WebElement details = browser.waitVisible(By.cssSelector("#audit-rows tr.audit-details"));
        assertThat(details.getText()).contains("logs.view");
        assertThat(first.findElement(By.tagName("button")).getAttribute("aria-expanded")).isEqualTo("true");
        browser.screenshot("audit-owner");

        // WHEN the member opens it, THEN they are refused
        browser.signIn(member.token());
        driver.get(browser.base + "/" + ws.slug() + "/audit/");
        assertThat(browser.waitVisible(By.id("audit-refused")).getText())
                .contains("Only the owner can read the audit log");
        assertThat(browser.shown(By.id("page-body"))).isFalse();
        browser.screenshot("audit-member");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static String invitationToken(String email) {
        List<String> mails = app.mailTo(email.toLowerCase());
        assertThat(mails).isNotEmpty();
        Matcher link = INVITATION_LINK.matcher(mails.get(mails.size() - 1));
        assertThat(link.find()).isTrue();
        return link.group(1);
    }

    private static By memberRow(String userId) {
        return By.cssSelector("#members-rows tr[data-user-id='" + userId + "']");
    }

    private static List<String> actionChips(String userId) {
        return driver.findElement(memberRow(userId)).findElements(By.cssSelector("[data-action]")).stream()
                .map(e -> e.getAttribute("data-action")).toList();
    }

    private static WebElement grantRow(String principal) {
        return browser.waitVisible(By.cssSelector("#grants-rows tr[data-principal='" + principal + "']"));
    }

    private static List<String> checkedLevels(String principal) {
        return grantRow(principal).findElements(By.cssSelector("input[data-level]")).stream()
                .filter(WebElement::isSelected).map(e -> e.getAttribute("data-level")).toList();
    }

    private static List<String> auditActions() {
        return driver.findElements(By.cssSelector("#audit-rows tr[data-action]")).stream()
                .map(e -> e.getAttribute("data-action")).toList();
    }

    /** principal → levels, from a grants answer (a JSON array). */
    private static Map<String, Set<String>> grantLevels(String json) {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        for (Object g : (List<?>) Json.object("{\"grants\":" + json + "}").get("grants")) {
            Map<?, ?> grant = (Map<?, ?>) g;
            Set<String> levels = new HashSet<>();
            ((List<?>) grant.get("levels")).forEach(l -> levels.add((String) l));
            out.put((String) grant.get("principal"), levels);
        }
        return out;
    }
}
