package dev.atelier.mail;

/**
 * Sends mail on behalf of Atelier (invitations, sign-in links).
 * <p>Contract: {@link #send} returns once the mail service has accepted the message; it throws
 * {@link MailException} when it refuses it (unverified sender, invalid address, throttling).
 */
public interface Mail {

    /** A plain-text message from Atelier's sender address. */
    record Message(String to, String subject, String text) { }

    void send(Message message);

    /** The mail service refused a message. */
    class MailException extends RuntimeException {
        public MailException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
