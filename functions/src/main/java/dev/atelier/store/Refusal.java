package dev.atelier.store;

/**
 * What it means when the condition of a write does not hold: a name taken, a version changed, an
 * item gone. Each domain names its own refusals (an enum implementing this), and each
 * conditional write carries the one it stands for, so a refused transaction says which rule
 * refused it instead of the position of a write in it.
 */
public interface Refusal {

    /** A short, stable name (an enum constant's name), for logs and tests. */
    String name();
}
