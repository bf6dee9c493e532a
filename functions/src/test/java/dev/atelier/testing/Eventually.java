package dev.atelier.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting in tests for something that happens in the background (a build, an execution). */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Reads {@code read} until {@code done} holds for what it answers, then returns that; between
     * reads runs {@code between} (a pause, or work that moves things on). Fails after {@code within},
     * showing the last answer.
     */
    public static <T> T until(Duration within, Supplier<T> read, Predicate<T> done, Runnable between, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = read.get();
        while (last == null || !done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + within.toSeconds() + " s; last seen: " + last);
            }
            between.run();
            last = read.get();
        }
        return last;
    }

    /** As above, pausing 50 ms between reads. */
    public static <T> T until(Duration within, Supplier<T> read, Predicate<T> done, String what) {
        return until(within, read, done, Eventually::pause, what);
    }

    /** A short pause between two reads. */
    public static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting", e);
        }
    }
}
