package dev.atelier.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.InstanceProfile;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.scheduler.CfnScheduleGroup;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The AWS side of running workstations. The API never calls EC2 for them: it records an intent
 * in the table and sends a command to the workstation queue. The workstation worker
 * ({@link #WORKER_HANDLER}) consumes that queue: commands, EC2's own instance state changes and
 * EBS volume notifications, idle alarms' state changes (all three routed there by EventBridge
 * rules), the end-of-working-hours commands EventBridge Scheduler sends from the schedules the
 * worker keeps in the stack's schedule group, and the delayed checks it sends itself in case an
 * event is lost. Nothing polls.
 *
 * <p>Workstations run in private subnets without any inbound rule (people reach them through
 * Systems Manager port forwarding), with an instance role that may only talk to Systems Manager,
 * publish idleness metrics to {@link #METRIC_NAMESPACE} and write to {@link #LOG_GROUP_NAME}. Every
 * EC2 action of the worker is limited to resources tagged {@link #WORKSPACE_TAG}.
 */
public final class Workstations extends StackPart {

    static final String WORKER_HANDLER = "dev.atelier.WorkstationEventsHandler";
    /** The tag every workstation instance and volume carries (its workspace); EC2 actions require it. */
    static final String WORKSPACE_TAG = "atelier:workspace";
    /** Idle alarms are named {@code atelier-ws-<workstation>}; the worker manages no other alarm. */
    static final String ALARM_PREFIX = "atelier-ws-";
    /** Where the on-box idleness agent and the keep-alive publish. */
    static final String METRIC_NAMESPACE = "Atelier/Workstations";
    static final String LOG_GROUP_NAME = "/atelier/workstations";

    static final String QUEUE_URL_VARIABLE = "ATELIER_WORKSTATIONS_QUEUE_URL";
    static final String INSTANCE_PROFILE_VARIABLE = "ATELIER_WORKSTATIONS_INSTANCE_PROFILE";
    static final String SUBNET_IDS_VARIABLE = "ATELIER_WORKSTATIONS_SUBNET_IDS";
    static final String SECURITY_GROUP_IDS_VARIABLE = "ATELIER_WORKSTATIONS_SECURITY_GROUP_IDS";
    static final String QUEUE_ARN_VARIABLE = "ATELIER_WORKSTATIONS_QUEUE_ARN";
    static final String SCHEDULE_GROUP_VARIABLE = "ATELIER_WORKSTATIONS_SCHEDULE_GROUP";
    static final String SCHEDULE_ROLE_VARIABLE = "ATELIER_WORKSTATIONS_SCHEDULE_ROLE_ARN";
    /** The instance tags the worker keeps for the on-box agent's idle warning; it may change no other. */
    static final List<String> IDLE_SETTING_TAGS = List.of("atelier:idle-minutes", "atelier:warn-minutes");

    static final String INSTANCE_STATE_CHANGE = "EC2 Instance State-change Notification";
    static final String VOLUME_NOTIFICATION = "EBS Volume Notification";
    static final String ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";
    static final String PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSession";

    static final Duration WORKER_TIMEOUT = Duration.seconds(60);
    /** Lambda's advice for an SQS event source: at least six times the function's timeout. */
    static final Duration QUEUE_VISIBILITY_TIMEOUT = Duration.seconds(6 * 60);
    /** A message the worker fails on five times is kept in the dead-letter queue for inspection. */
    static final int MAX_RECEIVE_COUNT = 5;

    private final Stack stack;
    private final IVpc vpc;
    private final SecurityGroup securityGroup;
    private final List<String> subnetIds;
    private final List<String> securityGroupIds;
    private final LogGroup instanceLogs;
    private final Role instanceRole;
    private final InstanceProfile instanceProfile;
    private final Queue queue;
    private final Queue deadLetterQueue;
    private final Rule ec2EventsRule;
    private final Rule alarmEventsRule;
    private final CfnScheduleGroup scheduleGroup;
    private final Role scheduleRole;
    private final Function workerFunction;
    /** What the API is configured with, besides the application's shared environment (the worker has more). */
    private final Map<String, String> environment;

    Workstations(Construct scope, String id, WorkstationSettings settings, ApplicationFunctions functions, Data data) {
        super(scope, id);
        this.stack = Stack.of(this);

        // ---- Network: private subnets, a security group without any inbound rule -------------
        if (settings.existingNetwork()) {
            this.subnetIds = settings.subnetIds();
            this.vpc = settings.vpcId() == null ? null : Vpc.fromVpcAttributes(this, "ExistingVpc", VpcAttributes.builder()
                    .vpcId(settings.vpcId())
                    .availabilityZones(stack.getAvailabilityZones())
                    .build());
        } else {
            Vpc made = declareVpc();
            this.vpc = made;
            this.subnetIds = made.getPrivateSubnets().stream().map(subnet -> subnet.getSubnetId()).toList();
        }
        if (settings.securityGroupIds().isEmpty()) {
            this.securityGroup = declareSecurityGroup(vpc);
            this.securityGroupIds = List.of(securityGroup.getSecurityGroupId());
        } else {
            this.securityGroup = null;
            this.securityGroupIds = settings.securityGroupIds();
        }
        if (settings.interfaceEndpoints()) {
            addInterfaceEndpoints((Vpc) vpc);
        }

        // ---- What a workstation itself may do --------------------------------------------------
        this.instanceLogs = LogGroup.Builder.create(this, "WorkstationLogs")
                .logGroupName(LOG_GROUP_NAME)
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.instanceRole = Role.Builder.create(this, "WorkstationInstanceRole")
                .description("Atelier: workstation instances (Systems Manager, idleness metrics, their log group)")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
                .build();
        instanceRole.addToPolicy(putMetricDataStatement());
        instanceRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(instanceLogs.getLogGroupArn()))
                .build());
        this.instanceProfile = InstanceProfile.Builder.create(this, "WorkstationInstanceProfile")
                .role(instanceRole)
                .build();

        // ---- Commands, EC2 events, alarm changes and checks: one queue ------------------------
        this.deadLetterQueue = Queue.Builder.create(this, "WorkstationDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        // SSE-SQS rather than the stack's key, as for build events: EventBridge would need the key
        // (which also guards the table and secrets) in its key policy, and these messages carry
        // only ids, states and command names.
        this.queue = Queue.Builder.create(this, "WorkstationQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(QUEUE_VISIBILITY_TIMEOUT)
                .retentionPeriod(Duration.days(14))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetterQueue)
                        .maxReceiveCount(MAX_RECEIVE_COUNT)
                        .build())
                .build();
        // EC2 events carry no tags: every instance of the account and region reaches the worker,
        // which ignores those it does not know.
        this.ec2EventsRule = Rule.Builder.create(this, "WorkstationEc2EventsRule")
                .description("Atelier: EC2 instance state changes and EBS volume notifications, to the workstation queue")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.ec2"))
                        .detailType(List.of(INSTANCE_STATE_CHANGE, VOLUME_NOTIFICATION))
                        .build())
                .targets(List.of(SqsQueue.Builder.create(queue).build()))
                .build();
        this.alarmEventsRule = Rule.Builder.create(this, "WorkstationAlarmEventsRule")
                .description("Atelier: state changes of workstation idle alarms (atelier-ws-*), to the workstation queue")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.cloudwatch"))
                        .detailType(List.of(ALARM_STATE_CHANGE))
                        .detail(Map.of("alarmName", List.of(Map.of("prefix", ALARM_PREFIX))))
                        .build())
                .targets(List.of(SqsQueue.Builder.create(queue).build()))
                .build();

        // ---- Working hours: Scheduler sends the end-of-day command to the queue --------------------
        // The worker keeps the schedules (one per distinct schedule of a workspace) in this group.
        this.scheduleGroup = CfnScheduleGroup.Builder.create(this, "WorkstationScheduleGroup").build();
        // Only this account's schedules of this group may use the role (confused deputy).
        this.scheduleRole = Role.Builder.create(this, "WorkstationScheduleRole")
                .description("Atelier: EventBridge Scheduler sends the end-of-working-hours command to the workstation queue")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(Map.of("StringEquals", Map.of(
                        "aws:SourceAccount", stack.getAccount(),
                        "aws:SourceArn", scheduleGroup.getAttrArn()))))
                .build();
        // SSE-SQS: sending needs no key grant.
        queue.grantSendMessages(scheduleRole);

        // The API sends commands and launches; only the worker keeps the working-hours schedules.
        Map<String, String> env = new LinkedHashMap<>();
        env.put(QUEUE_URL_VARIABLE, queue.getQueueUrl());
        env.put(INSTANCE_PROFILE_VARIABLE, instanceProfile.getInstanceProfileName());
        env.put(SUBNET_IDS_VARIABLE, String.join(",", subnetIds));
        env.put(SECURITY_GROUP_IDS_VARIABLE, String.join(",", securityGroupIds));
        this.environment = Map.copyOf(env);
        env.put(QUEUE_ARN_VARIABLE, queue.getQueueArn());
        env.put(SCHEDULE_GROUP_VARIABLE, scheduleGroup.getRef());
        env.put(SCHEDULE_ROLE_VARIABLE, scheduleRole.getRoleArn());

        // ---- The worker ------------------------------------------------------------------------
        this.workerFunction = functions.create(this, "WorkstationWorkerFunction",
                "Atelier: runs workstation commands, follows EC2 state changes and idle alarms",
                ApplicationFunctions.Artifact.WORKSTATIONS, WORKER_HANDLER,
                1024, WORKER_TIMEOUT, env, builder -> { });
        workerFunction.addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());
        grantWorker(data);
    }

    /** Two AZs, one NAT gateway, workstations in the private subnets; flow logs kept one month. */
    private Vpc declareVpc() {
        Vpc made = Vpc.Builder.create(this, "WorkstationVpc")
                .maxAzs(2)
                .natGateways(1)
                // The default security group is left as EC2 makes it: nothing is ever placed in it
                // (workstations and endpoints have their own), and restricting it would add a
                // custom-resource function to the stack.
                .restrictDefaultSecurityGroup(false)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("Public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("Workstations").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(20).build()))
                .flowLogs(Map.of("FlowLog", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs(logGroup("WorkstationVpcFlowLogs")))
                        .trafficType(FlowLogTrafficType.ALL)
                        .build()))
                .build();
        // Free: package repositories and agent updates served from S3 bypass the NAT gateway.
        made.addGatewayEndpoint("S3Endpoint", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3)
                .build());
        return made;
    }

    /**
     * Session Manager ({@code ssm}, {@code ssmmessages}, {@code ec2messages}), metrics and logs
     * without the NAT gateway, in the private subnets, with private DNS. One security group for
     * the five, admitting HTTPS from workstations only.
     */
    private void addInterfaceEndpoints(Vpc inVpc) {
        SecurityGroup endpointGroup = SecurityGroup.Builder.create(this, "WorkstationEndpointSecurityGroup")
                .vpc(inVpc)
                .description("Atelier workstation VPC endpoints: HTTPS from workstations only")
                .allowAllOutbound(false)
                .build();
        endpointGroup.addIngressRule(securityGroup, Port.tcp(443), "HTTPS from workstations");
        Map<String, InterfaceVpcEndpointAwsService> services = new LinkedHashMap<>();
        services.put("SsmEndpoint", InterfaceVpcEndpointAwsService.SSM);
        services.put("SsmMessagesEndpoint", InterfaceVpcEndpointAwsService.SSM_MESSAGES);
        services.put("Ec2MessagesEndpoint", InterfaceVpcEndpointAwsService.EC2_MESSAGES);
        services.put("MonitoringEndpoint", InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING);
        services.put("LogsEndpoint", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
        services.forEach((endpointId, service) -> inVpc.addInterfaceEndpoint(endpointId,
                InterfaceVpcEndpointOptions.builder()
                        .service(service)
                        .subnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                        .privateDnsEnabled(true)
                        .securityGroups(List.of(endpointGroup))
                        .open(false)
                        .build()));
    }

    /**
     * No inbound rule at all: people connect through Session Manager port forwarding, which the
     * agent on the instance opens outwards. Outbound HTTPS (Systems Manager, CloudWatch, logs,
     * package repositories) and HTTP (package mirrors that serve signed packages over plain HTTP,
     * such as Ubuntu's and Windows Update). DNS, time and instance metadata are link-local
     * services that security groups do not filter.
     */
    private SecurityGroup declareSecurityGroup(IVpc inVpc) {
        SecurityGroup group = SecurityGroup.Builder.create(this, "WorkstationSecurityGroup")
                .vpc(inVpc)
                .description("Atelier workstations: no inbound rule (Session Manager port forwarding); outbound HTTPS and HTTP")
                .allowAllOutbound(false)
                .build();
        group.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS: Systems Manager, CloudWatch, package repositories");
        group.addEgressRule(Peer.anyIpv4(), Port.tcp(80), "HTTP: package mirrors serving signed packages");
        return group;
    }

    private void grantWorker(Data data) {
        data.table.grantReadWriteData(workerFunction);
        data.key.grantEncryptDecrypt(workerFunction);
        // Its own delayed checks (the event source grants the receiving side).
        queue.grantSendMessages(workerFunction);

        // Launch: the image, the configured subnets and groups, any new network interface...
        List<String> launchResources = new ArrayList<>();
        launchResources.add("arn:" + stack.getPartition() + ":ec2:" + stack.getRegion() + "::image/*");
        subnetIds.forEach(subnet -> launchResources.add(ec2Arn("subnet/" + subnet)));
        securityGroupIds.forEach(group -> launchResources.add(ec2Arn("security-group/" + group)));
        launchResources.add(ec2Arn("network-interface/*"));
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:RunInstances"))
                .resources(launchResources)
                .build());
        // ...and only instances and volumes tagged with their workspace at creation.
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:RunInstances", "ec2:CreateVolume"))
                .resources(List.of(ec2Arn("instance/*"), ec2Arn("volume/*")))
                .conditions(Map.of("Null", Map.of("aws:RequestTag/" + WORKSPACE_TAG, "false")))
                .build());
        // Tags only as part of creating the resource: no tagging of anything else.
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:CreateTags"))
                .resources(List.of(ec2Arn("instance/*"), ec2Arn("volume/*"), ec2Arn("network-interface/*")))
                .conditions(Map.of("StringEquals", Map.of("ec2:CreateAction", List.of("RunInstances", "CreateVolume"))))
                .build());
        // The idle settings the on-box agent reads: those two tags only, on instances already tagged.
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:CreateTags", "ec2:DeleteTags"))
                .resources(List.of(ec2Arn("instance/*")))
                .conditions(Map.of(
                        "Null", Map.of("aws:ResourceTag/" + WORKSPACE_TAG, "false", "aws:TagKeys", "false"),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", IDLE_SETTING_TAGS)))
                .build());
        // Lifecycle of tagged instances; attaching and detaching need both sides tagged.
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances",
                        "ec2:TerminateInstances"))
                .resources(List.of(ec2Arn("instance/*")))
                .conditions(resourceTagged())
                .build());
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:AttachVolume", "ec2:DetachVolume"))
                .resources(List.of(ec2Arn("instance/*"), ec2Arn("volume/*")))
                .conditions(resourceTagged())
                .build());
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DeleteVolume"))
                .resources(List.of(ec2Arn("volume/*")))
                .conditions(resourceTagged())
                .build());
        // EC2's Describe actions have no resource-level permissions: IAM accepts only "*".
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeInstanceTypes",
                        "ec2:DescribeImages"))
                .resources(List.of("*"))
                .build());
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(List.of(instanceRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")))
                .build());

        // Idle alarms: only atelier-ws-*, and their only action may be EC2's stop.
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricAlarm"))
                .resources(List.of(alarmArns()))
                .conditions(Map.of("ForAllValues:StringEquals", Map.of("cloudwatch:AlarmActions",
                        List.of(stopAction()))))
                .build());
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms"))
                .resources(List.of(alarmArns()))
                .build());
        // An alarm's EC2 action runs as CloudWatch's service-linked role (no role is passed);
        // the account's first alarm with an EC2 action creates it.
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:CreateServiceLinkedRole"))
                .resources(List.of("arn:" + stack.getPartition() + ":iam::" + stack.getAccount()
                        + ":role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents"))
                .conditions(Map.of("StringEquals", Map.of("iam:AWSServiceName", "events.amazonaws.com")))
                .build());
        workerFunction.addToRolePolicy(putMetricDataStatement());

        // Working-hours schedules: only in the stack's group, handing Scheduler only its role.
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule",
                        "scheduler:GetSchedule"))
                .resources(List.of(scheduleArns()))
                .build());
        // ListSchedules has no resource-level permissions: IAM accepts only "*" (names and states only).
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("scheduler:ListSchedules"))
                .resources(List.of("*"))
                .build());
        workerFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(List.of(scheduleRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "scheduler.amazonaws.com")))
                .build());
    }

    /** The schedules of the stack's group. */
    private String scheduleArns() {
        return "arn:" + stack.getPartition() + ":scheduler:" + stack.getRegion() + ":" + stack.getAccount()
                + ":schedule/" + scheduleGroup.getRef() + "/*";
    }

    /**
     * The API's part: its configuration, sending commands, reading workstation metrics, the
     * keep-alive metric, and port-forwarding sessions to tagged instances (connect).
     */
    void grantApi(Function apiFunction) {
        environment.forEach(apiFunction::addEnvironment);
        queue.grantSendMessages(apiFunction);
        // GetMetricData has no resource-level permissions: IAM accepts only "*".
        apiFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:GetMetricData"))
                .resources(List.of("*"))
                .build());
        apiFunction.addToRolePolicy(putMetricDataStatement());
        // A port-forwarding session to a workstation, never a shell: the document is named, and
        // SessionDocumentAccessCheck refuses a session that falls back to the default shell document.
        Map<String, Object> documentCheck = Map.of("BoolIfExists", Map.of("ssm:SessionDocumentAccessCheck", "true"));
        apiFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ssm:StartSession"))
                .resources(List.of("arn:" + stack.getPartition() + ":ssm:" + stack.getRegion() + "::document/"
                        + PORT_FORWARDING_DOCUMENT))
                .conditions(documentCheck)
                .build());
        apiFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ssm:StartSession"))
                .resources(List.of(ec2Arn("instance/*")))
                .conditions(Map.of(
                        "Null", Map.of("ssm:resourceTag/" + WORKSPACE_TAG, "false"),
                        "BoolIfExists", Map.of("ssm:SessionDocumentAccessCheck", "true")))
                .build());
        // Ending a session it started (the session id begins with the caller's user id), none other.
        apiFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ssm:TerminateSession"))
                .resources(List.of("arn:" + stack.getPartition() + ":ssm:" + stack.getRegion() + ":"
                        + stack.getAccount() + ":session/*"))
                .conditions(Map.of("StringLike", Map.of("ssm:resourceTag/aws:ssmmessages:session-id",
                        "${aws:userid}")))
                .build());
    }

    /** Only with the metric namespace of workstations. */
    private static PolicyStatement putMetricDataStatement() {
        return PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", METRIC_NAMESPACE)))
                .build();
    }

    private static Map<String, Object> resourceTagged() {
        return Map.of("Null", Map.of("aws:ResourceTag/" + WORKSPACE_TAG, "false"));
    }

    private String ec2Arn(String resource) {
        return "arn:" + stack.getPartition() + ":ec2:" + stack.getRegion() + ":" + stack.getAccount() + ":" + resource;
    }

    private String alarmArns() {
        return "arn:" + stack.getPartition() + ":cloudwatch:" + stack.getRegion() + ":" + stack.getAccount()
                + ":alarm:" + ALARM_PREFIX + "*";
    }

    /** The alarm action that stops the instance of the alarm's InstanceId dimension. */
    private String stopAction() {
        return "arn:" + stack.getPartition() + ":automate:" + stack.getRegion() + ":ec2:stop";
    }

    public IVpc getVpc() { return vpc; }
    public SecurityGroup getSecurityGroup() { return securityGroup; }
    public LogGroup getInstanceLogs() { return instanceLogs; }
    public Role getInstanceRole() { return instanceRole; }
    public InstanceProfile getInstanceProfile() { return instanceProfile; }
    public Queue getQueue() { return queue; }
    public Queue getDeadLetterQueue() { return deadLetterQueue; }
    public Rule getEc2EventsRule() { return ec2EventsRule; }
    public Rule getAlarmEventsRule() { return alarmEventsRule; }
    public Function getWorkerFunction() { return workerFunction; }
    public CfnScheduleGroup getScheduleGroup() { return scheduleGroup; }
    public Role getScheduleRole() { return scheduleRole; }
}
