package dev.atelier.identity;

import dev.atelier.facts.FactsLoader;
import dev.atelier.local.LocalResources;
import dev.atelier.testing.LocalEngine;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The deploy-time custom resource that turns the stack's secret into the administrator's token. */
class BootstrapAdminResourceTest {

    @Test
    void create_shouldMakeTheSecretTheAdministratorsToken() {
        Map<String, Object> properties = new HashMap<>(LocalEngine.freshResources());
        try (ApplicationContext context = ApplicationContext.run(properties, "test")) {
            // GIVEN the table and the secret the stack creates
            context.getBean(LocalResources.class).ensureAll();
            String token = TokenSecrets.newSecret(BootstrapAdmin.USER_ID);
            String arn;
            try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                    .httpClient(context.getBean(SdkHttpClient.class)).build()) {
                arn = secrets.createSecret(r -> r.name("atelier-bootstrap-" + UUID.randomUUID()).secretString(token)).arn();
            }
            context.getEnvironment().addPropertySource("stack", Map.of(BootstrapAdminResource.SECRET_ARN_PROPERTY, arn));

            // WHEN CloudFormation creates the resource
            Map<String, Object> result = new BootstrapAdminResource(context)
                    .handleRequest(Map.of("RequestType", "Create",
                            "ResourceProperties", Map.of("PortalUrl", "https://d111.cloudfront.net")), new MockLambdaContext());

            // THEN the secret is a valid site-administrator token
            assertThat(result).containsKey("PhysicalResourceId");
            Caller caller = context.getBean(FactsLoader.class).load("Bearer " + token, null).caller();
            assertThat(caller.userId()).isEqualTo(BootstrapAdmin.USER_ID);
            assertThat(caller.siteAdmin()).isTrue();
            assertThat(context.getBean(TokenStore.class).findBySecretHash(TokenSecrets.hash(token)))
                    .map(TokenItem::tokenId).isEqualTo(Optional.of(BootstrapAdmin.TOKEN_ID));
            // AND the portal's address is recorded for links in mail
            assertThat(context.getBean(LoginLinkStore.class).recipient(BootstrapAdmin.EMAIL))
                    .satisfies(r -> assertThat(r.portalUrl()).hasValue("https://d111.cloudfront.net"))
                    .satisfies(r -> assertThat(r.user()).isPresent());
        }
    }
}
