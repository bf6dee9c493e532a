package dev.atelier.local;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildPipeline;
import dev.atelier.imagebuild.BuildLifecycle;
import dev.atelier.imagebuild.BuildStore;
import dev.atelier.imagebuild.BuildStatus;
import dev.atelier.config.AtelierConfig;
import dev.atelier.store.TableDefinition;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Locally, the build workflow in-process, in the order the state machine runs it in AWS: the
 * first step ({@link BuildLifecycle#start}) on a background executor right after the build is
 * recorded; its state changes through {@link LocalBuildEvents}; and, as the state machine's
 * timeout does, the fallback {@link BuildLifecycle#check} once {@code atelier.local.build-timeout}
 * (default 2 h) has passed without an end.
 * <p>At start-up, builds a previous run left in progress are taken up again: a pending one is
 * started, a started one checked (the simulator keeps images in memory only, so it ends failed,
 * saying Image Builder no longer knows its image — rather than showing "building" for ever).
 */
@Singleton
@Requires(env = "local")
@Requires(property = "atelier.builds.workflow", value = "local")
public class LocalBuildPipeline implements BuildPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBuildPipeline.class);

    private final BeanProvider<BuildLifecycle> builds;
    private final BeanProvider<BuildStore> store;
    private final Duration timeout;
    private final AtomicInteger threads = new AtomicInteger();
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
        Thread thread = new Thread(r, "local-build-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    {
        // At shutdown, time-out checks still waiting are dropped; steps under way may finish.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public LocalBuildPipeline(BeanProvider<BuildLifecycle> builds, BeanProvider<BuildStore> store,
                              @Value("${atelier.local.build-timeout:2h}") Duration timeout) {
        this.builds = builds;
        this.store = store;
        this.timeout = timeout;
    }

    @Override
    public void start(BuildRef build) {
        run(build, "did not start", () -> {
            BuildItem started = builds.get().start(build.slug(), build.definitionId(), build.buildId());
            if (started != null && !started.status().ended()) {
                executor.schedule(() -> run(build, "was not checked",
                        () -> builds.get().check(build.slug(), build.definitionId(), build.buildId())),
                        timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Takes up the builds a previous run left in progress. */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        run(null, "could not be taken up", () -> {
            for (BuildItem build : inProgress()) {
                BuildRef ref = new BuildRef(build.slug(), build.definitionId(), build.id());
                if (build.status() == BuildStatus.PENDING) {
                    LOG.info("Starting build {} left pending by the previous run", build.id());
                    start(ref);
                } else {
                    LOG.info("Checking build {} left {} by the previous run", build.id(), build.status().wireName());
                    builds.get().check(build.slug(), build.definitionId(), build.id());
                }
            }
        });
    }

    /** One scan: locally the table is small, and this runs once per start. */
    private List<BuildItem> inProgress() {
        return store.get().inProgressAnywhere();
    }

    private void run(BuildRef build, String failure, Runnable step) {
        try {
            executor.execute(() -> DynamoDbRequestCounter.inBackground(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.warn("Build {} {}", build == null ? "work" : build, failure, e);
                }
            }));
        } catch (RejectedExecutionException e) {
            LOG.warn("Shutting down: build {} {}", build, failure);
        }
    }

    /**
     * Lets a step under way finish its requests (an interrupted request could leave the engine
     * with half of it) for a few seconds before giving up on it.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
