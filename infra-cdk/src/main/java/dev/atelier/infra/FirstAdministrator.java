package dev.atelier.infra;

import java.util.Map;

import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The first administrator: a generated one-time token in Secrets Manager, and a custom resource
 * whose function ({@link AtelierStack#BOOTSTRAP_HANDLER}, the API's artifact) creates the first
 * administrator from it and records the portal's address in the table.
 */
final class FirstAdministrator extends StackPart {

    final Secret token;
    final Function function;
    final Provider provider;

    FirstAdministrator(Construct scope, String id, ApplicationFunctions functions, Data data, String portalUrl) {
        super(scope, id);
        this.token = Secret.Builder.create(this, "BootstrapToken")
                .description("Atelier: one-time token of the first administrator")
                .encryptionKey(data.key)
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(48)
                        .excludePunctuation(true)
                        .build())
                .build();

        this.function = functions.create(this, "BootstrapAdminFunction",
                "Atelier: creates the first administrator from the bootstrap token",
                ApplicationFunctions.Artifact.API, AtelierStack.BOOTSTRAP_HANDLER,
                1024, Duration.minutes(2),
                Map.of("ATELIER_BOOTSTRAP_SECRET_ARN", token.getSecretArn()),
                builder -> { });
        token.grantRead(function);
        // Read as well as write: the resource runs again on every update and must find what an
        // earlier run created (idempotent, with condition checks) instead of failing.
        data.table.grantReadWriteData(function);

        this.provider = Provider.Builder.create(this, "BootstrapAdminProvider")
                .onEventHandler(function)
                .logGroup(logGroup("BootstrapAdminProviderLogs"))
                .build();
        CustomResource.Builder.create(this, "BootstrapAdmin")
                .resourceType("Custom::AtelierBootstrapAdmin")
                .serviceToken(provider.getServiceToken())
                // The portal's address reaches the API through the table (links in mail point
                // there): as an environment variable it would make the function depend on the
                // distribution, which depends on the function.
                .properties(Map.of(
                        "TableName", data.table.getTableName(),
                        "SecretArn", token.getSecretArn(),
                        "PortalUrl", portalUrl))
                .build();
    }
}
