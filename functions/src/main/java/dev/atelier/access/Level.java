package dev.atelier.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a grant allows on one resource. */
public enum Level {
    READ, WRITE, OPERATE, ACCESS, PROMOTE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Level> parse(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName().equals(name)).findFirst();
    }

    /** Named sets of levels offered when granting. */
    public enum Preset {
        FULL(EnumSet.allOf(Level.class)),
        EDITOR(EnumSet.of(READ, WRITE, OPERATE, ACCESS)),
        VIEWER(EnumSet.of(READ));

        private final Set<Level> levels;

        Preset(Set<Level> levels) {
            this.levels = levels;
        }

        public Set<Level> levels() {
            return EnumSet.copyOf(levels);
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Preset> parse(String name) {
            return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
        }
    }
}
