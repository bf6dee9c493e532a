package dev.atelier.access;

import java.util.EnumSet;
import java.util.Set;

/** Levels on one resource given to one principal. */
public record Grant(Principal principal, Set<Level> levels) {

    public Grant {
        levels = levels.isEmpty() ? EnumSet.noneOf(Level.class) : EnumSet.copyOf(levels);
    }
}
