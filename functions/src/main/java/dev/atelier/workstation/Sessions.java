package dev.atelier.workstation;

/**
 * Session Manager sessions to a workstation's instance: the way in that opens no port to the
 * internet. The instance's agent holds an outbound connection to Session Manager; a session
 * forwards one port of the instance to the person's machine through it.
 */
public interface Sessions {

    /** The Session Manager document that forwards one remote port to a local one. */
    String PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSession";

    /**
     * A started session as Session Manager answers it, and where it was started.
     *
     * @param token  the session's token: a secret that opens this one session, to be used within
     *               moments; never logged, never stored
     * @param region the Region the session lives in, and {@code endpoint} the Session Manager
     *               endpoint the client talks to
     */
    record Session(String sessionId, String streamUrl, String token, String region, String endpoint) {
        @Override
        public String toString() {
            return "Session[" + sessionId + " in " + region + "]";
        }
    }

    /**
     * Starts a session forwarding {@code remotePort} of {@code instanceId} to {@code localPort}
     * of whoever runs the client, with {@link #PORT_FORWARDING_DOCUMENT}.
     *
     * @throws NotReachableException when the instance's agent is not connected (yet), or the
     *                               instance is not one Session Manager manages
     */
    Session startPortForwarding(String instanceId, int remotePort, int localPort);

    /** The instance cannot be reached through Session Manager now. */
    class NotReachableException extends RuntimeException {
        public NotReachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
