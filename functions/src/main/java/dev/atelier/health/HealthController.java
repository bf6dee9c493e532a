package dev.atelier.health;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

/** {@code GET /health}: the process is up and routing requests. Needs no token. */
@Controller("/health")
public class HealthController {

    @Serdeable
    public record Health(String status) { }

    @Get
    public Health health() {
        return new Health("ok");
    }
}
