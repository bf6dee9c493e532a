package dev.atelier.imagebuild.workflow;

import dev.atelier.imagebuild.BuildEndListener;
import dev.atelier.imagebuild.BuildItem;
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
 * {@code BuildService}, including the API's, which rarely needs them.
 * <p>Whichever comes second completes the wait: the token is only kept while the build has not
 * ended (a conditional write), and {@link #ended} reads it consistently after the end was written.
 */
@Singleton
@Requires(property = "atelier.builds.workflow", value = "step-functions", defaultValue = "step-functions")
public class TaskTokens implements BuildEndListener {

    static final String ATTRIBUTE = "taskToken";
    private static final Logger LOG = LoggerFactory.getLogger(TaskTokens.class);

    private final DynamoDbClient dynamoDb;
    private final BeanProvider<SfnClient> stepFunctions;
    private final BeanProvider<Secrets> secrets;
    private final BeanProvider<BuildService> builds;
    private final JsonMapper json;
    private final String tableName;

    public TaskTokens(DynamoDbClient dynamoDb, BeanProvider<SfnClient> stepFunctions, BeanProvider<Secrets> secrets,
                      BeanProvider<BuildService> builds, JsonMapper json, AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.stepFunctions = stepFunctions;
        this.secrets = secrets;
        this.builds = builds;
        this.json = json;
        this.tableName = config.tableName();
    }

    /** Keeps the token until the build ends; a build that has ended already answers at once. */
    public void hold(String slug, String definitionId, String buildId, String taskToken) {
        String sealed = secrets.get().encrypt(taskToken, context(buildId));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":t", AttributeValue.fromS(sealed));
        String inProgress = BuildStatus.statusIn(BuildStatus.inProgress(), "s", values);
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName).key(key(slug, definitionId, buildId))
                    .updateExpression("SET " + ATTRIBUTE + " = :t")
                    .conditionExpression(inProgress)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            BuildItem build = builds.get().read(slug, definitionId, buildId);
            if (build == null) {
                stepFunctions.get().sendTaskFailure(r -> r.taskToken(taskToken).error("BuildGone")
                        .cause("The build record no longer exists"));
            } else {
                stepFunctions.get().sendTaskSuccess(r -> r.taskToken(taskToken).output(outcome(build)));
            }
        }
    }

    /** Sends the build's outcome to the workflow waiting for it, if one is. */
    @Override
    public void ended(BuildItem ended) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(key(ended.slug(), ended.definitionId(), ended.id()))).item();
        if (item == null || !item.containsKey(ATTRIBUTE)) {
            return;
        }
        BuildItem build = BuildItem.of(item);
        String sealed = item.get(ATTRIBUTE).s();
        try {
            String taskToken = secrets.get().decrypt(sealed, context(build.id()));
            stepFunctions.get().sendTaskSuccess(r -> r.taskToken(taskToken).output(outcome(build)));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            LOG.info("The workflow of build {} no longer waits ({})", build.id(), e.getClass().getSimpleName());
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName).key(key(build.slug(), build.definitionId(), build.id()))
                    .updateExpression("REMOVE " + ATTRIBUTE).conditionExpression(ATTRIBUTE + " = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(sealed))));
        } catch (ConditionalCheckFailedException e) {
            // another delivery of the same end got there first
        }
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

    private static Map<String, AttributeValue> key(String slug, String definitionId, String buildId) {
        return Map.of(TableDefinition.PK, AttributeValue.fromS(Keys.workspace(slug)),
                TableDefinition.SK, AttributeValue.fromS(Keys.build(definitionId, buildId)));
    }
}
