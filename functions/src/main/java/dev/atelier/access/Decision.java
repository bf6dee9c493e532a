package dev.atelier.access;

/**
 * The answer of {@link Authorizer}: allowed, or refused as invisible (404) or as forbidden (403),
 * with the reason in words.
 */
public record Decision(Outcome outcome, String reason) {

    public enum Outcome { ALLOW, FORBIDDEN, NOT_FOUND }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    static Decision allow(String reason) {
        return new Decision(Outcome.ALLOW, reason);
    }

    static Decision forbidden(String reason) {
        return new Decision(Outcome.FORBIDDEN, reason);
    }

    static Decision notFound(String reason) {
        return new Decision(Outcome.NOT_FOUND, reason);
    }
}
