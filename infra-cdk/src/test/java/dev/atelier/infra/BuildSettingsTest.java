package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/** The build settings a deployment chooses through CDK context. */
class BuildSettingsTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void context_shouldSetTheTimeoutRegionsSubnetAndSecurityGroups() throws IOException {
        // GIVEN a stack synthesised with every build setting given (regions and groups as -c gives them)
        AtelierStack stack = SynthesizedStack.withContext(dir, "Settings", Map.of(
                AtelierSettings.BUILD_TIMEOUT_MINUTES, "90",
                AtelierSettings.BUILD_REGIONS, "eu-west-1, us-east-1",
                AtelierSettings.BUILD_SUBNET_ID, "subnet-0123456789abcdef0",
                AtelierSettings.BUILD_SECURITY_GROUP_IDS, "sg-0123456789abcdef0,sg-0fedcba9876543210"));
        Map<String, Object> resources = (Map<String, Object>) Template.fromStack(stack).toJSON().get("Resources");
        // WHEN the steps function's environment and the waiting task's timeout are read
        String functionId = stack.getLogicalId((software.amazon.awscdk.CfnElement)
                stack.getBuildWorkflow().getStepsFunction().getNode().getDefaultChild());
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) resources.get(functionId)).get("Properties")).get("Environment")).get("Variables");
        // THEN they carry the chosen values
        assertThat(env).containsEntry("ATELIER_IMAGE_BUILDER_REGIONS", "eu-west-1,us-east-1")
                .containsEntry("ATELIER_IMAGE_BUILDER_SUBNET_ID", "subnet-0123456789abcdef0")
                .containsEntry("ATELIER_IMAGE_BUILDER_SECURITY_GROUP_IDS", "sg-0123456789abcdef0,sg-0fedcba9876543210");
        String definition = Template.fromStack(stack).toJSON().toString();
        assertThat(definition).contains("\"TimeoutSeconds\":5400");
    }

    @Test
    void settings_shouldRefuseABuildTimeoutOutsideOneMinuteToOneWeek() throws IOException {
        // GIVEN a jar and a site directory that exist
        Path jar = Files.createFile(dir.resolve("f.jar"));
        // WHEN the build timeout is zero or longer than a week
        // THEN the settings are refused, naming the context key
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofDays(8))) {
            assertThatThrownBy(() -> new AtelierSettings(jar, jar, jar, dir, "a@b.example", timeout, List.of(), null, List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(AtelierSettings.BUILD_TIMEOUT_MINUTES);
        }
    }

    @Test
    void settings_shouldRefuseMalformedRegionsSubnetsAndGroups() throws IOException {
        // GIVEN a jar and a site directory that exist
        Path jar = Files.createFile(dir.resolve("f.jar"));
        Duration timeout = AtelierSettings.DEFAULT_BUILD_TIMEOUT;
        // WHEN a region, subnet or group is malformed, or groups come without a subnet
        // THEN the settings are refused, naming the context key
        assertThatThrownBy(() -> new AtelierSettings(jar, jar, jar, dir, "a@b.example", timeout, List.of("europe"), null, List.of()))
                .hasMessageContaining(AtelierSettings.BUILD_REGIONS);
        assertThatThrownBy(() -> new AtelierSettings(jar, jar, jar, dir, "a@b.example", timeout, List.of(), "vpc-1", List.of()))
                .hasMessageContaining(AtelierSettings.BUILD_SUBNET_ID);
        assertThatThrownBy(() -> new AtelierSettings(jar, jar, jar, dir, "a@b.example", timeout, List.of(),
                "subnet-0123456789abcdef0", List.of("sg 1")))
                .hasMessageContaining(AtelierSettings.BUILD_SECURITY_GROUP_IDS);
        assertThatThrownBy(() -> new AtelierSettings(jar, jar, jar, dir, "a@b.example", timeout, List.of(), null,
                List.of("sg-0123456789abcdef0")))
                .hasMessageContaining(AtelierSettings.BUILD_SUBNET_ID);
    }
}
