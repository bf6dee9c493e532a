package dev.atelier.workstation.ssm;

import io.micronaut.context.annotation.Requires;
import dev.atelier.workstation.Sessions;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;
import software.amazon.awssdk.services.ssm.model.StartSessionResponse;
import software.amazon.awssdk.services.ssm.model.TargetNotConnectedException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** {@link Sessions} on Session Manager through the SDK. */
@Singleton
@Requires(classes = SsmClient.class)
public class SsmSessions implements Sessions {

    private final SsmClient ssm;

    public SsmSessions(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public Session startPortForwarding(String instanceId, int remotePort, int localPort) {
        StartSessionResponse started;
        try {
            started = ssm.startSession(r -> r.target(instanceId).documentName(PORT_FORWARDING_DOCUMENT)
                    .reason("Atelier connect")
                    .parameters(Map.of("portNumber", List.of(Integer.toString(remotePort)),
                            "localPortNumber", List.of(Integer.toString(localPort)))));
        } catch (TargetNotConnectedException | InvalidDocumentException e) {
            throw new NotReachableException("Session Manager cannot reach instance " + instanceId, e);
        }
        String region = ssm.serviceClientConfiguration().region().id();
        URI endpoint = ssm.serviceClientConfiguration().endpointOverride()
                .orElse(URI.create("https://ssm." + region + ".amazonaws.com"));
        return new Session(started.sessionId(), started.streamUrl(), started.tokenValue(), region, endpoint.toString());
    }
}
