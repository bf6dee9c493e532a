package dev.atelier.imagebuild.ec2;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.BeanProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An EC2 client per region: the application's own ({@link dev.atelier.aws.AwsClients}) for its
 * region, and for each other region (where AMIs are distributed) one created on first use, on the
 * same HTTP client and found the same way (credentials, {@code AWS_ENDPOINT_URL}), then kept.
 * Nothing is built before a request needs it: API cold starts build no EC2 client.
 */
@Singleton
@Requires(classes = Ec2Client.class)
public class RegionalEc2Clients {

    private final BeanProvider<Ec2Client> home;
    private final BeanProvider<SdkHttpClient> http;
    private final Map<Region, Ec2Client> others = new ConcurrentHashMap<>();

    public RegionalEc2Clients(BeanProvider<Ec2Client> home, BeanProvider<SdkHttpClient> http) {
        this.home = home;
        this.http = http;
    }

    /** The application's region. */
    public String homeRegion() {
        return home.get().serviceClientConfiguration().region().id();
    }

    public Ec2Client in(String region) {
        Region wanted = Region.of(region);
        Ec2Client client = home.get();
        if (client.serviceClientConfiguration().region().equals(wanted)) {
            return client;
        }
        return others.computeIfAbsent(wanted, r -> Ec2Client.builder().httpClient(http.get()).region(r).build());
    }

    @PreDestroy
    void close() {
        // The shared HTTP client is the application's: closing these clients leaves it open.
        others.values().forEach(Ec2Client::close);
        others.clear();
    }
}
