package dev.atelier.workstation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atelier.testing.ApiAssertions;
import dev.atelier.testing.Json;
import dev.atelier.testing.Plants;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connecting to a workstation: the answer per OS (Session Manager port forwarding to DCV or RDP,
 * ready to run), only while it runs, only for who may connect, and the session's token nowhere
 * but in the answer. Session Manager's StartSession is the local stand-in's.
 */
class WorkstationConnectTest {

    static final String INSTANCE = "i-0123456789abcdef0";
    private static final Pattern TOKEN = Pattern.compile("\"TokenValue\":\"([^\"]+)\"");

    private static RunningApp app;
    private static Workspaces workspaces;
    private Workspaces.Workspace ws;
    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
        workspaces = new Workspaces(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void workspace() {
        ws = workspaces.create();
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.atelier")).setLevel(Level.DEBUG);
        ((Logger) LoggerFactory.getLogger("software.amazon.awssdk")).setLevel(Level.DEBUG);
    }

    @AfterEach
    void detach() {
        root().detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.atelier")).setLevel(null);
        ((Logger) LoggerFactory.getLogger("software.amazon.awssdk")).setLevel(null);
    }

    @Test
    void connect_shouldAnswerADcvTunnelToLocalhost_whenLinuxWorkstationRuns() {
        // GIVEN a running Linux workstation
        String id = plant("linux", null, "running");
        // WHEN its launcher connects
        HttpResponse<String> response = connect(id, ws.owner().token());
        // THEN a DCV URL on localhost, the plugin command forwarding port 8443 of its instance to that port, soon expiring
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> c = Json.object(response.body());
        assertThat(c.get("protocol")).isEqualTo("dcv");
        String port = ((String) c.get("url")).replaceFirst("^https://localhost:", "");
        assertThat(port).matches("\\d{5}");
        assertThat(c.get("file")).isNull();
        String command = (String) c.get("command");
        assertThat(command).startsWith("session-manager-plugin '{\"SessionId\":\"")
                .contains("StartSession")
                .contains("\"Target\":\"" + INSTANCE + "\"")
                .contains("\"DocumentName\":\"AWS-StartPortForwardingSession\"")
                .contains("\"portNumber\":[\"8443\"]")
                .contains("\"localPortNumber\":[\"" + port + "\"]")
                .contains("\"StreamUrl\":\"wss://");
        assertThat(TOKEN.matcher(command).find()).isTrue();
        Instant expiresAt = Instant.parse((String) c.get("expiresAt"));
        assertThat(expiresAt).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofMinutes(2)));
    }

    @Test
    void connect_shouldAnswerAnRdpFileForTheForwardedPort_whenWindowsWorkstationRuns() {
        // GIVEN a running Windows workstation
        String id = plant("windows", null, "running");
        // WHEN its launcher connects
        HttpResponse<String> response = connect(id, ws.owner().token());
        // THEN an .rdp file pointing at the local end of a tunnel to port 3389, no URL
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> c = Json.object(response.body());
        assertThat(c.get("protocol")).isEqualTo("rdp");
        assertThat(c.get("url")).isNull();
        Matcher address = Pattern.compile("full address:s:localhost:(\\d+)").matcher((String) c.get("file"));
        assertThat(address.find()).isTrue();
        assertThat((String) c.get("command")).contains("\"portNumber\":[\"3389\"]")
                .contains("\"localPortNumber\":[\"" + address.group(1) + "\"]");
    }

    @Test
    void connect_shouldRefuseNamingTheStatus_whenWorkstationDoesNotRun() {
        // GIVEN a stopped workstation
        String id = plant("linux", null, "stopped");
        // WHEN its launcher connects
        HttpResponse<String> response = connect(id, ws.owner().token());
        // THEN 409 naming the status, and no connection recorded
        ApiAssertions.assertProblem(response, 409);
        assertThat(response.body()).contains("stopped");
        assertThat(workspaces.audit(ws.slug())).noneMatch(e -> e.action().equals("workstation.connect"));
    }

    @Test
    void connect_shouldAnswer404_whenMemberHasNoGrantOnTheWorkstation() {
        // GIVEN a member who may connect to workstations but holds no grant on this one
        String id = plant("linux", null, "running");
        RunningApp.TestUser member = workspaces.member(ws, "workstations.view", "workstations.connect");
        // WHEN they connect THEN 404: they cannot see it
        ApiAssertions.assertProblem(connect(id, member.token()), 404);
    }

    @Test
    void connect_shouldAnswer403_whenMemberWithGrantLacksTheConnectAction() {
        // GIVEN a member granted full on the workstation, who may view but not connect to workstations
        String id = plant("linux", null, "running");
        RunningApp.TestUser member = workspaces.member(ws, "workstations.view");
        grantFull(id, member);
        // WHEN they connect THEN 403
        ApiAssertions.assertProblem(connect(id, member.token()), 403);
    }

    @Test
    void connect_shouldSucceed_whenMemberWithGrantHoldsTheConnectAction() {
        // GIVEN a member granted full on the workstation, who may connect to workstations
        String id = plant("linux", null, "running");
        RunningApp.TestUser member = workspaces.member(ws, "workstations.view", "workstations.connect");
        grantFull(id, member);
        // WHEN they connect THEN 200
        HttpResponse<String> response = connect(id, member.token());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void connect_shouldKeepTheTokenOutOfLogsAuditAndItems_whileAuditingTheSession() {
        // GIVEN a running workstation
        String id = plant("linux", null, "running");
        // WHEN its launcher connects
        HttpResponse<String> response = connect(id, ws.owner().token());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher token = TOKEN.matcher(response.body().replace("\\\"", "\""));
        assertThat(token.find()).isTrue();
        String secret = token.group(1);
        // THEN the connect is audited with its session, without the token
        List<dev.atelier.audit.AuditLog.Entry> audit = workspaces.audit(ws.slug());
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("workstation.connect");
            assertThat(e.target()).isEqualTo("workstation:" + id);
            assertThat(Json.write(e.after())).contains("sessionId");
        });
        assertThat(Json.write(audit)).doesNotContain(secret);
        // AND no logged line and no stored item holds it
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(secret)
                || e.getThrowableProxy() != null && e.getThrowableProxy().getMessage() != null
                && e.getThrowableProxy().getMessage().contains(secret));
        assertThat(app.context().getBean(DynamoDbClient.class).scan(r -> r.tableName(app.tableName())).items()
                .toString()).doesNotContain(secret);
    }

    private HttpResponse<String> connect(String id, String token) {
        return app.send("POST", ws.path("/workstations/" + id + "/connect"), token, null);
    }

    private void grantFull(String id, RunningApp.TestUser member) {
        HttpResponse<String> granted = app.send("PUT", ws.path("/workstations/" + id + "/grants"), ws.owner().token(),
                Json.write(List.of(Map.of("principal", "user:" + member.id(), "preset", "full"))));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
    }

    /** A workstation of the owner planted in {@code status}, on {@code os}, with a GPU when {@code gpuType}. */
    private String plant(String os, String gpuType, String status) {
        return plantWorkstation(app, ws, os, gpuType, status);
    }

    static String plantWorkstation(RunningApp app, Workspaces.Workspace ws, String os, String gpuType, String status) {
        String id = UUID.randomUUID().toString();
        String now = Instant.now().toString();
        WorkstationItem w = new WorkstationItem(ws.slug(), id, "planted", UUID.randomUUID().toString(), 1, null,
                Plants.AMI, gpuType == null ? "t3.large" : "g5.xlarge", os, gpuType, gpuType == null ? 0 : 1,
                WorkstationStatus.of(status), null, ws.owner().id(), now, now, INSTANCE, "us-east-1a",
                "vol-0123456789abcdef0", INSTANCE, List.of(), null, now, 0, 1, List.of(), null);
        Map<String, AttributeValue> item = new HashMap<>(w.toItem(true));
        // Planted instances do not exist: they stay out of the index EC2's events are matched through.
        item.remove("GSI1PK");
        item.remove("GSI1SK");
        app.context().getBean(DynamoDbClient.class).putItem(r -> r.tableName(app.tableName()).item(item));
        return id;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
