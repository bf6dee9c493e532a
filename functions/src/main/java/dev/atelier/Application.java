package dev.atelier;

import io.micronaut.runtime.Micronaut;

/** Entry point of the local server: the REST API and the built portal on one port. */
public final class Application {

    private Application() { }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .start();
    }
}
