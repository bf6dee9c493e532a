package dev.atelier.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The API: one Java function ({@link AtelierStack#API_HANDLER}) behind an HTTP API with the
 * routes {@code ANY /api/{proxy+}} and {@code GET /health}, and what the function may do.
 */
final class Api extends StackPart {

    /** One line per request in the API's access log (JSON, the fields API Gateway documents). */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"requestTime\":\"$context.requestTime\",\"httpMethod\":\"$context.httpMethod\","
            + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\","
            + "\"integrationError\":\"$context.integrationErrorMessage\"}";

    final Function function;
    final HttpApi httpApi;
    final LogGroup accessLogs;

    Api(Construct scope, String id, ApplicationFunctions functions, Data data, Identity identity,
        BuildWorkflow builds) {
        super(scope, id);
        this.function = functions.create(this, "ApiFunction", "Atelier API", ApplicationFunctions.Artifact.API,
                AtelierStack.API_HANDLER, 2048,
                Duration.seconds(30),
                Map.of(BuildWorkflow.STATE_MACHINE_ARN_VARIABLE, builds.getStateMachine().getStateMachineArn()),
                // SnapStart restores published versions from a snapshot taken after init: cold
                // starts drop from ~2 s to well under a second. The HTTP API calls the alias.
                builder -> builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS));
        Alias live = Alias.Builder.create(this, "ApiFunctionLive")
                .aliasName("live")
                .version(function.getCurrentVersion())
                .build();

        // Least privilege: item data of this table and its indexes, objects of this bucket, this
        // key, and sending mail as this identity only.
        data.table.grantReadWriteData(function);
        data.blobBucket.grantReadWrite(function);
        data.key.grantEncryptDecrypt(function);
        identity.mailIdentity.grantSendEmail(function);
        // Creating a user also creates their account in this pool (linking it when it exists).
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cognito-idp:AdminCreateUser", "cognito-idp:AdminUpdateUserAttributes"))
                .resources(List.of(identity.userPool.getUserPoolArn()))
                .build());
        builds.grantApi(function);

        HttpLambdaIntegration integration = HttpLambdaIntegration.Builder.create("ApiIntegration", live)
                .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                .build();
        this.httpApi = HttpApi.Builder.create(this, "HttpApi")
                .apiName("atelier")
                .description("Atelier API")
                .build();
        httpApi.addRoutes(AddRoutesOptions.builder()
                .path("/api/{proxy+}").methods(List.of(HttpMethod.ANY)).integration(integration).build());
        httpApi.addRoutes(AddRoutesOptions.builder()
                .path("/health").methods(List.of(HttpMethod.GET)).integration(integration).build());

        // Access log of the API (who called which route, with which status), kept one month.
        this.accessLogs = logGroup("HttpApiAccessLogs");
        ((CfnStage) httpApi.getDefaultStage().getNode().getDefaultChild())
                .setAccessLogSettings(CfnStage.AccessLogSettingsProperty.builder()
                        .destinationArn(accessLogs.getLogGroupArn())
                        .format(ACCESS_LOG_FORMAT)
                        .build());
    }
}
