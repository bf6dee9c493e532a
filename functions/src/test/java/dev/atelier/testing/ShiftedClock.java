package dev.atelier.testing;

import dev.atelier.config.Clocks;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's clock, ahead of the real one by what a test sets: a stop time can be made
 * due within seconds. Only with {@code atelier.test.shifted-clock=true}.
 */
@Singleton
@Replaces(bean = Clock.class, factory = Clocks.class)
@Requires(property = "atelier.test.shifted-clock", value = "true")
public class ShiftedClock extends Clock {

    private volatile Duration ahead = Duration.ZERO;

    public void setAhead(Duration ahead) {
        this.ahead = ahead;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead);
    }
}
