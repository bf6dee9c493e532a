package dev.atelier.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The clock every rule reads the time from; tests replace it. */
@Factory
public class Clocks {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
