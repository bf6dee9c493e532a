package dev.atelier.local;

import io.micronaut.context.annotation.Requires;
import dev.atelier.imagebuild.ImageBuilderEvents;
import dev.atelier.workstation.SqsWorkstationQueue;
import dev.atelier.workstation.WorkstationSettings;
import dev.atelier.workstation.scheduler.SchedulerSchedules;
import dev.atelier.workstation.WorkstationMessages;
import dev.atelier.config.AtelierConfig;
import dev.atelier.identity.provider.IdTokenVerifier;
import dev.atelier.identity.provider.UserPool;
import dev.atelier.store.TableDefinition;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeDataType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifiedAttributeType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Locally, creates what the CDK stack creates in AWS: the table (from {@link TableDefinition},
 * the same description the stack uses), the blob bucket, the KMS key, the mail identity, the
 * Cognito user pool with its app client (then trusted through {@link UserPool}) and the route of
 * image state changes: an event bus, a rule with {@link ImageBuilderEvents#PATTERN}, an SQS queue; the
 * workstation queue with its rules, and the schedule group of working-hours schedules. Each step is
 * idempotent. The engine keeps user pools only in memory: after the engine restarts, the pool
 * is created afresh, empty (docs/identity.md).
 */
@Singleton
@Requires(classes = EventBridgeClient.class)
public class LocalResources {

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final KmsClient kms;
    private final SesV2Client ses;
    private final CognitoIdentityProviderClient cognito;
    private final UserPool userPool;
    private final EventBridgeClient eventBridge;
    private final SqsClient sqs;
    private final SchedulerClient scheduler;
    private final WorkstationSettings workstations;
    private final AtelierConfig config;

    public LocalResources(DynamoDbClient dynamoDb, S3Client s3, KmsClient kms, SesV2Client ses,
                          CognitoIdentityProviderClient cognito, UserPool userPool, EventBridgeClient eventBridge,
                          SqsClient sqs, SchedulerClient scheduler, WorkstationSettings workstations,
                          AtelierConfig config) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.kms = kms;
        this.ses = ses;
        this.cognito = cognito;
        this.userPool = userPool;
        this.eventBridge = eventBridge;
        this.sqs = sqs;
        this.scheduler = scheduler;
        this.workstations = workstations;
        this.config = config;
    }

    /** @return whether the table was created now (so it is empty) */
    public boolean ensureAll() {
        boolean created = ensureTable();
        ensureBucket();
        ensureKey();
        ensureMailIdentity();
        ensureUserPool();
        ensureImageBuilderEventRoute();
        ensureWorkstationEventRoute();
        ensureScheduleGroup();
        return created;
    }

    /** The local event bus, named like the table (in AWS, Image Builder uses the default bus). */
    public static String eventBusName(AtelierConfig config) {
        return config.tableName();
    }

    /** The queue image state changes reach locally, until the build workflow consumes them. */
    public static String imageBuilderEventsQueueName(AtelierConfig config) {
        return config.tableName() + "-image-builder-events";
    }

    /** Event bus → rule ({@link ImageBuilderEvents#PATTERN}) → SQS queue; each call idempotent. */
    void ensureImageBuilderEventRoute() {
        String bus = eventBusName(config);
        if (eventBridge.listEventBuses(r -> r.namePrefix(bus)).eventBuses().stream().noneMatch(b -> bus.equals(b.name()))) {
            eventBridge.createEventBus(r -> r.name(bus));
        }
        String queueUrl = sqs.createQueue(r -> r.queueName(imageBuilderEventsQueueName(config))).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String rule = config.tableName() + "-image-state-change";
        eventBridge.putRule(r -> r.name(rule).eventBusName(bus).eventPattern(ImageBuilderEvents.PATTERN));
        eventBridge.putTargets(r -> r.rule(rule).eventBusName(bus).targets(t -> t.id("image-builder-events").arn(queueArn)));
    }

    /**
     * The workstation queue, and the rule ({@link WorkstationMessages#STATE_CHANGE_PATTERN}) that
     * routes EC2's state changes on the local bus to it, and the one of the idle alarms'
     * changes ({@link WorkstationMessages#ALARM_CHANGE_PATTERN}); each call idempotent.
     */
    void ensureWorkstationEventRoute() {
        String bus = eventBusName(config);
        String queueUrl = sqs.createQueue(r -> r.queueName(SqsWorkstationQueue.localQueueName(config))).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String rule = config.tableName() + "-instance-state-change";
        eventBridge.putRule(r -> r.name(rule).eventBusName(bus).eventPattern(WorkstationMessages.STATE_CHANGE_PATTERN));
        eventBridge.putTargets(r -> r.rule(rule).eventBusName(bus).targets(t -> t.id("workstation-events").arn(queueArn)));
        // The idle alarms' state changes (published by LocalIdleAlarmEvaluator) go to the same queue.
        String alarms = config.tableName() + "-idle-alarm-change";
        eventBridge.putRule(r -> r.name(alarms).eventBusName(bus).eventPattern(WorkstationMessages.ALARM_CHANGE_PATTERN));
        eventBridge.putTargets(r -> r.rule(alarms).eventBusName(bus).targets(t -> t.id("idle-alarm-events").arn(queueArn)));
    }

    /** The schedule group of working-hours schedules, as the stack's ({@link SchedulerSchedules#group}). */
    void ensureScheduleGroup() {
        String group = SchedulerSchedules.group(workstations, config);
        try {
            scheduler.getScheduleGroup(r -> r.name(group));
        } catch (software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException e) {
            scheduler.createScheduleGroup(r -> r.name(group));
        }
    }

    /** The table exactly as {@link TableDefinition} describes it. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(TableDefinition.keyAttributes().stream()
                        .map(name -> AttributeDefinition.builder().attributeName(name)
                                .attributeType(ScalarAttributeType.S).build())
                        .toList())
                .keySchema(key(TableDefinition.PK, KeyType.HASH), key(TableDefinition.SK, KeyType.RANGE))
                .globalSecondaryIndexes(TableDefinition.indexes().stream()
                        .map(index -> GlobalSecondaryIndex.builder()
                                .indexName(index.name())
                                .keySchema(key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                                .build())
                        .toList())
                .build();
    }

    boolean ensureTable() {
        try {
            dynamoDb.describeTable(r -> r.tableName(config.tableName()));
            return false;
        } catch (ResourceNotFoundException absent) {
            try {
                dynamoDb.createTable(createTableRequest(config.tableName()));
            } catch (ResourceInUseException raced) {
                return false;
            }
            dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(config.tableName()));
            dynamoDb.updateTimeToLive(r -> r.tableName(config.tableName())
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(TableDefinition.TTL_ATTRIBUTE)));
            return true;
        }
    }

    private void ensureBucket() {
        try {
            s3.createBucket(r -> r.bucket(config.blobBucket()));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // kept from an earlier start
        }
    }

    private void ensureKey() {
        String alias = config.kmsKeyId();
        if (!alias.startsWith("alias/")) {
            return;
        }
        try {
            kms.describeKey(r -> r.keyId(alias));
        } catch (NotFoundException absent) {
            String keyId = kms.createKey(r -> r.description("Atelier secrets")).keyMetadata().keyId();
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
        }
    }

    private void ensureMailIdentity() {
        try {
            ses.createEmailIdentity(r -> r.emailIdentity(config.mailFrom()));
        } catch (AlreadyExistsException exists) {
            // verified at an earlier start
        }
    }

    /** The user pool named like the table, with the app client Atelier signs users in through. */
    void ensureUserPool() {
        if (userPool.current().isPresent()) {
            return; // configured explicitly (e.g. a real pool)
        }
        String name = config.tableName();
        String poolId = null;
        String token = null;
        do {
            String next = token;
            var page = cognito.listUserPools(r -> r.maxResults(60).nextToken(next));
            for (UserPoolDescriptionType pool : page.userPools()) {
                if (name.equals(pool.name())) {
                    poolId = pool.id();
                }
            }
            token = page.nextToken();
        } while (poolId == null && token != null && !token.isEmpty());
        if (poolId == null) {
            poolId = cognito.createUserPool(r -> r.poolName(name)
                    .usernameAttributes(UsernameAttributeType.EMAIL)
                    .autoVerifiedAttributes(VerifiedAttributeType.EMAIL)
                    .adminCreateUserConfig(a -> a.allowAdminCreateUserOnly(true))
                    .policies(p -> p.passwordPolicy(w -> w.minimumLength(12).requireLowercase(true)
                            .requireUppercase(true).requireNumbers(true).requireSymbols(false)))
                    .schema(a -> a.name(IdTokenVerifier.USER_ID_CLAIM.substring("custom:".length()))
                            .attributeDataType(AttributeDataType.STRING).mutable(true)
                            .stringAttributeConstraints(c -> c.minLength("1").maxLength("64"))))
                    .userPool().id();
        }
        String id = poolId;
        String clientId = cognito.listUserPoolClients(r -> r.userPoolId(id).maxResults(60)).userPoolClients().stream()
                .filter(c -> "atelier".equals(c.clientName())).map(c -> c.clientId()).findFirst()
                .orElseGet(() -> cognito.createUserPoolClient(r -> r.userPoolId(id).clientName("atelier")
                        .generateSecret(false)
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH)
                        // Users may not set the attribute naming their Atelier user themselves.
                        .writeAttributes("email", "name"))
                        .userPoolClient().clientId());
        userPool.use(id, clientId);
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
