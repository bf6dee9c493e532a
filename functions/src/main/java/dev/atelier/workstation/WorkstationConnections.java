package dev.atelier.workstation;

import dev.atelier.access.Operation;
import dev.atelier.audit.AuditLog;
import dev.atelier.facts.RequestFacts;
import dev.atelier.store.Table;
import dev.atelier.web.ApiException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connecting to a running workstation: a Session Manager session forwarding its desktop port
 * (Amazon DCV on Linux, RDP on Windows) to the person's machine. Nothing listens on the internet;
 * the session opens this one instance's one port, for whoever holds its token, which must be used
 * within moments. The token is in the answer only: the audit entry names the session, not it.
 */
@Singleton
public class WorkstationConnections {

    /** Amazon DCV's port on a Linux workstation, and RDP's on a Windows one. */
    static final int DCV_PORT = 8443;
    static final int RDP_PORT = 3389;
    /**
     * How long the answer is usable. Session Manager documents its token as "valid only long
     * enough to ensure the connection is successful", with no figure: a minute, to start the
     * client right away.
     */
    static final Duration VALIDITY = Duration.ofSeconds(60);
    /** Local ports are chosen per workstation in [FIRST_LOCAL_PORT, FIRST_LOCAL_PORT + LOCAL_PORTS). */
    static final int FIRST_LOCAL_PORT = 40000;
    static final int LOCAL_PORTS = 10000;

    private final Sessions sessions;
    private final Table table;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    public WorkstationConnections(Sessions sessions, Table table, AuditLog audit, JsonMapper json, Clock clock) {
        this.sessions = sessions;
        this.table = table;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Starts a session to the workstation and answers how to use it; one write (the audit entry).
     *
     * @throws ApiException 409 naming the status when the workstation does not run, or when its
     *                      agent is not reachable yet
     */
    public WorkstationConnection connect(RequestFacts facts) {
        facts.requireOnResource(Operation.WORKSTATION_CONNECT);
        WorkstationItem w = WorkstationItem.of(facts.resource().item());
        if (w.status() != WorkstationStatus.RUNNING || w.instanceId() == null) {
            throw ApiException.conflict(null, "Cannot connect to workstation '" + w.name() + "': it is "
                    + w.status().wireName() + "; connect once it runs");
        }
        boolean windows = "windows".equals(w.os());
        int remotePort = windows ? RDP_PORT : DCV_PORT;
        int localPort = localPort(w.id());
        Sessions.Session session;
        try {
            session = sessions.startPortForwarding(w.instanceId(), remotePort, localPort);
        } catch (Sessions.NotReachableException e) {
            throw ApiException.conflict(null, "Cannot connect to workstation '" + w.name()
                    + "': it is not reachable yet (its agent is still starting); try again in a minute");
        }
        String expiresAt = clock.instant().plus(VALIDITY).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> audited = new LinkedHashMap<>();
        audited.put("protocol", windows ? "rdp" : "dcv");
        audited.put("sessionId", session.sessionId());
        audited.put("localPort", localPort);
        table.put(audit.entry(w.slug(), facts.caller().userId(), "workstation.connect", "workstation:" + w.id(),
                null, audited).writeItem().put().item(), null);
        String command = command(session, w.instanceId(), remotePort, localPort);
        return windows
                ? new WorkstationConnection("rdp", null, rdpFile(localPort), command, expiresAt)
                : new WorkstationConnection("dcv", "https://localhost:" + localPort, null, command, expiresAt);
    }

    /** A port per workstation, the same each time: bookmarks and saved files keep working. */
    static int localPort(String workstationId) {
        return FIRST_LOCAL_PORT + Math.floorMod(workstationId.hashCode(), LOCAL_PORTS);
    }

    /**
     * The {@code session-manager-plugin} call the AWS CLI makes after StartSession: the session,
     * the Region, the operation, a profile (none: the token is the credential), the request and
     * the endpoint.
     */
    private String command(Sessions.Session session, String instanceId, int remotePort, int localPort) {
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("SessionId", session.sessionId());
        started.put("TokenValue", session.token());
        started.put("StreamUrl", session.streamUrl());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("Target", instanceId);
        request.put("DocumentName", Sessions.PORT_FORWARDING_DOCUMENT);
        request.put("Parameters", Map.of("portNumber", List.of(Integer.toString(remotePort)),
                "localPortNumber", List.of(Integer.toString(localPort))));
        return "session-manager-plugin " + quoted(write(started)) + " " + session.region() + " StartSession '' "
                + quoted(write(request)) + " " + session.endpoint();
    }

    /** An .rdp file for the forwarded port; credentials are asked for by the client. */
    static String rdpFile(int localPort) {
        return "full address:s:localhost:" + localPort + "\r\n"
                + "prompt for credentials:i:1\r\n"
                + "administrative session:i:0\r\n"
                + "authentication level:i:2\r\n";
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
