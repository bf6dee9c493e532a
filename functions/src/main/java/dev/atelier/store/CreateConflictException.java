package dev.atelier.store;

/**
 * A create's transaction was refused by one of its conditions: the unique name it claims is
 * taken (a workspace slug, a user's email), or a concurrent request recorded the same
 * Idempotency-Key first.
 */
public final class CreateConflictException extends RuntimeException {

    /** Which condition refused the create. */
    public enum Conflict { NAME_TAKEN, IDEMPOTENCY_KEY_USED }

    private final Conflict conflict;

    public CreateConflictException(Conflict conflict) {
        super(conflict.name(), null, false, false);
        this.conflict = conflict;
    }

    public Conflict conflict() {
        return conflict;
    }
}
