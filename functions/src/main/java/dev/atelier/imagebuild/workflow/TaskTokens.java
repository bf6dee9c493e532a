package dev.atelier.imagebuild.workflow;

import dev.atelier.imagebuild.BuildEndListener;
import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildStore;
import dev.atelier.imagebuild.BuildService;
import dev.atelier.imagebuild.BuildStatus;
import dev.atelier.config.AtelierConfig;
import dev.atelier.secrets.Secrets;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The workflow's wait for a build's end, without anything running meanwhile: the
 * {@code Wait for image} task hands its task token to {@link #hold}, which keeps it (encrypted
 * with the KMS key, bound to the build) in the build record; when the build ends — a state change,
 * a cancel — {@link #ended} sends the build's outcome with that token and the execution goes on.
 * <p>Its clients (Step Functions, KMS) are resolved on first use: it is built with every
 * {@code BuildLifecycle}, including the API's, which rarely needs them.
 * <p>Whichever comes second completes the wait: the token is only kept while the build has not
 * ended (a conditional write), and {@link #ended} reads it consistently after the end was written.
 */
@Singleton
@Requires(classes = SfnClient.class)
@Requires(property = "atelier.builds.workflow", value = "step-functions", defaultValue = "step-functions")
public class TaskTokens implements BuildEndListener {

    private static final Logger LOG = LoggerFactory.getLogger(TaskTokens.class);

    private final BuildStore store;
    private final BeanProvider<SfnClient> stepFunctions;
    private final BeanProvider<Secrets> secrets;
    private final JsonMapper json;

    public TaskTokens(BuildStore store, BeanProvider<SfnClient> stepFunctions, BeanProvider<Secrets> secrets,
                      JsonMapper json) {
        this.store = store;
        this.stepFunctions = stepFunctions;
        this.secrets = secrets;
        this.json = json;
    }

    /** Keeps the token until the build ends; a build that has ended already answers at once. */
    public void hold(String slug, String definitionId, String buildId, String taskToken) {
        String sealed = secrets.get().encrypt(taskToken, context(buildId));
        if (store.keepToken(slug, definitionId, buildId, sealed)) {
            return;
        }
        BuildItem build = store.read(slug, definitionId, buildId);
        if (build == null) {
            stepFunctions.get().sendTaskFailure(r -> r.taskToken(taskToken).error("BuildGone")
                    .cause("The build record no longer exists"));
        } else {
            stepFunctions.get().sendTaskSuccess(r -> r.taskToken(taskToken).output(outcome(build)));
        }
    }

    /** Sends the build's outcome to the workflow waiting for it, if one is. */
    @Override
    public void ended(BuildItem ended) {
        var found = store.readWithToken(ended.slug(), ended.definitionId(), ended.id());
        if (found.isEmpty() || found.get().sealedToken() == null) {
            return;
        }
        BuildItem build = found.get().build();
        String sealed = found.get().sealedToken();
        try {
            String taskToken = secrets.get().decrypt(sealed, context(build.id()));
            stepFunctions.get().sendTaskSuccess(r -> r.taskToken(taskToken).output(outcome(build)));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            LOG.info("The workflow of build {} no longer waits ({})", build.id(), e.getClass().getSimpleName());
        }
        store.dropToken(build, sealed);
    }

    /** What the waiting task returns: the same outcome as the workflow's other steps. */
    String outcome(BuildItem build) {
        try {
            return json.writeValueAsString(BuildSteps.outcome(build));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> context(String buildId) {
        return Map.of("atelier:build", buildId);
    }
}
