package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.getAttArn;
import static dev.atelier.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Running workstations in AWS, in the stack synthesised with the default settings (a VPC of the
 * stack's own): the queue and its event routes, the worker, the network, and who may do what.
 */
class WorkstationsTest {

    private static final String TAG_PRESENT_ON_REQUEST = "aws:RequestTag/atelier:workspace";
    private static final String TAG_PRESENT_ON_RESOURCE = "aws:ResourceTag/atelier:workspace";

    private static SynthesizedStack synth;
    private static Workstations workstations;
    private static String queueId;
    private static String workerId;
    private static String workerRoleId;
    private static String apiRoleId;
    private static String instanceRoleId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        workstations = synth.stack.getWorkstations();
        queueId = synth.logicalId(workstations.getQueue());
        workerId = synth.logicalId(workstations.getWorkerFunction());
        workerRoleId = synth.logicalId(workstations.getWorkerFunction().getRole());
        apiRoleId = synth.logicalId(synth.stack.getApiFunction().getRole());
        instanceRoleId = synth.logicalId(workstations.getInstanceRole());
    }

    // ---- Event routes ---------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void ec2Rule_shouldRouteInstanceStateChangesAndVolumeNotificationsToTheQueue() {
        // GIVEN the rule for EC2's own events
        Map<String, Object> rule = synth.properties(synth.logicalId(workstations.getEc2EventsRule()));
        // WHEN its pattern and targets are read
        List<Map<String, Object>> targets = (List<Map<String, Object>>) rule.get("Targets");
        // THEN it matches EC2's instance state changes and EBS volume notifications, on the default bus, into the queue
        assertThat(rule.get("EventPattern")).isEqualTo(Map.of("source", List.of("aws.ec2"),
                "detail-type", List.of("EC2 Instance State-change Notification", "EBS Volume Notification")));
        assertThat(rule).doesNotContainKey("EventBusName").containsEntry("State", "ENABLED");
        assertThat(targets).singleElement().satisfies(target -> assertThat(target.get("Arn")).isEqualTo(getAttArn(queueId)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void alarmRule_shouldRouteOnlyStateChangesOfWorkstationIdleAlarmsToTheQueue() {
        // GIVEN the rule for CloudWatch alarm state changes
        Map<String, Object> rule = synth.properties(synth.logicalId(workstations.getAlarmEventsRule()));
        // WHEN its pattern and targets are read
        List<Map<String, Object>> targets = (List<Map<String, Object>>) rule.get("Targets");
        // THEN it matches alarms named atelier-ws-* only, into the queue
        assertThat(rule.get("EventPattern")).isEqualTo(Map.of("source", List.of("aws.cloudwatch"),
                "detail-type", List.of("CloudWatch Alarm State Change"),
                "detail", Map.of("alarmName", List.of(Map.of("prefix", "atelier-ws-")))));
        assertThat(targets).singleElement().satisfies(target -> assertThat(target.get("Arn")).isEqualTo(getAttArn(queueId)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void queue_shouldAcceptEventsFromTheTwoRulesOnlyAndOverTlsOnly() {
        // GIVEN the queue's policy
        Map<String, Object> policy = synth.resourcesOfType("AWS::SQS::QueuePolicy").values().stream()
                .map(resource -> (Map<String, Object>) resource.get("Properties"))
                .filter(props -> ((List<Object>) props.get("Queues")).contains(ref(queueId)))
                .findFirst().orElseThrow();
        List<Map<String, Object>> statements = (List<Map<String, Object>>)
                ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
        // WHEN its allowing statements are read
        List<Object> sources = statements.stream().filter(s -> "Allow".equals(s.get("Effect")))
                .map(s -> ((Map<String, Object>) ((Map<String, Object>) s.get("Condition")).get("ArnEquals")).get("aws:SourceArn"))
                .toList();
        // THEN EventBridge may send from the two rules only, and anything without TLS is denied
        assertThat(sources).containsExactlyInAnyOrder(getAttArn(synth.logicalId(workstations.getEc2EventsRule())),
                getAttArn(synth.logicalId(workstations.getAlarmEventsRule())));
        assertThat(statements).anySatisfy(deny -> {
            assertThat(deny.get("Effect")).isEqualTo("Deny");
            assertThat(deny.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
        });
    }

    @Test
    void queue_shouldOutliveRetriesOfTheWorkerAndMoveRepeatedFailuresToItsDeadLetterQueue() {
        // GIVEN the queue, its dead-letter queue and the worker
        Map<String, Object> queue = synth.properties(queueId);
        Map<String, Object> deadLetters = synth.properties(synth.logicalId(workstations.getDeadLetterQueue()));
        int workerTimeout = (Integer) synth.properties(workerId).get("Timeout");
        // WHEN their settings are read
        // THEN messages stay invisible six times the worker's timeout, move to the DLQ after 5
        // receives, are kept 14 days, and both queues are encrypted
        assertThat((Integer) queue.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * workerTimeout);
        assertThat(queue.get("RedrivePolicy")).isEqualTo(Map.of("deadLetterTargetArn",
                getAttArn(synth.logicalId(workstations.getDeadLetterQueue())), "maxReceiveCount", 5));
        assertThat(queue).containsEntry("MessageRetentionPeriod", 14 * 24 * 3600).containsEntry("SqsManagedSseEnabled", true);
        assertThat(deadLetters).containsEntry("SqsManagedSseEnabled", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void worker_shouldConsumeTheQueueInBatchesReportingItemFailures() {
        // GIVEN the event source mappings
        // WHEN the worker's is read
        Map<String, Object> mapping = synth.resourcesOfType("AWS::Lambda::EventSourceMapping").values().stream()
                .map(resource -> (Map<String, Object>) resource.get("Properties"))
                .filter(props -> ref(workerId).equals(props.get("FunctionName")))
                .findFirst().orElseThrow();
        // THEN it reads the workstation queue 10 messages at a time and retries only the failed ones
        assertThat(mapping).containsEntry("EventSourceArn", getAttArn(queueId))
                .containsEntry("BatchSize", 10)
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
    }

    @Test
    void worker_shouldRunTheWorkstationHandlerOnJava17Arm64() {
        // GIVEN the worker function
        // WHEN its settings are read
        // THEN it runs the workstation events handler of the application jar, on Java 17 arm64, one minute at most
        assertThat(synth.properties(workerId)).containsEntry("Handler", "dev.atelier.WorkstationEventsHandler")
                .containsEntry("Runtime", "java17").containsEntry("Timeout", 60)
                .containsEntry("Architectures", List.of("arm64"));
    }

    // ---- Environment --------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void bothFunctions_shouldKnowTheQueueInstanceProfileSubnetsAndSecurityGroup_onlyTheWorkerTheSchedules() {
        // GIVEN the stack-made VPC's private subnets and the workstation security group
        List<Object> subnets = workstations.getVpc().getPrivateSubnets().stream()
                .map(subnet -> (Object) ref(synth.logicalId(subnet.getNode().getDefaultChild()))).toList();
        Map<String, Object> shared = Map.of(
                "ATELIER_WORKSTATIONS_QUEUE_URL", ref(queueId),
                "ATELIER_WORKSTATIONS_INSTANCE_PROFILE", ref(synth.logicalId(workstations.getInstanceProfile())),
                "ATELIER_WORKSTATIONS_SUBNET_IDS", Map.of("Fn::Join", List.of("", List.of(subnets.get(0), ",", subnets.get(1)))),
                "ATELIER_WORKSTATIONS_SECURITY_GROUP_IDS",
                Map.of("Fn::GetAtt", List.of(synth.logicalId(workstations.getSecurityGroup()), "GroupId")));
        Map<String, Object> schedules = Map.of(
                "ATELIER_WORKSTATIONS_QUEUE_ARN", getAttArn(queueId),
                "ATELIER_WORKSTATIONS_SCHEDULE_GROUP", ref(synth.logicalId(workstations.getScheduleGroup())),
                "ATELIER_WORKSTATIONS_SCHEDULE_ROLE_ARN", getAttArn(synth.logicalId(workstations.getScheduleRole())));
        // WHEN the functions' environments are read
        Map<String, Object> worker = (Map<String, Object>) ((Map<String, Object>) synth.properties(workerId)
                .get("Environment")).get("Variables");
        Map<String, Object> api = (Map<String, Object>) ((Map<String, Object>) synth.properties(
                synth.logicalId(synth.stack.getApiFunction())).get("Environment")).get("Variables");
        // THEN both name the queue, the profile, the two private subnets and the group; the worker, which
        // keeps the working-hours schedules, also the queue's ARN, the schedule group and Scheduler's role
        assertThat(worker).containsAllEntriesOf(shared).containsAllEntriesOf(schedules)
                .doesNotContainKey("ATELIER_WORKSTATIONS_ALARM_ROLE_ARN")
                .containsEntry("ATELIER_TABLE_NAME", ref(synth.logicalId(synth.stack.getTable())));
        assertThat(api).containsAllEntriesOf(shared)
                .doesNotContainKeys("ATELIER_WORKSTATIONS_ALARM_ROLE_ARN", "ATELIER_WORKSTATIONS_QUEUE_ARN",
                        "ATELIER_WORKSTATIONS_SCHEDULE_GROUP", "ATELIER_WORKSTATIONS_SCHEDULE_ROLE_ARN")
                .containsEntry("ATELIER_TABLE_NAME", ref(synth.logicalId(synth.stack.getTable())));
    }

    // ---- Network ------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void securityGroup_shouldHaveNoInboundRuleAndOnlyWebEgress() {
        // GIVEN the workstation security group
        String groupId = synth.logicalId(workstations.getSecurityGroup());
        Map<String, Object> group = synth.properties(groupId);
        // WHEN its rules, and every separate ingress rule of the template, are read
        List<Map<String, Object>> egress = (List<Map<String, Object>>) group.get("SecurityGroupEgress");
        boolean separateIngress = synth.resourcesOfType("AWS::EC2::SecurityGroupIngress").values().stream()
                .anyMatch(rule -> rule.toString().contains(groupId));
        // THEN nothing may come in, and only HTTPS and HTTP go out
        assertThat(group).doesNotContainKey("SecurityGroupIngress");
        assertThat(separateIngress).isFalse();
        assertThat(egress).extracting(rule -> rule.get("IpProtocol") + ":" + rule.get("FromPort") + "-" + rule.get("ToPort"))
                .containsExactlyInAnyOrder("tcp:443-443", "tcp:80-80");
    }

    @Test
    void vpc_shouldPutWorkstationsInPrivateSubnetsBehindOneNatGatewayWithFlowLogs() {
        // GIVEN the stack-made VPC
        // WHEN its resources are counted
        // THEN two private subnets (workstations), one NAT gateway, flow logs of all traffic, a
        // free S3 gateway endpoint and, by default, no interface endpoint
        assertThat(workstations.getVpc().getPrivateSubnets()).hasSize(2);
        assertThat(synth.resourcesOfType("AWS::EC2::NatGateway")).hasSize(1);
        assertThat(synth.resourcesOfType("AWS::EC2::FlowLog").values())
                .singleElement().satisfies(flowLog -> assertThat(flowLog.toString()).contains("TrafficType=ALL"));
        assertThat(synth.resourcesOfType("AWS::EC2::VPCEndpoint").values())
                .singleElement().satisfies(endpoint -> assertThat(endpoint.toString()).contains("VpcEndpointType=Gateway")
                        .contains(".s3"));
    }

    // ---- The workstation's own permissions ------------------------------------------------------

    @Test
    void instanceRole_shouldHaveSessionManagerNamespacedMetricsAndItsLogGroupOnly() {
        // GIVEN the workstation instance role, its profile and log group
        Map<String, Object> role = synth.properties(instanceRoleId);
        String logGroupId = synth.logicalId(workstations.getInstanceLogs());
        List<Map<String, Object>> statements = synth.statementsOfRole(instanceRoleId);
        // WHEN they are read
        // THEN EC2 assumes the role, which has the Systems Manager core policy, puts metrics only
        // in Atelier/Workstations and writes only /atelier/workstations, kept three months
        assertThat(role.get("AssumeRolePolicyDocument").toString()).contains("ec2.amazonaws.com");
        assertThat(role.get("ManagedPolicyArns").toString()).contains("policy/AmazonSSMManagedInstanceCore");
        assertThat(SynthesizedStack.asList(role.get("ManagedPolicyArns"))).hasSize(1);
        assertThat(synth.properties(synth.logicalId(workstations.getInstanceProfile())).get("Roles"))
                .isEqualTo(List.of(ref(instanceRoleId)));
        assertThat(statements).hasSize(2);
        assertThat(statementsWith(instanceRoleId, "cloudwatch:PutMetricData")).singleElement()
                .satisfies(WorkstationsTest::assertWorkstationNamespaceOnly);
        assertThat(statementsWith(instanceRoleId, "logs:PutLogEvents")).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents");
            assertThat(statement.get("Resource")).isEqualTo(getAttArn(logGroupId));
        });
        assertThat(synth.properties(logGroupId)).containsEntry("LogGroupName", "/atelier/workstations")
                .containsEntry("RetentionInDays", 90);
    }

    // ---- The worker's permissions -----------------------------------------------------------------

    @Test
    void worker_shouldPassOnlyTheWorkstationRoleAndOnlyToEc2() {
        // GIVEN the worker's role
        // WHEN its PassRole statements are read
        // THEN there is one for the workstation instance role, handed to EC2 only (the other hands
        // Scheduler its role: worker_shouldManageSchedulesOnlyInItsGroupPassingOnlySchedulersRole)
        assertThat(statementsWith(workerRoleId, "iam:PassRole")).hasSize(2).filteredOn(statement ->
                getAttArn(instanceRoleId).equals(statement.get("Resource"))).singleElement().satisfies(statement -> {
            assertThat(statement.get("Resource")).isEqualTo(getAttArn(instanceRoleId));
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")));
        });
        assertThat(statementsWith(apiRoleId, "iam:PassRole")).isEmpty();
    }

    @Test
    void worker_shouldCreateOnlyInstancesAndVolumesTaggedWithTheirWorkspace() {
        // GIVEN the worker's statements that create instances or volumes
        List<Map<String, Object>> creating = synth.statementsOfRole(workerRoleId).stream()
                .filter(s -> SynthesizedStack.actions(s).contains("ec2:CreateVolume")).toList();
        // WHEN their resources and conditions are read
        // THEN instances and volumes may be created only with the workspace tag in the request
        assertThat(creating).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).containsExactlyInAnyOrder("ec2:RunInstances", "ec2:CreateVolume");
            assertThat(resourcesOf(statement)).hasSize(2).anyMatch(r -> r.endsWith(":instance/*"))
                    .anyMatch(r -> r.endsWith(":volume/*"));
            assertThat(statement.get("Condition")).isEqualTo(Map.of("Null", Map.of(TAG_PRESENT_ON_REQUEST, "false")));
        });
    }

    @Test
    void worker_shouldLaunchOnlyIntoTheWorkstationSubnetsAndSecurityGroup() {
        // GIVEN the worker's RunInstances statement without a tag condition
        Map<String, Object> launch = synth.statementsOfRole(workerRoleId).stream()
                .filter(s -> SynthesizedStack.actions(s).equals(List.of("ec2:RunInstances"))).findFirst().orElseThrow();
        String group = synth.logicalId(workstations.getSecurityGroup());
        // WHEN its resources are read
        List<String> resources = resourcesOf(launch);
        // THEN they are images, new network interfaces, the two private subnets and the workstation group
        assertThat(resources).hasSize(5)
                .anyMatch(r -> r.endsWith("::image/*"))
                .anyMatch(r -> r.endsWith(":network-interface/*"))
                .anyMatch(r -> r.contains(":security-group/") && r.contains(group))
                .filteredOn(r -> r.contains(":subnet/")).hasSize(2);
        assertThat(resources).noneMatch(r -> r.contains(":instance/") || r.contains(":volume/"));
    }

    @Test
    void worker_shouldTagOnlyWhileCreating_orChangeTheIdleSettingTagsOfTaggedInstances() {
        // GIVEN the worker's role
        // WHEN its CreateTags and DeleteTags statements are read
        List<Map<String, Object>> tagging = synth.statementsOfRole(workerRoleId).stream()
                .filter(s -> SynthesizedStack.actions(s).contains("ec2:CreateTags")
                        || SynthesizedStack.actions(s).contains("ec2:DeleteTags")).toList();
        // THEN tags may be set as part of RunInstances or CreateVolume, and otherwise only the two
        // idle-setting tags, only on instances already tagged with a workspace
        assertThat(tagging).hasSize(2);
        assertThat(tagging).filteredOn(s -> !SynthesizedStack.actions(s).contains("ec2:DeleteTags")).singleElement()
                .satisfies(statement -> assertThat(statement.get("Condition")).isEqualTo(Map.of("StringEquals",
                        Map.of("ec2:CreateAction", List.of("RunInstances", "CreateVolume")))));
        assertThat(tagging).filteredOn(s -> SynthesizedStack.actions(s).contains("ec2:DeleteTags")).singleElement()
                .satisfies(statement -> {
                    assertThat(SynthesizedStack.actions(statement)).containsExactlyInAnyOrder("ec2:CreateTags", "ec2:DeleteTags");
                    assertThat(resourcesOf(statement)).singleElement().satisfies(r -> assertThat(r).endsWith(":instance/*"));
                    assertThat(statement.get("Condition")).isEqualTo(Map.of(
                            "Null", Map.of(TAG_PRESENT_ON_RESOURCE, "false", "aws:TagKeys", "false"),
                            "ForAllValues:StringEquals", Map.of("aws:TagKeys",
                                    List.of("atelier:idle-minutes", "atelier:warn-minutes"))));
                });
    }

    // ---- Working-hours schedules ------------------------------------------------------------------

    @Test
    void scheduleRole_shouldBeAssumedOnlyBySchedulerForTheStacksGroup_andOnlySendToTheQueue() {
        // GIVEN Scheduler's role
        String roleId = synth.logicalId(workstations.getScheduleRole());
        String groupId = synth.logicalId(workstations.getScheduleGroup());
        Map<String, Object> role = synth.properties(roleId);
        // WHEN its trust and its statements are read
        List<Map<String, Object>> statements = synth.statementsOfRole(roleId);
        // THEN only Scheduler may assume it, for this account's schedule group, and it may only send to the queue
        assertThat(String.valueOf(role.get("AssumeRolePolicyDocument"))).contains("scheduler.amazonaws.com")
                .contains("aws:SourceAccount").contains("aws:SourceArn").contains(groupId);
        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).contains("sqs:SendMessage")
                    .allMatch(a -> a.startsWith("sqs:Send") || a.startsWith("sqs:GetQueue"));
            assertThat(statement.get("Resource")).isEqualTo(getAttArn(queueId));
        });
    }

    @Test
    void worker_shouldManageSchedulesOnlyInItsGroupPassingOnlySchedulersRole() {
        // GIVEN the worker's Scheduler statements
        String groupId = synth.logicalId(workstations.getScheduleGroup());
        Map<String, Object> manage = statementsWith(workerRoleId, "scheduler:CreateSchedule").get(0);
        // WHEN they are read
        // THEN it may create, update, delete and read schedules of the stack's group only, list
        // (no resource-level permission exists), and pass only Scheduler's role, only to Scheduler
        assertThat(SynthesizedStack.actions(manage)).containsExactlyInAnyOrder("scheduler:CreateSchedule",
                "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule");
        assertThat(resourcesOf(manage)).singleElement().satisfies(r -> assertThat(r)
                .contains(":scheduler:").contains(":schedule/").contains(groupId).endsWith("/*"));
        assertThat(statementsWith(workerRoleId, "scheduler:ListSchedules")).singleElement().satisfies(statement ->
                assertThat(SynthesizedStack.actions(statement)).containsExactly("scheduler:ListSchedules"));
        assertThat(statementsWith(workerRoleId, "iam:PassRole")).filteredOn(statement ->
                getAttArn(synth.logicalId(workstations.getScheduleRole())).equals(statement.get("Resource")))
                .singleElement().satisfies(statement -> assertThat(statement.get("Condition"))
                        .isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "scheduler.amazonaws.com"))));
        assertThat(statementsWith(apiRoleId, "scheduler:CreateSchedule")).isEmpty();
    }

    @Test
    void worker_shouldActOnlyOnInstancesAndVolumesTaggedWithAWorkspace() {
        // GIVEN the worker's statements changing existing instances or volumes
        List<String> lifecycle = List.of("ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances",
                "ec2:TerminateInstances", "ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume");
        List<Map<String, Object>> statements = synth.statementsOfRole(workerRoleId).stream()
                .filter(s -> SynthesizedStack.actions(s).stream().anyMatch(lifecycle::contains)).toList();
        // WHEN their actions, resources and conditions are read
        // THEN every one of those actions is there, on instance/* or volume/* (attaching: both), with the tag required on the resource
        assertThat(statements.stream().flatMap(s -> SynthesizedStack.actions(s).stream()).toList())
                .containsExactlyInAnyOrderElementsOf(lifecycle);
        assertThat(statements).allSatisfy(statement -> {
            assertThat(statement.get("Condition")).isEqualTo(Map.of("Null", Map.of(TAG_PRESENT_ON_RESOURCE, "false")));
            assertThat(resourcesOf(statement)).allMatch(r -> r.endsWith(":instance/*") || r.endsWith(":volume/*"));
        });
        assertThat(statementsWith(workerRoleId, "ec2:AttachVolume")).singleElement()
                .satisfies(statement -> assertThat(resourcesOf(statement)).hasSize(2));
    }

    @Test
    void everyEc2StatementOnInstancesOrVolumes_shouldRequireTheWorkspaceTag() {
        // GIVEN every statement of every role naming instance/* or volume/* in EC2
        List<Map<String, Object>> statements = synth.resourcesOfType("AWS::IAM::Role").keySet().stream()
                .flatMap(role -> synth.statementsOfRole(role).stream())
                .filter(s -> resourcesOf(s).stream().anyMatch(r -> r.contains(":ec2:")
                        && (r.endsWith(":instance/*") || r.endsWith(":volume/*"))))
                .toList();
        // WHEN their conditions are read
        // THEN each requires the workspace tag (request, resource, or Session Manager's resource tag) or tags only while creating
        assertThat(statements).hasSizeGreaterThanOrEqualTo(6).allSatisfy(statement -> assertThat(
                String.valueOf(statement.get("Condition"))).containsAnyOf(TAG_PRESENT_ON_REQUEST, TAG_PRESENT_ON_RESOURCE,
                "ssm:resourceTag/atelier:workspace", "ec2:CreateAction"));
    }

    @Test
    void worker_shouldManageOnlyIdleAlarmsThatStopTheirInstance() {
        // GIVEN the worker's alarm statements
        Map<String, Object> put = statementsWith(workerRoleId, "cloudwatch:PutMetricAlarm").get(0);
        Map<String, Object> others = statementsWith(workerRoleId, "cloudwatch:DeleteAlarms").get(0);
        // WHEN they are read
        // THEN they name atelier-ws-* alarms only, and an alarm's actions may only be EC2's stop
        for (Map<String, Object> statement : List.of(put, others)) {
            assertThat(resourcesOf(statement)).singleElement().satisfies(r -> assertThat(r).endsWith(":alarm:atelier-ws-*"));
        }
        assertThat(SynthesizedStack.actions(others)).containsExactlyInAnyOrder("cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms");
        assertThat(String.valueOf(put.get("Condition"))).startsWith("{ForAllValues:StringEquals={cloudwatch:AlarmActions=")
                .contains(":automate:").contains(":ec2:stop");
    }

    @Test
    void worker_shouldCreateOnlyCloudWatchsServiceLinkedRoleForAlarmActions() {
        // GIVEN the worker's role
        // WHEN its service-linked role statement is read
        // THEN it is CloudWatch Events' role, the one alarms' EC2 actions run as
        assertThat(statementsWith(workerRoleId, "iam:CreateServiceLinkedRole")).singleElement().satisfies(statement -> {
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("StringEquals", Map.of("iam:AWSServiceName", "events.amazonaws.com")));
            assertThat(resourcesOf(statement)).singleElement().satisfies(r -> assertThat(r)
                    .endsWith(":role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents"));
        });
    }

    @Test
    void bothFunctions_shouldPutMetricsOnlyInTheWorkstationNamespaceAndSendToTheQueue() {
        for (String role : List.of(workerRoleId, apiRoleId)) {
            // GIVEN a function's role
            // WHEN its PutMetricData and SendMessage statements are read
            // THEN metrics go to Atelier/Workstations only, and messages to the workstation queue
            assertThat(statementsWith(role, "cloudwatch:PutMetricData")).as(role).singleElement()
                    .satisfies(WorkstationsTest::assertWorkstationNamespaceOnly);
            assertThat(statementsWith(role, "sqs:SendMessage")).as(role).singleElement()
                    .satisfies(statement -> assertThat(statement.get("Resource")).isEqualTo(getAttArn(queueId)));
        }
    }

    // ---- The API's permissions ---------------------------------------------------------------------

    @Test
    void api_shouldStartOnlyPortForwardingSessionsToTaggedInstances() {
        // GIVEN the API's StartSession statements
        List<Map<String, Object>> statements = statementsWith(apiRoleId, "ssm:StartSession");
        // WHEN their resources and conditions are read
        // THEN one allows the port-forwarding document, one tagged instances; both refuse the default shell document
        assertThat(statements).hasSize(2).allSatisfy(statement -> assertThat(String.valueOf(statement.get("Condition")))
                .contains("BoolIfExists={ssm:SessionDocumentAccessCheck=true}"));
        assertThat(statements).anySatisfy(statement -> assertThat(resourcesOf(statement)).singleElement()
                .satisfies(r -> assertThat(r).endsWith("::document/AWS-StartPortForwardingSession")));
        assertThat(statements).anySatisfy(statement -> {
            assertThat(resourcesOf(statement)).singleElement().satisfies(r -> assertThat(r).endsWith(":instance/*"));
            assertThat(String.valueOf(statement.get("Condition"))).contains("Null={ssm:resourceTag/atelier:workspace=false}");
        });
        assertThat(statementsWith(apiRoleId, "ssm:TerminateSession")).singleElement().satisfies(statement ->
                assertThat(statement.get("Condition")).isEqualTo(Map.of("StringLike",
                        Map.of("ssm:resourceTag/aws:ssmmessages:session-id", "${aws:userid}"))));
    }

    @Test
    void api_shouldReadMetricsButNeverCallEc2() {
        // GIVEN the API's role
        List<String> actions = synth.statementsOfRole(apiRoleId).stream()
                .flatMap(s -> SynthesizedStack.actions(s).stream()).toList();
        // WHEN its actions are read
        // THEN it reads metrics, and has no EC2 action at all: the worker alone acts on instances,
        // volumes, and a deleted workspace's AMIs and snapshots
        assertThat(actions).contains("cloudwatch:GetMetricData");
        assertThat(actions).noneMatch(a -> a.startsWith("ec2:"));
    }

    private static void assertWorkstationNamespaceOnly(Map<String, Object> statement) {
        assertThat(statement.get("Resource")).isEqualTo("*");
        assertThat(statement.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Atelier/Workstations")));
    }

    private static List<Map<String, Object>> statementsWith(String roleId, String action) {
        return synth.statementsOfRole(roleId).stream()
                .filter(statement -> SynthesizedStack.actions(statement).contains(action)).toList();
    }

    /** Each resource of a statement as text (joins flattened), to match on ARN shapes. */
    private static List<String> resourcesOf(Map<String, Object> statement) {
        return SynthesizedStack.asList(statement.get("Resource")).stream().map(WorkstationsTest::flatten).toList();
    }

    @SuppressWarnings("unchecked")
    private static String flatten(Object value) {
        if (value instanceof Map<?, ?> map && map.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) map.get("Fn::Join");
            StringBuilder text = new StringBuilder();
            ((List<Object>) join.get(1)).forEach(part -> text.append(flatten(part)));
            return text.toString();
        }
        return String.valueOf(value);
    }
}
