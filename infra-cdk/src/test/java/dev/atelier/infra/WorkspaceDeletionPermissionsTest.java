package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.getAttArn;
import static dev.atelier.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What may be done to release what a deleted workspace's builds made: the API function removes
 * Image Builder's resources, the blobs and build logs; the workstation worker, told by the API,
 * the AMIs and their snapshots in every distribution region.
 */
class WorkspaceDeletionPermissionsTest {

    private static final Object DEPLOYMENT_REGION_IMAGES = ec2Arn(ref("AWS::Region"), "image");
    private static final Object DEPLOYMENT_REGION_SNAPSHOTS = ec2Arn(ref("AWS::Region"), "snapshot");
    private static final Object ATELIER_IMAGE_BUILDER_RESOURCES = Map.of("Fn::Join", List.of("", List.of(
            "arn:", ref("AWS::Partition"), ":imagebuilder:", ref("AWS::Region"), ":", ref("AWS::AccountId"),
            ":*/atelier-*")));

    private static SynthesizedStack synth;
    private static String apiRoleId;
    private static String workerRoleId;

    @TempDir
    Path dir;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        apiRoleId = synth.logicalId(synth.stack.getApiFunction().getRole());
        workerRoleId = synth.logicalId(synth.stack.getWorkstations().getWorkerFunction().getRole());
    }

    @Test
    void workerPolicy_shouldDescribeImages_whichHaveNoResourceLevelPermissions() {
        // GIVEN the workstation worker's role
        // WHEN its DescribeImages statements are read
        // THEN one allows it (with the worker's other Describe actions) on "*", the only resource IAM accepts for it
        assertThat(statementsWith(workerRoleId, "ec2:DescribeImages")).singleElement()
                .satisfies(statement -> assertThat(statement.get("Resource")).isEqualTo("*"));
    }

    @Test
    void workerPolicy_shouldDeregisterOnlyAmisCarryingTheWorkspaceTag_inTheDeploymentRegion() {
        // GIVEN the workstation worker's role in a stack without configured build regions
        // WHEN its DeregisterImage statements are read
        // THEN one allows it on the images of the stack's region, only when the image has an atelier:workspace tag
        assertThat(statementsWith(workerRoleId, "ec2:DeregisterImage")).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).containsExactly("ec2:DeregisterImage");
            assertThat(statement.get("Resource")).isEqualTo(DEPLOYMENT_REGION_IMAGES);
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("Null", Map.of("aws:ResourceTag/atelier:workspace", "false")));
        });
    }

    @Test
    void workerPolicy_shouldDeleteSnapshotsOfTheDeploymentRegionOnly() {
        // GIVEN the workstation worker's role in a stack without configured build regions
        // WHEN its DeleteSnapshot statements are read
        // THEN one allows it on the snapshots of the stack's region, nothing else
        assertThat(statementsWith(workerRoleId, "ec2:DeleteSnapshot")).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).containsExactly("ec2:DeleteSnapshot");
            assertThat(statement.get("Resource")).isEqualTo(DEPLOYMENT_REGION_SNAPSHOTS);
        });
    }

    @Test
    void apiPolicy_shouldDeleteImageBuilderResourcesNamedAtelierOnly() {
        // GIVEN the API function's role
        // WHEN the statements with Image Builder's Delete actions are read
        List<String> deletes = List.of("imagebuilder:DeleteImage", "imagebuilder:DeleteImageRecipe",
                "imagebuilder:DeleteInfrastructureConfiguration", "imagebuilder:DeleteDistributionConfiguration",
                "imagebuilder:DeleteComponent");
        // THEN each of the five (what ImageBuilder.cleanUp sends) is allowed on atelier-* resources only
        for (String action : deletes) {
            assertThat(statementsWith(apiRoleId, action)).as(action).singleElement()
                    .satisfies(statement -> assertThat(statement.get("Resource")).isEqualTo(ATELIER_IMAGE_BUILDER_RESOURCES));
        }
    }

    @Test
    void apiPolicy_shouldListAndDeleteTheBlobBucketsObjects() {
        // GIVEN the blob bucket, whose workspaces/<slug>/ and image-builder-logs/ prefixes a deletion empties
        String bucketId = synth.logicalId(synth.stack.getBlobBucket());
        Object objects = Map.of("Fn::Join", List.of("", List.of(getAttArn(bucketId), "/*")));
        // WHEN the S3 statements of the API function's role are read
        // THEN one allows listing the bucket (ListObjectsV2) and deleting its objects (DeleteObjects)
        assertThat(statementsWith(apiRoleId, "s3:DeleteObject*")).singleElement().satisfies(statement -> {
            assertThat(SynthesizedStack.actions(statement)).contains("s3:List*");
            assertThat(SynthesizedStack.asList(statement.get("Resource"))).containsExactlyInAnyOrder(getAttArn(bucketId), objects);
        });
    }

    @Test
    void workerPolicy_shouldReachAmisAndSnapshotsInEveryConfiguredBuildRegion() throws IOException {
        // GIVEN a stack whose builds distribute AMIs to two regions
        AtelierStack stack = stackWithBuildRegions("eu-west-1", "us-east-1");
        // WHEN its template is read
        Template template = Template.fromStack(stack);
        // THEN the worker may deregister tagged AMIs and delete snapshots in exactly those regions
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectEquals(Map.of("Action", "ec2:DeregisterImage", "Effect", "Allow",
                        "Resource", List.of(ec2Arn("eu-west-1", "image"), ec2Arn("us-east-1", "image")),
                        "Condition", Map.of("Null", Map.of("aws:ResourceTag/atelier:workspace", "false")))),
                Match.objectEquals(Map.of("Action", "ec2:DeleteSnapshot", "Effect", "Allow",
                        "Resource", List.of(ec2Arn("eu-west-1", "snapshot"), ec2Arn("us-east-1", "snapshot")))))))));
    }

    @Test
    void awsSolutions_shouldFindNothingUnsuppressed_withConfiguredBuildRegions() throws IOException {
        // GIVEN a stack whose builds distribute AMIs to two regions, checked by cdk-nag's AwsSolutions pack
        AtelierStack stack = stackWithBuildRegions("eu-west-1", "us-east-1");
        Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        // WHEN the findings on the API function and the worker are collected
        Annotations annotations = Annotations.fromStack(stack);
        // THEN none is left: the regional image and snapshot wildcards are suppressed with their reasons
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    }

    private AtelierStack stackWithBuildRegions(String... regions) throws IOException {
        return SynthesizedStack.withContext(dir, "Regions", Map.of(AtelierSettings.BUILD_REGIONS, String.join(",", regions)));
    }

    /** {@code arn:<partition>:ec2:<region>::<type>/*} as the template gives it (literal parts joined). */
    private static Object ec2Arn(Object region, String type) {
        List<Object> parts = region instanceof String name
                ? List.of("arn:", ref("AWS::Partition"), ":ec2:" + name + "::" + type + "/*")
                : List.of("arn:", ref("AWS::Partition"), ":ec2:", region, "::" + type + "/*");
        return Map.of("Fn::Join", List.of("", parts));
    }

    private static List<Map<String, Object>> statementsWith(String roleId, String action) {
        return synth.statementsOfRole(roleId).stream()
                .filter(statement -> SynthesizedStack.actions(statement).contains(action))
                .toList();
    }
}
