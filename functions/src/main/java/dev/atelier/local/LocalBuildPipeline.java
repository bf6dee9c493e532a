package dev.atelier.local;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.build.BuildPipeline;
import dev.atelier.build.BuildService;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Locally, a build's first step ({@link BuildService#start}) runs on a background executor right
 * after the build is recorded; its state changes then arrive through {@link LocalBuildEvents}.
 */
@Singleton
@Requires(env = "local")
@Requires(property = "atelier.builds.workflow", value = "local")
public class LocalBuildPipeline implements BuildPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBuildPipeline.class);

    private final BeanProvider<BuildService> builds;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "local-build-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    public LocalBuildPipeline(BeanProvider<BuildService> builds) {
        this.builds = builds;
    }

    @Override
    public void start(BuildRef build) {
        try {
            executor.execute(() -> DynamoDbRequestCounter.inBackground(() -> {
                try {
                    builds.get().start(build.slug(), build.definitionId(), build.buildId());
                } catch (RuntimeException e) {
                    LOG.warn("Build {} did not start", build, e);
                }
            }));
        } catch (RejectedExecutionException e) {
            LOG.warn("Shutting down: build {} stays pending", build);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
