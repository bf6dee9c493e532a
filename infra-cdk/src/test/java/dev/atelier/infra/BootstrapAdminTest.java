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

/** The first administrator: a generated token in Secrets Manager and a custom resource using it. */
class BootstrapAdminTest {

    private static SynthesizedStack synth;
    private static String secretId;
    private static String functionId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        secretId = synth.logicalId(synth.stack.getBootstrapSecret());
        functionId = synth.logicalId(synth.stack.getBootstrapFunction());
    }

    @Test
    void bootstrapSecret_shouldHoldAGeneratedTokenEncryptedWithTheKey() {
        // GIVEN the bootstrap secret
        // WHEN its properties are read
        Map<String, Object> props = synth.properties(secretId);
        // THEN Secrets Manager generates a 48-character token without punctuation, under the Atelier key
        assertThat(props.get("GenerateSecretString"))
                .isEqualTo(Map.of("PasswordLength", 48, "ExcludePunctuation", true));
        assertThat(props.get("KmsKeyId")).isEqualTo(getAttArn(synth.logicalId(synth.stack.getKey())));
    }

    @Test
    @SuppressWarnings("unchecked")
    void bootstrapResource_shouldRunTheBootstrapHandlerThroughAProvider() {
        // GIVEN the custom resource
        Map<String, Map<String, Object>> resources = synth.resourcesOfType("Custom::AtelierBootstrapAdmin");
        assertThat(resources).hasSize(1);
        Map<String, Object> props = (Map<String, Object>) resources.values().iterator().next().get("Properties");
        // WHEN the provider function behind its service token is read
        String providerFunctionId = (String) ((List<Object>) ((Map<String, Object>) props.get("ServiceToken"))
                .get("Fn::GetAtt")).get(0);
        Map<String, Object> providerEnv = (Map<String, Object>) ((Map<String, Object>)
                synth.properties(providerFunctionId).get("Environment")).get("Variables");
        // THEN the provider hands the events to the bootstrap function
        assertThat(providerEnv.get("USER_ON_EVENT_FUNCTION_ARN")).isEqualTo(getAttArn(functionId));
        assertThat(props).containsEntry("SecretArn", ref(secretId));
    }

    @Test
    @SuppressWarnings("unchecked")
    void bootstrapFunction_shouldRunTheBootstrapHandlerFromTheSameJar() {
        // GIVEN the bootstrap function and the API function
        Map<String, Object> props = synth.properties(functionId);
        Map<String, Object> apiProps = synth.properties(synth.logicalId(synth.stack.getApiFunction()));
        // WHEN their handler, code and environment are read
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) props.get("Environment")).get("Variables");
        // THEN the bootstrap handler runs from the same asset, told the table and the secret
        assertThat(props).containsEntry("Handler", "dev.atelier.identity.BootstrapAdminResource::handleRequest")
                .containsEntry("Runtime", "java17");
        assertThat(props.get("Code")).isEqualTo(apiProps.get("Code"));
        assertThat(env).containsEntry("ATELIER_TABLE_NAME", ref(synth.logicalId(synth.stack.getTable())))
                .containsEntry("ATELIER_BOOTSTRAP_SECRET_ARN", ref(secretId));
    }

    @Test
    void bootstrapFunction_shouldReadOnlyTheBootstrapSecret() {
        // GIVEN the statements of the bootstrap function's role
        List<Map<String, Object>> statements =
                synth.statementsOfRole(synth.logicalId(synth.stack.getBootstrapFunction().getRole()));
        // WHEN the Secrets Manager statements are picked
        List<Map<String, Object>> secretStatements = statements.stream()
                .filter(s -> SynthesizedStack.actions(s).stream().anyMatch(a -> a.startsWith("secretsmanager:")))
                .toList();
        // THEN they read, and only read, the bootstrap secret
        assertThat(secretStatements).isNotEmpty().allSatisfy(statement -> {
            assertThat(SynthesizedStack.asList(statement.get("Resource"))).containsExactly(ref(secretId));
            assertThat(SynthesizedStack.actions(statement))
                    .allMatch(a -> a.equals("secretsmanager:GetSecretValue") || a.equals("secretsmanager:DescribeSecret"));
        });
    }

    @Test
    void bootstrapFunction_shouldWriteOnlyTheTable() {
        // GIVEN the statements of the bootstrap function's role
        String tableId = synth.logicalId(synth.stack.getTable());
        List<Map<String, Object>> statements =
                synth.statementsOfRole(synth.logicalId(synth.stack.getBootstrapFunction().getRole()));
        // WHEN the DynamoDB statements are picked
        Set<Object> resources = statements.stream()
                .filter(s -> SynthesizedStack.actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:")))
                .flatMap(s -> SynthesizedStack.asList(s.get("Resource")).stream())
                .collect(Collectors.toSet());
        Set<String> actions = statements.stream().flatMap(s -> SynthesizedStack.actions(s).stream())
                .collect(Collectors.toSet());
        // THEN it may put items in the Atelier table (and its indexes) and nowhere else
        assertThat(actions).contains("dynamodb:PutItem");
        assertThat(resources).containsExactlyInAnyOrder(getAttArn(tableId),
                Map.of("Fn::Join", List.of("", List.of(getAttArn(tableId), "/index/*"))));
    }

    @Test
    void outputs_shouldSayHowToReadTheBootstrapToken() {
        // GIVEN the stack outputs
        Map<String, Object> output = PortalTest.output("BootstrapSecretArn");
        // WHEN the bootstrap secret output is read
        // THEN it gives the secret's ARN and the command that reads it
        assertThat(output.get("Value")).isEqualTo(ref(secretId));
        assertThat((String) output.get("Description")).contains("aws secretsmanager get-secret-value");
    }
}
