package dev.atelier.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atelier.imagebuild.BuildTags;
import dev.atelier.imagebuild.ImageBuilderEvents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.InstanceProfile;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.Chain;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.CustomerManagedEncryptionConfiguration;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.Errors;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.IntegrationPattern;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.Timeout;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The AWS side of image builds: one Step Functions execution per build drives the build-steps
 * function ({@code start}, then {@code await} with a task token until the image's state change
 * arrives, {@code check} when it does not arrive in time, {@code cleanup} after an error); Image
 * Builder's state changes reach the build-events function through an EventBridge rule and an SQS
 * queue; build instances run with their own role and instance profile.
 *
 * <p>The graph is acyclic, without Wait states: an execution makes the same number of state
 * transitions however long the build takes, and no Lambda function runs while it waits.
 */
public final class BuildWorkflow extends StackPart {

    // State names: the tests, bin/bench and docs/image-builds.md rely on them.
    public static final String START_BUILD = "Start build";
    public static final String STARTED = "Started?";
    public static final String WAIT_FOR_IMAGE = "Wait for image";
    public static final String CHECK_STATUS = "Check status";
    public static final String ENDED = "Ended?";
    public static final String BUILT = "Built";
    public static final String CANCELLED = "Cancelled";
    public static final String FAILED = "Failed";
    public static final String CLEAN_UP = "Clean up";
    public static final String ERRORED = "Errored";

    /** The error of the {@link #FAILED} state, and of {@link #ERRORED}. */
    public static final String BUILD_FAILED_ERROR = "BuildFailed";
    public static final String BUILD_ERROR = "BuildError";

    static final String STEPS_HANDLER = "dev.atelier.BuildStepHandler";
    static final String EVENTS_HANDLER = "dev.atelier.BuildEventsHandler";
    static final String STATE_MACHINE_ARN_VARIABLE = "ATELIER_BUILD_STATE_MACHINE_ARN";

    /** Statuses of a build whose image is being made: the workflow waits for its end. */
    static final List<String> RUNNING_STATUSES = List.of("building", "testing", "distributing");
    static final Duration EVENTS_FUNCTION_TIMEOUT = Duration.seconds(60);
    /** Lambda's advice for an SQS event source: at least six times the function's timeout. */
    static final Duration EVENTS_VISIBILITY_TIMEOUT = Duration.seconds(6 * 60);
    static final int EVENTS_MAX_RECEIVE_COUNT = 20;

    /** Errors worth retrying a Lambda task on: the service's own and throttling, never the function's. */
    static final List<String> LAMBDA_TRANSIENT_ERRORS = List.of("Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    private final Stack stack;
    /** Where each build's AMIs are distributed (the stack's own region when none is configured). */
    private final List<String> distributionRegions;
    private final Role instanceRole;
    private final InstanceProfile instanceProfile;
    private final Function stepsFunction;
    private final Function eventsFunction;
    private final StateMachine stateMachine;
    private final Queue eventsQueue;
    private final Queue eventsDeadLetterQueue;
    private final Rule eventsRule;
    private final Policy stepsTaskTokenPolicy;

    BuildWorkflow(Construct scope, String id, AtelierSettings settings, ApplicationFunctions functions, Data data) {
        super(scope, id);
        this.stack = Stack.of(this);

        // ---- Build instances: what Image Builder's EC2 instances may do ----------------------
        this.instanceRole = Role.Builder.create(this, "BuildInstanceRole")
                .description("Atelier: Image Builder build instances")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .managedPolicies(List.of(
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore"),
                        ManagedPolicy.fromAwsManagedPolicyName("EC2InstanceProfileForImageBuilder")))
                .build();
        // The component documents download the definition's scripts and requirements (and only
        // those: workspaces/...) from the blob bucket; decrypting them (and encrypting the logs
        // below) needs the key, through S3 only.
        instanceRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(data.blobBucket.arnForObjects("workspaces/*")))
                .build());
        // Image Builder writes the build's log files to image-builder-logs/atelier-<build>/ (the
        // infrastructure configuration's S3 logging), where the API reads them back.
        instanceRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject"))
                .resources(List.of(data.blobBucket.arnForObjects("image-builder-logs/*")))
                .build());
        instanceRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of(data.key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "s3." + stack.getRegion() + ".amazonaws.com")))
                .build());
        this.instanceProfile = InstanceProfile.Builder.create(this, "BuildInstanceProfile")
                .role(instanceRole)
                .build();

        Map<String, String> buildEnvironment = new LinkedHashMap<>();
        buildEnvironment.put("ATELIER_IMAGE_BUILDER_INSTANCE_PROFILE", instanceProfile.getInstanceProfileName());
        this.distributionRegions = settings.buildRegions().isEmpty() ? List.of(stack.getRegion()) : settings.buildRegions();
        buildEnvironment.put("ATELIER_IMAGE_BUILDER_REGIONS", String.join(",", distributionRegions));
        if (settings.buildSubnetId() != null) {
            buildEnvironment.put("ATELIER_IMAGE_BUILDER_SUBNET_ID", settings.buildSubnetId());
        }
        if (!settings.buildSecurityGroupIds().isEmpty()) {
            buildEnvironment.put("ATELIER_IMAGE_BUILDER_SECURITY_GROUP_IDS",
                    String.join(",", settings.buildSecurityGroupIds()));
        }

        // ---- The two functions (the build workflow's artifact) --------------------------------
        this.stepsFunction = functions.create(this, "BuildStepsFunction",
                "Atelier: steps of the image-build workflow (start, await, check, cleanup)", ApplicationFunctions.Artifact.BUILDS, STEPS_HANDLER,
                1024, Duration.minutes(5), buildEnvironment, builder -> { });
        this.eventsFunction = functions.create(this, "BuildEventsFunction",
                "Atelier: records Image Builder image state changes and resumes the build workflow",
                ApplicationFunctions.Artifact.BUILDS, EVENTS_HANDLER,
                1024, EVENTS_FUNCTION_TIMEOUT, buildEnvironment, builder -> { });

        // ---- The state machine ---------------------------------------------------------------
        this.stateMachine = StateMachine.Builder.create(this, "BuildStateMachine")
                .comment("Atelier: one execution per image build")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromChainable(definition(settings)))
                // Errors only, without execution data: inputs and outputs carry task tokens.
                .logs(LogOptions.builder()
                        .destination(logGroup("BuildStateMachineLogs"))
                        .level(LogLevel.ERROR)
                        .includeExecutionData(false)
                        .build())
                .encryptionConfiguration(new CustomerManagedEncryptionConfiguration(data.key))
                // X-Ray traces show where an execution's time went (each Lambda step, each retry).
                .tracingEnabled(true)
                .build();

        // ---- Image state changes: rule -> queue -> events function ---------------------------
        this.eventsDeadLetterQueue = Queue.Builder.create(this, "BuildEventsDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        // SSE-SQS rather than the stack's key: EventBridge would need the key (which also guards
        // the table and secrets) in its key policy, and these messages carry only an image ARN
        // and a status.
        this.eventsQueue = Queue.Builder.create(this, "BuildEventsQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(EVENTS_VISIBILITY_TIMEOUT)
                .retentionPeriod(Duration.days(14))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(eventsDeadLetterQueue)
                        .maxReceiveCount(EVENTS_MAX_RECEIVE_COUNT)
                        .build())
                .build();
        // The pattern is ImageBuilderEvents.PATTERN, the one the local route uses.
        this.eventsRule = Rule.Builder.create(this, "BuildEventsRule")
                .description("Atelier: EC2 Image Builder image state changes, to the build-events queue")
                .eventPattern(EventPattern.builder()
                        .source(List.of(ImageBuilderEvents.SOURCE))
                        .detailType(List.of(ImageBuilderEvents.DETAIL_TYPE))
                        .build())
                .targets(List.of(SqsQueue.Builder.create(eventsQueue).build()))
                .build();
        eventsFunction.addEventSource(SqsEventSource.Builder.create(eventsQueue)
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());
        // CDK names the mapping after the queue's path: keep the name it had in the flat stack.
        eventsFunction.getNode().getChildren().stream()
                .filter(child -> child instanceof EventSourceMapping)
                .forEach(mapping -> ((CfnEventSourceMapping) mapping.getNode().getDefaultChild())
                        .overrideLogicalId(flatUniqueId(List.of("BuildEventsFunction",
                                "SqsEventSource:" + flatUniqueId(eventsQueue), "Resource"))));

        // ---- Least privilege -----------------------------------------------------------------
        // Steps: create, read, cancel, tag and delete this build's Image Builder resources.
        data.table.grantReadWriteData(stepsFunction);
        data.blobBucket.grantReadWrite(stepsFunction);
        data.key.grantEncryptDecrypt(stepsFunction);
        stepsFunction.addToRolePolicy(imageBuilderStatement(List.of(
                "imagebuilder:CreateComponent", "imagebuilder:GetComponent", "imagebuilder:DeleteComponent",
                "imagebuilder:CreateImageRecipe", "imagebuilder:GetImageRecipe", "imagebuilder:DeleteImageRecipe",
                "imagebuilder:CreateInfrastructureConfiguration", "imagebuilder:GetInfrastructureConfiguration",
                "imagebuilder:DeleteInfrastructureConfiguration",
                "imagebuilder:CreateDistributionConfiguration", "imagebuilder:GetDistributionConfiguration",
                "imagebuilder:DeleteDistributionConfiguration",
                "imagebuilder:CreateImage", "imagebuilder:GetImage", "imagebuilder:DeleteImage",
                "imagebuilder:CancelImageCreation", "imagebuilder:TagResource")));
        // The managed parent images (Amazon Linux 2023, Windows Server 2022) are read by the recipe.
        stepsFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("imagebuilder:GetImage"))
                .resources(List.of("arn:" + stack.getPartition() + ":imagebuilder:" + stack.getRegion()
                        + ":aws:image/*"))
                .build());
        // A recipe on an AMI id looks the AMI up; DescribeImages has no resource-level permissions.
        stepsFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DescribeImages"))
                .resources(List.of("*"))
                .build());
        // The infrastructure configuration hands the instance role to EC2 (through the profile).
        stepsFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(List.of(instanceRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")))
                .build());
        stepsFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:GetInstanceProfile"))
                .resources(List.of(instanceProfile.getInstanceProfileArn()))
                .build());
        // The first image of an account creates Image Builder's service-linked role.
        stepsFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:CreateServiceLinkedRole"))
                .resources(List.of("arn:" + stack.getPartition() + ":iam::" + stack.getAccount()
                        + ":role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder"))
                .conditions(Map.of("StringEquals", Map.of("iam:AWSServiceName", "imagebuilder.amazonaws.com")))
                .build());
        // `await` may find the build already ended and resume the execution itself. A policy of
        // its own: the function waits for its default policy, and the state machine (named here)
        // depends on the function, so this statement there would close a cycle.
        this.stepsTaskTokenPolicy = Policy.Builder.create(this, "BuildStepsTaskTokenPolicy")
                .statements(List.of(taskResponseStatement()))
                .roles(List.of(stepsFunction.getRole()))
                .build();

        // Events: record the change, clean up an ended image, resume the execution.
        data.table.grantReadWriteData(eventsFunction);
        data.key.grantEncryptDecrypt(eventsFunction);
        eventsFunction.addToRolePolicy(imageBuilderStatement(ENDING_ACTIONS));
        eventsFunction.addToRolePolicy(taskResponseStatement());
    }

    /** What ends or reads an image: the events function and the API (cancel) need these. */
    static final List<String> ENDING_ACTIONS = List.of("imagebuilder:GetImage", "imagebuilder:CancelImageCreation",
            "imagebuilder:DeleteImage", "imagebuilder:DeleteImageRecipe",
            "imagebuilder:DeleteInfrastructureConfiguration", "imagebuilder:DeleteDistributionConfiguration",
            "imagebuilder:DeleteComponent");

    /**
     * The API starts one execution per build, cancels builds (ending a waiting execution) and,
     * deleting a workspace, releases what its ended builds made: their Image Builder resources
     * (the Delete actions of {@link #ENDING_ACTIONS}); their AMIs it hands to the workstation
     * worker ({@link #grantImageRelease}): the API never calls EC2. Its blobs and logs are objects
     * of the blob bucket, which the API reads and writes anyway.
     */
    void grantApi(Function apiFunction) {
        stateMachine.grantStartExecution(apiFunction);
        apiFunction.addToRolePolicy(imageBuilderStatement(ENDING_ACTIONS));
        apiFunction.addToRolePolicy(taskResponseStatement());
    }

    /**
     * The workstation worker releases a deleted workspace's AMIs with the snapshots behind them,
     * in every distribution region. It describes an AMI first, to learn its snapshots: the
     * worker's DescribeImages is granted with its other Describe actions (no resource-level
     * permissions: "*").
     */
    void grantImageRelease(Function workerFunction) {
        // Only AMIs Atelier's distributions made: they carry the build tags (SdkImageBuilder's amiTags).
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DeregisterImage"))
                .resources(ec2Resources("image"))
                .conditions(Map.of("Null", Map.of("aws:ResourceTag/" + BuildTags.WORKSPACE, "false")))
                .build());
        // The snapshots behind them: Image Builder does not promise to copy the AMI's tags onto
        // them, so they are scoped by region only (a snapshot ARN has no account: EC2 lets an
        // account delete its own snapshots only).
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DeleteSnapshot"))
                .resources(ec2Resources("snapshot"))
                .build());
    }

    /** The regions each build's AMIs are distributed to, as the build functions are told. */
    List<String> distributionRegions() {
        return distributionRegions;
    }

    /** EC2 resources of one type in every distribution region ({@code arn:…:ec2:<region>::<type>/*}). */
    private List<String> ec2Resources(String type) {
        return distributionRegions.stream()
                .map(region -> "arn:" + stack.getPartition() + ":ec2:" + region + "::" + type + "/*")
                .toList();
    }

    /** The ARN pattern of everything Atelier names in Image Builder ({@code atelier-{build}...}). */
    String imageBuilderResources() {
        return "arn:" + stack.getPartition() + ":imagebuilder:" + stack.getRegion() + ":" + stack.getAccount()
                + ":*/atelier-*";
    }

    private PolicyStatement imageBuilderStatement(List<String> actions) {
        return PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(imageBuilderResources()))
                .build();
    }

    private PolicyStatement taskResponseStatement() {
        return PolicyStatement.Builder.create()
                .actions(List.of("states:SendTaskSuccess", "states:SendTaskFailure"))
                .resources(List.of(stateMachine.getStateMachineArn()))
                .build();
    }

    /** The graph: see the class comment and docs/image-builds.md. */
    private Chain definition(AtelierSettings settings) {
        Fail failed = Fail.Builder.create(this, FAILED)
                .error(BUILD_FAILED_ERROR)
                .cause("The build ended without an image; the build record holds the reason")
                .build();
        Fail errored = Fail.Builder.create(this, ERRORED)
                .error(BUILD_ERROR)
                .cause("A step of the workflow failed; the build was cleaned up")
                .build();
        Succeed built = Succeed.Builder.create(this, BUILT).comment("The AMI is available").build();
        Succeed cancelled = Succeed.Builder.create(this, CANCELLED).comment("Cancelled on request").build();

        LambdaInvoke cleanUp = step(CLEAN_UP, "cleanup", Map.of("error", JsonPath.objectAt("$.error")));
        cleanUp.next(errored);
        cleanUp.addCatch(errored, CatchProps.builder().errors(List.of(Errors.ALL)).resultPath("$.error").build());

        Choice ended = Choice.Builder.create(this, ENDED).build()
                .when(Condition.stringEquals("$.build.status", "available"), built)
                .when(Condition.stringEquals("$.build.status", "cancelled"), cancelled)
                .otherwise(failed);

        LambdaInvoke checkStatus = step(CHECK_STATUS, "check", Map.of());
        checkStatus.addCatch(cleanUp, catchAll());
        checkStatus.next(ended);

        Map<String, Object> awaitPayload = new LinkedHashMap<>(buildFields("await"));
        awaitPayload.put("taskToken", JsonPath.getTaskToken());
        LambdaInvoke waitForImage = LambdaInvoke.Builder.create(this, WAIT_FOR_IMAGE)
                .comment("Resumed by the build-events function when the image ends (SendTaskSuccess)")
                .lambdaFunction(stepsFunction)
                .integrationPattern(IntegrationPattern.WAIT_FOR_TASK_TOKEN)
                .payload(TaskInput.fromObject(awaitPayload))
                .taskTimeout(Timeout.duration(Duration.minutes(settings.buildTimeout().toMinutes())))
                .resultPath("$.build")
                .retryOnServiceExceptions(false)
                .build();
        waitForImage.addRetry(transientRetry());
        waitForImage.addCatch(checkStatus, CatchProps.builder()
                .errors(List.of(Errors.TIMEOUT)).resultPath("$.error").build());
        waitForImage.addCatch(cleanUp, catchAll());
        waitForImage.next(ended);

        Choice started = Choice.Builder.create(this, STARTED).build()
                .when(Condition.or(RUNNING_STATUSES.stream()
                        .map(status -> Condition.stringEquals("$.build.status", status))
                        .toArray(Condition[]::new)), waitForImage)
                .otherwise(ended);

        LambdaInvoke startBuild = step(START_BUILD, "start", Map.of());
        startBuild.addCatch(cleanUp, catchAll());
        return Chain.start(startBuild).next(started);
    }

    /** A Lambda task calling one step; the function's answer (the build's state) goes to $.build. */
    private LambdaInvoke step(String name, String step, Map<String, Object> extra) {
        Map<String, Object> payload = new LinkedHashMap<>(buildFields(step));
        payload.putAll(extra);
        LambdaInvoke task = LambdaInvoke.Builder.create(this, name)
                .lambdaFunction(stepsFunction)
                .payload(TaskInput.fromObject(payload))
                .payloadResponseOnly(true)
                .resultPath(CLEAN_UP.equals(name) ? "$.cleanup" : "$.build")
                .retryOnServiceExceptions(false)
                .build();
        task.addRetry(transientRetry());
        return task;
    }

    private static Map<String, Object> buildFields(String step) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("step", step);
        fields.put("slug", JsonPath.stringAt("$.slug"));
        fields.put("definitionId", JsonPath.stringAt("$.definitionId"));
        fields.put("buildId", JsonPath.stringAt("$.buildId"));
        return fields;
    }

    private static RetryProps transientRetry() {
        return RetryProps.builder()
                .errors(LAMBDA_TRANSIENT_ERRORS)
                .interval(Duration.seconds(2))
                .maxAttempts(6)
                .backoffRate(2)
                .build();
    }

    private static CatchProps catchAll() {
        return CatchProps.builder().errors(List.of(Errors.ALL)).resultPath("$.error").build();
    }

    public Role getInstanceRole() { return instanceRole; }
    public InstanceProfile getInstanceProfile() { return instanceProfile; }
    public Function getStepsFunction() { return stepsFunction; }
    public Function getEventsFunction() { return eventsFunction; }
    public StateMachine getStateMachine() { return stateMachine; }
    public Queue getEventsQueue() { return eventsQueue; }
    public Queue getEventsDeadLetterQueue() { return eventsDeadLetterQueue; }
    public Rule getEventsRule() { return eventsRule; }
    public Policy getStepsTaskTokenPolicy() { return stepsTaskTokenPolicy; }
}
