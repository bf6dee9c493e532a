package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.getAttArn;
import static dev.atelier.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API function, its HTTP API and what the function may do. */
class ApiTest {

    private static SynthesizedStack synth;
    private static String functionId;
    private static Map<String, Object> function;
    private static String apiId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        functionId = synth.logicalId(synth.stack.getApiFunction());
        function = synth.properties(functionId);
        apiId = synth.logicalId(synth.stack.getHttpApi());
    }

    @Test
    void apiFunction_shouldRunTheJavaHandler() {
        // GIVEN the synthesised API function
        // WHEN its runtime settings are read
        // THEN it runs dev.atelier.LambdaHandler on Java 17 with 2 GB for at most 30 s
        assertThat(function)
                .containsEntry("Runtime", "java17")
                .containsEntry("Handler", "dev.atelier.LambdaHandler")
                .containsEntry("MemorySize", 2048)
                .containsEntry("Timeout", 30)
                .containsEntry("Architectures", List.of("arm64"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiFunction_shouldBeConfiguredThroughEnvironment() {
        // GIVEN the table, bucket and key of the stack, and the mailFrom context value
        // WHEN the function's environment is read
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) function.get("Environment"))
                .get("Variables");
        // THEN it names exactly those resources, the sender address and the C1-only JVM options
        // every function shares, and the build state machine, besides the workstation settings (WorkstationsTest)
        Map<String, Object> withoutWorkstations = new HashMap<>(env);
        withoutWorkstations.keySet().removeIf(name -> name.startsWith("ATELIER_WORKSTATIONS_"));
        assertThat(env.keySet()).filteredOn(name -> name.startsWith("ATELIER_WORKSTATIONS_"))
                .containsExactlyInAnyOrder(Workstations.QUEUE_URL_VARIABLE, Workstations.INSTANCE_PROFILE_VARIABLE,
                        Workstations.SUBNET_IDS_VARIABLE, Workstations.SECURITY_GROUP_IDS_VARIABLE);
        Map<String, Object> expected = new HashMap<>(synth.sharedEnvironment());
        expected.put("ATELIER_BUILD_STATE_MACHINE_ARN", ref(synth.logicalId(synth.stack.getBuildWorkflow().getStateMachine())));
        assertThat(withoutWorkstations).isEqualTo(expected);
        assertThat(env).containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiFunction_shouldLogToAGroupKeptOneMonth() {
        // GIVEN the function's logging configuration
        Map<String, Object> logging = (Map<String, Object>) function.get("LoggingConfig");
        String logGroupId = (String) ((Map<String, Object>) logging.get("LogGroup")).get("Ref");
        // WHEN the log group it names is read
        // THEN its events are kept for 30 days
        assertThat(synth.properties(logGroupId)).containsEntry("RetentionInDays", 30);
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiFunction_shouldUseSnapStartBehindAnAlias() {
        // GIVEN the function, its alias and the HTTP API integration
        String aliasId = synth.resourcesOfType("AWS::Lambda::Alias").keySet().iterator().next();
        Map<String, Object> integration = (Map<String, Object>) synth.resourcesOfType("AWS::ApiGatewayV2::Integration")
                .values().iterator().next().get("Properties");
        // WHEN SnapStart and the integration target are read
        // THEN published versions are snapshotted and the API calls the alias of the published version
        assertThat(function).containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        assertThat(synth.properties(aliasId)).containsEntry("FunctionName", ref(functionId));
        assertThat(integration.get("IntegrationUri")).isEqualTo(ref(aliasId));
    }

    @Test
    void apiFunction_shouldWaitForItsPolicyWithoutRestatingItsRole() {
        // GIVEN the function's role and the role's policy
        String roleId = synth.logicalId(synth.stack.getApiFunction().getRole());
        String policyId = synth.resourcesOfType("AWS::IAM::Policy").keySet().stream()
                .filter(id -> ((List<?>) synth.properties(id).get("Roles")).contains(ref(roleId)))
                .findFirst().orElseThrow();
        // WHEN the function's explicit dependencies are read
        Object dependsOn = synth.resource(functionId).get("DependsOn");
        // THEN it waits for the policy (so its first calls are allowed); the role is implied by GetAtt
        assertThat(dependsOn).isEqualTo(List.of(policyId));
        assertThat(function.get("Role")).isEqualTo(getAttArn(roleId));
    }

    @Test
    @SuppressWarnings("unchecked")
    void httpApi_shouldRouteApiAndHealthToTheFunction() {
        // GIVEN the HTTP API's routes and its one integration
        String integrationId = synth.resourcesOfType("AWS::ApiGatewayV2::Integration").keySet().iterator().next();
        // WHEN the routes are read
        Map<String, Object> targets = synth.resourcesOfType("AWS::ApiGatewayV2::Route").values().stream()
                .map(route -> (Map<String, Object>) route.get("Properties"))
                .filter(props -> ref(apiId).equals(props.get("ApiId")))
                .collect(Collectors.toMap(props -> (String) props.get("RouteKey"), props -> props.get("Target")));
        // THEN ANY /api/{proxy+} and GET /health both go to that integration
        Object target = Map.of("Fn::Join", List.of("", List.of("integrations/", ref(integrationId))));
        assertThat(targets).isEqualTo(Map.of("ANY /api/{proxy+}", target, "GET /health", target));
    }

    @Test
    @SuppressWarnings("unchecked")
    void httpApi_shouldUsePayloadFormat2() {
        // GIVEN the HTTP API's integrations
        // WHEN their settings are read
        // THEN the one Lambda proxy integration uses payload format 2.0
        assertThat(synth.resourcesOfType("AWS::ApiGatewayV2::Integration").values())
                .extracting(resource -> (Map<String, Object>) resource.get("Properties"))
                .singleElement()
                .satisfies(props -> assertThat(props)
                        .containsEntry("IntegrationType", "AWS_PROXY")
                        .containsEntry("PayloadFormatVersion", "2.0"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void httpApi_shouldWriteAnAccessLogKeptOneMonth() {
        // GIVEN the HTTP API's default stage
        Map<String, Object> stage = synth.resourcesOfType("AWS::ApiGatewayV2::Stage").values().stream()
                .map(resource -> (Map<String, Object>) resource.get("Properties"))
                .filter(props -> ref(apiId).equals(props.get("ApiId")))
                .findFirst().orElseThrow();
        // WHEN its access log settings are read
        Map<String, Object> settings = (Map<String, Object>) stage.get("AccessLogSettings");
        String logGroupId = (String) ((List<Object>) ((Map<String, Object>) settings.get("DestinationArn"))
                .get("Fn::GetAtt")).get(0);
        // THEN every request is logged (route, status, caller) to a group kept 30 days
        assertThat((String) settings.get("Format")).contains("$context.routeKey", "$context.status",
                "$context.identity.sourceIp", "$context.requestId");
        assertThat(synth.properties(logGroupId)).containsEntry("RetentionInDays", 30);
    }

    @Test
    void outputs_shouldGiveTheApiUrl() {
        // GIVEN the stack outputs
        // WHEN the API URL output is read
        // THEN it is the HTTP API's endpoint
        assertThat(PortalTest.output("ApiUrl").get("Value"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(apiId, "ApiEndpoint")));
    }

    @Test
    void apiPolicy_shouldNotGrantDataActionsOnEveryResource() {
        // GIVEN every statement of the API function's role
        // WHEN the statements for DynamoDB, S3, KMS and SES are picked
        // THEN none of them applies to "*", and no statement allows every action of a service
        statements().forEach(statement -> {
            List<String> actions = SynthesizedStack.actions(statement);
            assertThat(actions).noneMatch(action -> action.equals("*") || action.endsWith(":*"));
            if (actions.stream().anyMatch(a -> a.matches("(dynamodb|s3|kms|ses):.*"))) {
                assertThat(SynthesizedStack.asList(statement.get("Resource"))).doesNotContain("*");
            }
        });
    }

    @Test
    void apiPolicy_shouldLimitDynamoDbToTheTableAndItsIndexes() {
        // GIVEN the table
        String tableId = synth.logicalId(synth.stack.getTable());
        // WHEN the resources of the DynamoDB statements are collected
        Set<Object> resources = resourcesOf("dynamodb:");
        // THEN they are the table and its indexes, nothing else
        assertThat(resources).containsExactlyInAnyOrder(getAttArn(tableId),
                Map.of("Fn::Join", List.of("", List.of(getAttArn(tableId), "/index/*"))));
        assertThat(actionsOf("dynamodb:")).contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    }

    @Test
    void apiPolicy_shouldLimitS3ToTheBlobBucket() {
        // GIVEN the blob bucket
        String bucketId = synth.logicalId(synth.stack.getBlobBucket());
        // WHEN the resources of the S3 statements are collected
        Set<Object> resources = resourcesOf("s3:");
        // THEN they are the blob bucket and its objects, nothing else
        assertThat(resources).containsExactlyInAnyOrder(getAttArn(bucketId),
                Map.of("Fn::Join", List.of("", List.of(getAttArn(bucketId), "/*"))));
        assertThat(actionsOf("s3:")).contains("s3:GetObject*", "s3:PutObject", "s3:DeleteObject*");
    }

    @Test
    void apiPolicy_shouldLimitKmsToTheAtelierKey() {
        // GIVEN the key
        String keyId = synth.logicalId(synth.stack.getKey());
        // WHEN the resources of the KMS statements are collected
        // THEN they are that key only, for encrypt, decrypt and data keys
        assertThat(resourcesOf("kms:")).containsExactly(getAttArn(keyId));
        assertThat(actionsOf("kms:")).contains("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*");
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiPolicy_shouldLimitMailToTheSesIdentity() {
        // GIVEN the SES identity created for mailFrom
        Map.Entry<String, Map<String, Object>> identity = synth.resourcesOfType("AWS::SES::EmailIdentity")
                .entrySet().iterator().next();
        // WHEN the resources of the SES statements are collected
        Set<Object> resources = resourcesOf("ses:");
        // THEN mail may be sent as that identity only
        assertThat((Map<String, Object>) identity.getValue().get("Properties"))
                .containsEntry("EmailIdentity", SynthesizedStack.MAIL_FROM);
        assertThat(actionsOf("ses:")).contains("ses:SendEmail");
        assertThat(resources).singleElement().asString().contains("identity/").contains(identity.getKey());
    }

    @Test
    void apiPolicy_shouldNotReachTheBootstrapSecret() {
        // GIVEN every statement of the API function's role
        // WHEN Secrets Manager actions are looked for
        // THEN there are none: only the bootstrap resource reads the token
        assertThat(actionsOf("secretsmanager:")).isEmpty();
    }

    private static List<Map<String, Object>> statements() {
        return synth.statementsOfRole(synth.logicalId(synth.stack.getApiFunction().getRole()));
    }

    private static Set<Object> resourcesOf(String servicePrefix) {
        return statements().stream()
                .filter(statement -> SynthesizedStack.actions(statement).stream().anyMatch(a -> a.startsWith(servicePrefix)))
                .flatMap(statement -> SynthesizedStack.asList(statement.get("Resource")).stream())
                .collect(Collectors.toSet());
    }

    private static Set<String> actionsOf(String servicePrefix) {
        return statements().stream()
                .flatMap(statement -> SynthesizedStack.actions(statement).stream())
                .filter(action -> action.startsWith(servicePrefix))
                .collect(Collectors.toSet());
    }
}
