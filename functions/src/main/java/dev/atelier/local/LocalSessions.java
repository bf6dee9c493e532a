package dev.atelier.local;

import dev.atelier.workstation.Sessions;
import dev.atelier.workstation.ssm.SsmSessions;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * {@link Sessions} where the local engine has Session Manager's documents and parameters but no
 * StartSession: answers a session shaped like Session Manager's (a random id and token, a
 * {@code wss://} stream URL on localhost that nothing serves). Nothing can be forwarded locally;
 * the rest of connecting — access, status, the answer's shape, the audit — runs as in AWS.
 */
@Singleton
@Replaces(SsmSessions.class)
@Requires(env = "local")
public class LocalSessions implements Sessions {

    /** The discard port: nothing listens there for a stream. */
    private static final int NOTHING_SERVES = 9;
    private final SecureRandom random = new SecureRandom();
    private final String region;
    private final String endpoint;

    public LocalSessions(SsmClient ssm) {
        this.region = ssm.serviceClientConfiguration().region().id();
        this.endpoint = ssm.serviceClientConfiguration().endpointOverride().map(URI::toString)
                .orElse("https://ssm." + region + ".amazonaws.com");
    }

    @Override
    public Session startPortForwarding(String instanceId, int remotePort, int localPort) {
        byte[] id = new byte[9];
        byte[] token = new byte[96];
        random.nextBytes(id);
        random.nextBytes(token);
        String sessionId = "atelier-" + HexFormat.of().formatHex(id).substring(0, 17);
        return new Session(sessionId,
                "wss://localhost:" + NOTHING_SERVES + "/v1/data-channel/" + sessionId + "?role=publish_subscribe",
                Base64.getEncoder().encodeToString(token), region, endpoint);
    }
}
