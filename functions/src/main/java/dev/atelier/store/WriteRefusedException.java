package dev.atelier.store;

import java.util.List;

/**
 * A write (or a transaction) was refused because the condition of one or more of its writes did
 * not hold; nothing was written. {@link #refusals()} names them, in the transaction's order.
 */
public final class WriteRefusedException extends RuntimeException {

    private final List<Refusal> refusals;

    public WriteRefusedException(List<Refusal> refusals) {
        super(refusals.stream().map(Refusal::name).toList().toString(), null, false, false);
        this.refusals = List.copyOf(refusals);
    }

    public List<Refusal> refusals() {
        return refusals;
    }

    /** Whether {@code refusal} is among the conditions that did not hold. */
    public boolean by(Refusal refusal) {
        return refusals.contains(refusal);
    }

    /** The first condition that did not hold. */
    public Refusal first() {
        return refusals.get(0);
    }
}
