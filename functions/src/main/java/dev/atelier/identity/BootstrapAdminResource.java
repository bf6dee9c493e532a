package dev.atelier.identity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.util.Map;

/**
 * The CloudFormation custom resource (CDK {@code Provider} on-event handler) that makes the
 * token in the stack's bootstrap secret the site administrator's token, at deploy time, and
 * records the portal's address (property {@code PortalUrl}) for links in mail. On create and
 * update it (re)applies both; on delete it leaves the data alone, as the table itself is retained.
 */
public class BootstrapAdminResource implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String SECRET_ARN_PROPERTY = "atelier.bootstrap-secret-arn";

    private final ApplicationContext context;

    public BootstrapAdminResource() {
        this(ApplicationContext.run());
    }

    /** For tests: run against an application context built elsewhere. */
    public BootstrapAdminResource(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context lambdaContext) {
        String requestType = String.valueOf(event.get("RequestType"));
        String secretArn = context.getProperty(SECRET_ARN_PROPERTY, String.class)
                .orElseThrow(() -> new IllegalStateException("ATELIER_BOOTSTRAP_SECRET_ARN is not set"));
        if ("Create".equals(requestType) || "Update".equals(requestType)) {
            try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                    .httpClient(context.getBean(SdkHttpClient.class)).build()) {
                String token = secrets.getSecretValue(r -> r.secretId(secretArn)).secretString().strip();
                context.getBean(BootstrapAdmin.class).ensure(token);
                Object properties = event.get("ResourceProperties");
                if (properties instanceof Map<?, ?> map && map.get("PortalUrl") instanceof String portalUrl) {
                    context.getBean(BootstrapAdmin.class).rememberPortalUrl(portalUrl);
                }
            }
        }
        return Map.of("PhysicalResourceId", "atelier-bootstrap-admin");
    }
}
