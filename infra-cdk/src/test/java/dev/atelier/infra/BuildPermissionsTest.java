package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.getAttArn;
import static dev.atelier.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may do what in image builds: the build functions, the API, the build instances. */
class BuildPermissionsTest {

    private static SynthesizedStack synth;
    private static BuildWorkflow workflow;
    private static String stateMachineId;
    private static String instanceRoleId;
    private static final Object ATELIER_IMAGE_BUILDER_RESOURCES = Map.of("Fn::Join", List.of("", List.of(
            "arn:", ref("AWS::Partition"), ":imagebuilder:", ref("AWS::Region"), ":", ref("AWS::AccountId"),
            ":*/atelier-*")));

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        workflow = synth.stack.getBuildWorkflow();
        stateMachineId = synth.logicalId(workflow.getStateMachine());
        instanceRoleId = synth.logicalId(workflow.getInstanceRole());
    }

    @Test
    void stepsFunction_shouldPassOnlyTheBuildInstanceRoleAndOnlyToEc2() {
        // GIVEN the statements of the steps function's role
        List<Map<String, Object>> passRole = statementsWith(stepsRole(), "iam:PassRole");
        // WHEN the PassRole statements are read
        // THEN there is one, for the build instance role, handed to EC2 only
        assertThat(passRole).singleElement().satisfies(statement -> {
            assertThat(statement.get("Resource")).isEqualTo(getAttArn(instanceRoleId));
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")));
        });
        assertThat(statementsWith(synth.logicalId(workflow.getEventsFunction().getRole()), "iam:PassRole")).isEmpty();
        assertThat(statementsWith(synth.logicalId(synth.stack.getApiFunction().getRole()), "iam:PassRole")).isEmpty();
    }

    @Test
    void stepsFunction_shouldCreateOnlyImageBuildersServiceLinkedRole() {
        // GIVEN the statements of the steps function's role
        // WHEN the service-linked role statement is read
        // THEN it is limited to Image Builder's
        assertThat(statementsWith(stepsRole(), "iam:CreateServiceLinkedRole")).singleElement().satisfies(statement -> {
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("StringEquals", Map.of("iam:AWSServiceName", "imagebuilder.amazonaws.com")));
            assertThat(statement.get("Resource").toString()).contains("AWSServiceRoleForImageBuilder");
        });
    }

    @Test
    void imageBuilderActions_shouldApplyToAtelierResourcesOrManagedParentImagesOnly() {
        // GIVEN every statement with an Image Builder action, of every role
        List<Map<String, Object>> statements = synth.resourcesOfType("AWS::IAM::Role").keySet().stream()
                .flatMap(role -> synth.statementsOfRole(role).stream())
                .filter(statement -> SynthesizedStack.actions(statement).stream().anyMatch(a -> a.startsWith("imagebuilder:")))
                .toList();
        // WHEN their resources are read
        // THEN each names Atelier's resources (atelier-*), or reads Amazon's managed parent images
        assertThat(statements).isNotEmpty().allSatisfy(statement -> {
            assertThat(SynthesizedStack.actions(statement)).noneMatch(a -> a.equals("imagebuilder:*"));
            Object resource = statement.get("Resource");
            if (!ATELIER_IMAGE_BUILDER_RESOURCES.equals(resource)) {
                assertThat(SynthesizedStack.actions(statement)).containsExactly("imagebuilder:GetImage");
                assertThat(resource.toString()).contains(":aws:image/*");
            }
        });
        assertThat(actions(stepsRole())).contains("imagebuilder:CreateImage", "imagebuilder:CreateImageRecipe",
                "imagebuilder:CreateInfrastructureConfiguration", "imagebuilder:CreateComponent",
                "imagebuilder:CreateDistributionConfiguration", "imagebuilder:CancelImageCreation",
                "imagebuilder:TagResource", "imagebuilder:DeleteImage");
    }

    @Test
    void taskResponses_shouldBeAllowedOnTheBuildStateMachineOnly() {
        // GIVEN the roles that resume executions: steps, events, API
        for (String role : List.of(stepsRole(), synth.logicalId(workflow.getEventsFunction().getRole()),
                synth.logicalId(synth.stack.getApiFunction().getRole()))) {
            // WHEN their SendTaskSuccess statements are read
            List<Map<String, Object>> statements = statementsWith(role, "states:SendTaskSuccess");
            // THEN they allow success and failure on the build state machine only
            assertThat(statements).as(role).singleElement().satisfies(statement -> {
                assertThat(statement.get("Resource")).isEqualTo(ref(stateMachineId));
                assertThat(SynthesizedStack.actions(statement))
                        .containsExactlyInAnyOrder("states:SendTaskSuccess", "states:SendTaskFailure");
            });
        }
    }

    @Test
    void stepsFunction_shouldGetItsTaskTokenPermissionFromAPolicyItDoesNotWaitFor() {
        // GIVEN the steps function and its separate task-token policy
        String functionId = synth.logicalId(workflow.getStepsFunction());
        String policyId = synth.logicalId(workflow.getStepsTaskTokenPolicy());
        // WHEN the function's dependencies and environment are read
        Object dependsOn = synth.resource(functionId).get("DependsOn");
        // THEN it neither waits for that policy (which names the state machine, which names the
        // function) nor knows the state machine's ARN: no cycle
        assertThat(SynthesizedStack.asList(dependsOn)).doesNotContain(policyId);
        assertThat(synth.properties(functionId).toString()).doesNotContain(stateMachineId);
    }

    @Test
    void api_shouldStartExecutionsOfTheBuildStateMachine() {
        // GIVEN the API function's role
        String apiRole = synth.logicalId(synth.stack.getApiFunction().getRole());
        // WHEN its StartExecution statements are read
        // THEN it may start executions of the build state machine, nothing else
        assertThat(statementsWith(apiRole, "states:StartExecution")).singleElement()
                .satisfies(statement -> assertThat(statement.get("Resource")).isEqualTo(ref(stateMachineId)));
        assertThat(actions(apiRole)).contains("imagebuilder:CancelImageCreation", "imagebuilder:GetImage");
    }

    @Test
    void stateMachine_shouldInvokeOnlyTheStepsFunction() {
        // GIVEN the state machine's role
        String role = synth.logicalId(workflow.getStateMachine().getRole());
        String functionId = synth.logicalId(workflow.getStepsFunction());
        // WHEN its lambda:InvokeFunction resources are collected
        Set<Object> resources = statementsWith(role, "lambda:InvokeFunction").stream()
                .flatMap(statement -> SynthesizedStack.asList(statement.get("Resource")).stream())
                .collect(Collectors.toSet());
        // THEN they are the steps function (and its versions)
        assertThat(resources).contains(getAttArn(functionId))
                .allSatisfy(resource -> assertThat(resource.toString()).contains(functionId));
    }

    @Test
    void buildFunctions_shouldRunTheHandlersWithTheApplicationsEnvironment() {
        // GIVEN the two build functions
        Map<String, Object> steps = synth.properties(synth.logicalId(workflow.getStepsFunction()));
        Map<String, Object> events = synth.properties(synth.logicalId(workflow.getEventsFunction()));
        // WHEN their settings are read
        // THEN they run the two handlers on Java 17 arm64, configured like the API plus Image Builder's settings
        assertThat(steps).containsEntry("Handler", "dev.atelier.BuildStepHandler").containsEntry("Runtime", "java17")
                .containsEntry("MemorySize", 1024).containsEntry("Timeout", 300)
                .containsEntry("Architectures", List.of("arm64"));
        assertThat(events).containsEntry("Handler", "dev.atelier.BuildEventsHandler").containsEntry("Timeout", 60)
                .containsEntry("Architectures", List.of("arm64"));
        for (Map<String, Object> function : List.of(steps, events)) {
            Map<String, Object> env = variables(function);
            assertThat(env).containsEntry("ATELIER_TABLE_NAME", ref(synth.logicalId(synth.stack.getTable())))
                    .containsEntry("ATELIER_BLOB_BUCKET", ref(synth.logicalId(synth.stack.getBlobBucket())))
                    .containsEntry("ATELIER_KMS_KEY_ID", ref(synth.logicalId(synth.stack.getKey())))
                    .containsEntry("ATELIER_IMAGE_BUILDER_INSTANCE_PROFILE",
                            ref(synth.logicalId(workflow.getInstanceProfile())))
                    .containsEntry("ATELIER_IMAGE_BUILDER_REGIONS", ref("AWS::Region"))
                    .doesNotContainKey("ATELIER_IMAGE_BUILDER_SUBNET_ID")
                    .doesNotContainKey("ATELIER_BUILD_STATE_MACHINE_ARN");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void buildInstances_shouldReadOnlyDefinitionBlobs_andWriteOnlyBuildLogs_throughTheirInstanceProfile() {
        // GIVEN the build instance role and its profile
        Map<String, Object> role = synth.properties(instanceRoleId);
        Map<String, Object> profile = synth.properties(synth.logicalId(workflow.getInstanceProfile()));
        // WHEN they are read
        // THEN EC2 assumes the role, which has SSM and Image Builder's instance policies, reads
        // workspaces/* of the blob bucket, writes image-builder-logs/* only, and uses the key
        // through S3 only
        assertThat(profile.get("Roles")).isEqualTo(List.of(ref(instanceRoleId)));
        assertThat(role.get("AssumeRolePolicyDocument").toString()).contains("ec2.amazonaws.com");
        assertThat(role.get("ManagedPolicyArns").toString())
                .contains("policy/AmazonSSMManagedInstanceCore").contains("policy/EC2InstanceProfileForImageBuilder");
        List<Map<String, Object>> statements = synth.statementsOfRole(instanceRoleId);
        String bucketId = synth.logicalId(synth.stack.getBlobBucket());
        assertThat(statements).hasSize(3);
        assertThat(statementsWith(instanceRoleId, "s3:GetObject")).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).containsExactly("s3:GetObject");
            assertThat(statement.get("Resource"))
                    .isEqualTo(Map.of("Fn::Join", List.of("", List.of(getAttArn(bucketId), "/workspaces/*"))));
        });
        assertThat(statementsWith(instanceRoleId, "s3:PutObject")).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).containsExactly("s3:PutObject");
            assertThat(statement.get("Resource"))
                    .isEqualTo(Map.of("Fn::Join", List.of("", List.of(getAttArn(bucketId), "/image-builder-logs/*"))));
        });
        assertThat(statementsWith(instanceRoleId, "kms:Decrypt")).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
            assertThat(((Map<String, Object>) statement.get("Condition")).get("StringEquals").toString())
                    .contains("kms:ViaService").contains("s3.");
        });
    }

    private static String stepsRole() {
        return synth.logicalId(workflow.getStepsFunction().getRole());
    }

    private static List<Map<String, Object>> statementsWith(String roleId, String action) {
        return synth.statementsOfRole(roleId).stream()
                .filter(statement -> SynthesizedStack.actions(statement).contains(action))
                .toList();
    }

    private static Set<String> actions(String roleId) {
        return synth.statementsOfRole(roleId).stream()
                .flatMap(statement -> SynthesizedStack.actions(statement).stream())
                .collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> function) {
        return (Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables");
    }
}
