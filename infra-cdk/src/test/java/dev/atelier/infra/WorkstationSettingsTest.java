package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/** Where workstations run, as a deployment chooses it through CDK context. */
class WorkstationSettingsTest {

    private static final String SUBNET_A = "subnet-0123456789abcdef0";
    private static final String SUBNET_B = "subnet-0fedcba9876543210";
    private static final String VPC = "vpc-0123456789abcdef0";
    private static final String GROUP = "sg-0123456789abcdef0";

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void existingSubnets_shouldBeUsedWithoutAVpcOfTheStack_andGetTheStacksSecurityGroupInTheirVpc() throws IOException {
        // GIVEN a stack synthesised with an existing VPC's subnets (as -c gives them) and no security group
        Synthesized synth = synthesize(Map.of(WorkstationSettings.VPC_ID, VPC,
                WorkstationSettings.SUBNET_IDS, SUBNET_A + ", " + SUBNET_B));
        Workstations workstations = synth.stack.getWorkstations();
        // WHEN its network resources and the worker's environment are read
        Map<String, Object> env = synth.environment(workstations.getWorkerFunction());
        Map<String, Object> group = synth.properties(workstations.getSecurityGroup());
        // THEN no VPC or NAT gateway is made, the subnets reach the functions as given, and the
        // workstation security group (still without inbound rules) is made in that VPC
        assertThat(synth.ofType("AWS::EC2::VPC")).isEmpty();
        assertThat(synth.ofType("AWS::EC2::NatGateway")).isEmpty();
        assertThat(env).containsEntry(Workstations.SUBNET_IDS_VARIABLE, SUBNET_A + "," + SUBNET_B);
        assertThat(group).containsEntry("VpcId", VPC).doesNotContainKey("SecurityGroupIngress");
        assertThat(synth.json).contains(":subnet/" + SUBNET_A).contains(":subnet/" + SUBNET_B);
    }

    @Test
    void existingSecurityGroups_shouldReplaceTheStacksGroup() throws IOException {
        // GIVEN a stack synthesised with existing subnets and security groups
        Synthesized synth = synthesize(Map.of(WorkstationSettings.SUBNET_IDS, SUBNET_A,
                WorkstationSettings.SECURITY_GROUP_IDS, GROUP));
        Workstations workstations = synth.stack.getWorkstations();
        // WHEN the security groups and the API's environment are read
        Map<String, Object> env = synth.environment(synth.stack.getApiFunction());
        // THEN the stack makes no security group for workstations and hands the given one on
        assertThat(workstations.getSecurityGroup()).isNull();
        assertThat(synth.ofType("AWS::EC2::SecurityGroup")).isEmpty();
        assertThat(env).containsEntry(Workstations.SECURITY_GROUP_IDS_VARIABLE, GROUP)
                .containsEntry(Workstations.SUBNET_IDS_VARIABLE, SUBNET_A);
        assertThat(synth.json).contains(":security-group/" + GROUP);
    }

    @Test
    void interfaceEndpoints_shouldAddSystemsManagerAndCloudWatchEndpointsToTheStacksVpc() throws IOException {
        // GIVEN a stack synthesised with interface endpoints switched on
        Synthesized synth = synthesize(Map.of(WorkstationSettings.INTERFACE_ENDPOINTS, "true"));
        // WHEN its VPC endpoints are read
        List<String> endpoints = synth.ofType("AWS::EC2::VPCEndpoint").values().stream().map(Object::toString).toList();
        String workstationGroup = synth.stack.getLogicalId((CfnElement) synth.stack.getWorkstations()
                .getSecurityGroup().getNode().getDefaultChild());
        List<String> ingress = synth.ofType("AWS::EC2::SecurityGroupIngress").values().stream().map(Object::toString).toList();
        // THEN the five interface endpoints Session Manager, metrics and logs need are there, with
        // private DNS, next to S3's gateway; they admit HTTPS from the workstation group only
        assertThat(endpoints).hasSize(6);
        for (String service : List.of(".ssm", ".ssmmessages", ".ec2messages", ".monitoring", ".logs")) {
            assertThat(endpoints).as(service).anySatisfy(endpoint -> assertThat(endpoint)
                    .contains("VpcEndpointType=Interface").contains("PrivateDnsEnabled=true").contains(service + "]"));
        }
        assertThat(ingress).singleElement().satisfies(rule -> assertThat(rule).contains("FromPort=443")
                .contains("ToPort=443").contains("SourceSecurityGroupId={Fn::GetAtt=[" + workstationGroup + ", GroupId]}")
                .doesNotContain("CidrIp"));
        assertThat(synth.ofType("AWS::EC2::SecurityGroup")).hasSize(2);
    }

    @Test
    void settings_shouldRefuseMalformedIdsAndIncompleteCombinations() {
        // GIVEN well-formed ids
        // WHEN an id is malformed, or a value comes without what it needs
        // THEN the settings are refused, naming the context key
        assertThatThrownBy(() -> new WorkstationSettings(null, List.of("subnet 1"), List.of(GROUP), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(WorkstationSettings.SUBNET_IDS);
        assertThatThrownBy(() -> new WorkstationSettings("vpc-x", List.of(SUBNET_A), List.of(), false))
                .hasMessageContaining(WorkstationSettings.VPC_ID);
        assertThatThrownBy(() -> new WorkstationSettings(null, List.of(SUBNET_A), List.of("group"), false))
                .hasMessageContaining(WorkstationSettings.SECURITY_GROUP_IDS);
        assertThatThrownBy(() -> new WorkstationSettings(VPC, List.of(), List.of(), false))
                .hasMessageContaining(WorkstationSettings.SUBNET_IDS);
        assertThatThrownBy(() -> new WorkstationSettings(null, List.of(SUBNET_A), List.of(), false))
                .hasMessageContaining(WorkstationSettings.VPC_ID);
        assertThatThrownBy(() -> new WorkstationSettings(VPC, List.of(SUBNET_A), List.of(), true))
                .hasMessageContaining(WorkstationSettings.INTERFACE_ENDPOINTS);
    }

    @Test
    void context_shouldRefuseAnInterfaceEndpointsValueOtherThanTrueOrFalse() throws IOException {
        // GIVEN a jar and a site directory that exist
        // WHEN the stack is synthesised with interface endpoints "yes"
        // THEN it is refused, naming the context key
        assertThatThrownBy(() -> synthesize(Map.of(WorkstationSettings.INTERFACE_ENDPOINTS, "yes")))
                .hasMessageContaining(WorkstationSettings.INTERFACE_ENDPOINTS);
    }

    private Synthesized synthesize(Map<String, String> workstationContext) throws IOException {
        Path jar = dir.resolve("f.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        Path site = Files.createDirectories(dir.resolve("site"));
        Map<String, Object> context = new HashMap<>(workstationContext);
        context.put(AtelierSettings.API_JAR, jar.toString());
        context.put(AtelierSettings.BUILDS_JAR, jar.toString());
        context.put(AtelierSettings.WORKSTATIONS_JAR, jar.toString());
        context.put(AtelierSettings.SITE_DIR, site.toString());
        App app = App.Builder.create().outdir(dir.resolve("out").toString()).context(context).build();
        AtelierStack stack = new AtelierStack(app, "Workstations", StackProps.builder().build());
        return new Synthesized(stack, Template.fromStack(stack).toJSON());
    }

    private record Synthesized(AtelierStack stack, Map<String, Object> template, String json) {

        Synthesized(AtelierStack stack, Map<String, Object> template) {
            this(stack, template, template.toString());
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> ofType(String type) {
            Map<String, Object> found = new HashMap<>();
            ((Map<String, Map<String, Object>>) template.get("Resources")).forEach((id, resource) -> {
                if (type.equals(resource.get("Type"))) {
                    found.put(id, resource);
                }
            });
            return found;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> properties(software.constructs.IConstruct construct) {
            String id = stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
            return (Map<String, Object>) ((Map<String, Map<String, Object>>) template.get("Resources")).get(id).get("Properties");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> environment(software.constructs.IConstruct function) {
            return (Map<String, Object>) ((Map<String, Object>) properties(function).get("Environment")).get("Variables");
        }
    }
}
