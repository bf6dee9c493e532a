package dev.atelier.faults;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Puts a {@link ThrottlingHttpClient} in front of the application's HTTP client to AWS — only in
 * an application started with {@value #SEED} (tests set it; the application never does).
 * {@link ShortRetryPauses} comes with it.
 */
@Singleton
@Requires(property = ThrottlingFaults.SEED)
public class ThrottlingFaults implements BeanCreatedEventListener<SdkHttpClient> {

    /** The seed of the throttling decisions; setting it installs the throttling client. */
    public static final String SEED = "atelier.test.throttling.seed";
    /** The probability that one request is answered as throttled (default 0.3). */
    public static final String PROBABILITY = "atelier.test.throttling.probability";

    private final long seed;
    private final double probability;

    public ThrottlingFaults(@Property(name = SEED) long seed,
                            @Property(name = PROBABILITY, defaultValue = "0.3") double probability) {
        this.seed = seed;
        this.probability = probability;
    }

    @Override
    public SdkHttpClient onCreated(BeanCreatedEvent<SdkHttpClient> event) {
        return new ThrottlingHttpClient(event.getBean(), seed, probability);
    }
}
