package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A deployed stack keeps its resources: every logical id of the stack as first deployed (before
 * it was organised in parts) is still in the template. A resource whose logical id changes is
 * replaced on the next deployment: a new, empty table, bucket or user pool.
 */
class LogicalIdsTest {

    /** The logical ids of the stack as deployed before the parts (Lambda versions left out: they change with every code change). */
    static final String DEPLOYED_IDS = "deployed-logical-ids.txt";

    @Test
    void template_shouldKeepEveryDeployedLogicalId() throws IOException {
        // GIVEN the logical ids of the deployed layout
        List<String> deployed;
        try (InputStream in = LogicalIdsTest.class.getResourceAsStream(DEPLOYED_IDS)) {
            deployed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
        }
        // WHEN the synthesised template's resources are read
        // THEN each of them is still there
        assertThat(deployed).hasSizeGreaterThan(50);
        assertThat(SynthesizedStack.get().resources().keySet()).containsAll(deployed);
    }

    @Test
    @SuppressWarnings("unchecked")
    void portalRewrite_shouldKeepItsDeployedName() {
        // GIVEN the portal's CloudFront Function (its name cannot change without replacing it)
        SynthesizedStack synth = SynthesizedStack.get();
        // WHEN its name is read
        Object name = synth.properties("PortalRewriteD779A456").get("Name");
        // THEN it is the name CDK gave it in the flat stack: the region followed by its path's unique id
        assertThat(name).isEqualTo(Map.of("Fn::Join", List.of("",
                List.of(Map.of("Ref", "AWS::Region"), "AtelierStackPortalRewrite47CDB1D9"))));
    }

    @Test
    void stackPart_shouldComputeIdsAsCdkDoes() {
        // GIVEN paths whose ids CDK computed for the flat stack (template of the deployed layout)
        // WHEN the part-free unique id is computed
        // THEN it is the same, including CDK's dropping of a component its predecessor ends with
        assertThat(StackPart.flatUniqueId(List.of("Table", "Resource"))).isEqualTo("TableCD117FA1");
        assertThat(StackPart.flatUniqueId(List.of("ApiFunction", "ServiceRole", "DefaultPolicy", "Resource")))
                .isEqualTo("ApiFunctionServiceRoleDefaultPolicy20A32B8D");
        assertThat(StackPart.flatUniqueId(List.of("AtelierStack", "Portal", "Origin1")))
                .isEqualTo("AtelierStackPortalOrigin12E860A82");
        assertThat(StackPart.flatUniqueId(List.of("BootstrapAdmin", "Default"))).isEqualTo("BootstrapAdmin");
    }
}
