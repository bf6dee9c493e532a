package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.getAttArn;
import static dev.atelier.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Cognito user pool Atelier's users sign in with, its app client and what the API may do there. */
class IdentityProviderTest {

    private static SynthesizedStack synth;
    private static String poolId;
    private static String clientId;
    private static Map<String, Object> pool;
    private static Map<String, Object> client;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        poolId = synth.logicalId(synth.stack.getUserPool());
        clientId = synth.logicalId(synth.stack.getUserPoolClient());
        pool = synth.properties(poolId);
        client = synth.properties(clientId);
    }

    @Test
    @SuppressWarnings("unchecked")
    void userPool_shouldLetOnlyAtelierCreateUsers_whoSignInWithTheirEmail() {
        // GIVEN the synthesised user pool
        // WHEN its sign-up and sign-in settings are read
        // THEN nobody signs themselves up, the email is the username and is verified by Cognito
        assertThat(pool.get("AdminCreateUserConfig")).isEqualTo(Map.of("AllowAdminCreateUserOnly", true));
        assertThat(pool.get("UsernameAttributes")).isEqualTo(List.of("email"));
        assertThat(pool.get("AutoVerifiedAttributes")).isEqualTo(List.of("email"));
        assertThat(pool.get("UsernameConfiguration")).isEqualTo(Map.of("CaseSensitive", false));
        assertThat(pool).containsEntry("DeletionProtection", "ACTIVE");
        assertThat(synth.resource(poolId)).containsEntry("DeletionPolicy", "Retain")
                .containsEntry("UpdateReplacePolicy", "Retain");
    }

    @Test
    @SuppressWarnings("unchecked")
    void userPool_shouldHoldTheAtelierUserIdAttribute_andAPasswordPolicy() {
        // GIVEN the pool's schema and policies
        List<Map<String, Object>> schema = (List<Map<String, Object>>) pool.get("Schema");
        Map<String, Object> password = (Map<String, Object>) ((Map<String, Object>) pool.get("Policies")).get("PasswordPolicy");
        // WHEN the custom attribute and the password policy are read
        // THEN the id token can carry custom:atelier_user_id, and passwords are 12+ mixed characters
        assertThat(schema).anySatisfy(attribute -> assertThat(attribute)
                .containsEntry("Name", AtelierStack.USER_ID_ATTRIBUTE)
                .containsEntry("AttributeDataType", "String")
                .containsEntry("StringAttributeConstraints", Map.of("MinLength", "1", "MaxLength", "64")));
        assertThat(password).containsEntry("MinimumLength", 12).containsEntry("RequireLowercase", true)
                .containsEntry("RequireUppercase", true).containsEntry("RequireNumbers", true)
                .containsEntry("TemporaryPasswordValidityDays", 7);
    }

    @Test
    @SuppressWarnings("unchecked")
    void appClient_shouldAllowPasswordAndSrpSignIn_withoutASecret() {
        // GIVEN the app client
        // WHEN its flows and secret are read
        // THEN USER_PASSWORD_AUTH and SRP are allowed, and there is no client secret to keep
        assertThat(client).containsEntry("UserPoolId", ref(poolId)).containsEntry("GenerateSecret", false)
                .containsEntry("PreventUserExistenceErrors", "ENABLED");
        assertThat((List<String>) client.get("ExplicitAuthFlows")).containsExactlyInAnyOrder(
                "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH");
    }

    @Test
    @SuppressWarnings("unchecked")
    void appClient_shouldNotLetUsersWriteTheAtelierUserId() {
        // GIVEN the attributes users may write through the app client
        List<String> writable = (List<String>) client.get("WriteAttributes");
        // WHEN they are read THEN the attribute naming the Atelier user is not among them
        assertThat(writable).isNotEmpty().doesNotContain("custom:" + AtelierStack.USER_ID_ATTRIBUTE);
    }

    @Test
    void apiFunction_mayCreateUsersInThisPoolOnly() {
        // GIVEN the statements of the API function's role
        List<Map<String, Object>> statements =
                synth.statementsOfRole(synth.logicalId(synth.stack.getApiFunction().getRole()));
        // WHEN the Cognito statements are picked
        List<Map<String, Object>> cognito = statements.stream()
                .filter(s -> SynthesizedStack.actions(s).stream().anyMatch(a -> a.startsWith("cognito-idp:")))
                .toList();
        // THEN AdminCreateUser (and relinking an existing user) is allowed on this pool and nothing else
        assertThat(cognito).hasSize(1);
        assertThat(SynthesizedStack.actions(cognito.get(0)))
                .containsExactlyInAnyOrder("cognito-idp:AdminCreateUser", "cognito-idp:AdminUpdateUserAttributes");
        assertThat(SynthesizedStack.asList(cognito.get(0).get("Resource"))).containsExactly(getAttArn(poolId));
    }

    @Test
    @SuppressWarnings("unchecked")
    void outputs_shouldNameThePoolAndTheClient() {
        Map<String, Map<String, Object>> outputs = (Map<String, Map<String, Object>>) synth.json.get("Outputs");
        assertThat(outputs.get("UserPoolId")).containsEntry("Value", ref(poolId));
        assertThat(outputs.get("UserPoolClientId")).containsEntry("Value", ref(clientId));
    }

    @Test
    @SuppressWarnings("unchecked")
    void bootstrapResource_shouldRecordThePortalAddress() {
        // GIVEN the bootstrap custom resource WHEN its properties are read
        Map<String, Object> props = (Map<String, Object>) synth.resourcesOfType("Custom::AtelierBootstrapAdmin")
                .values().iterator().next().get("Properties");
        // THEN it is told the portal's CloudFront address, which links in mail point to
        assertThat(props.get("PortalUrl")).isEqualTo(Map.of("Fn::Join", List.of("", List.of("https://",
                Map.of("Fn::GetAtt", List.of(synth.logicalId(synth.stack.getDistribution()), "DomainName"))))));
    }
}
