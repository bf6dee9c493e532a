package dev.atelier.store;

import java.util.Locale;

/**
 * What it means when the condition of a write does not hold: a name taken, a version changed, an
 * item gone. Each domain names its own refusals (an enum implementing this, or a record when the
 * refusal says which of several items it concerns), and each conditional write carries the one it
 * stands for, so a refused transaction says which rule refused it instead of the position of a
 * write in it.
 */
public interface Refusal {

    /**
     * A short, stable name, for logs and tests: an enum constant's name; for a record, its type's
     * name in upper snake case ({@code PrincipalGone} → {@code PRINCIPAL_GONE}).
     */
    default String name() {
        return getClass().getSimpleName()
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1_$2")
                .toUpperCase(Locale.ROOT);
    }
}
