package dev.atelier.infra;

import java.util.List;

import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * Everything a company deploys into its own AWS account to run Atelier, one part per concern:
 * {@link Data} (one KMS key, the table, the blob bucket, the access-log bucket), {@link Identity}
 * (the Cognito user pool and client, the mail identity), {@link Api} (one Java function behind an
 * HTTP API), {@link BuildWorkflow} (image builds), {@link Portal} (a private site bucket behind
 * CloudFront, which also routes {@code /api/*} to the API) and {@link FirstAdministrator} (the
 * bootstrap token). Every application function shares one environment ({@link ApplicationFunctions}).
 *
 * <p>Logical ids are those of the stack before it had parts ({@link StackPart}): a deployed stack
 * keeps its table, buckets, key and user pool across this layout.
 */
public class AtelierStack extends Stack {

    /** Top-level folders of the portal site; any other first path segment is a workspace slug. */
    public static final List<String> SITE_FOLDERS = List.of("sign-in", "workspaces", "invitations", "tokens", "users", "w", "css", "js", "img");
    /** Classpath resource holding the CloudFront Function that maps workspace paths onto the site. */
    public static final String REWRITE_FUNCTION_RESOURCE = Portal.REWRITE_FUNCTION_RESOURCE;

    static final String API_HANDLER = "dev.atelier.LambdaHandler";
    static final String BOOTSTRAP_HANDLER = "dev.atelier.identity.BootstrapAdminResource::handleRequest";
    /** The user attribute naming the Atelier user (the id token carries it as {@code custom:atelier_user_id}). */
    static final String USER_ID_ATTRIBUTE = "atelier_user_id";

    private final Data data;
    private final Identity identity;
    private final BuildWorkflow buildWorkflow;
    private final Workstations workstations;
    private final Api api;
    private final Portal portal;
    private final FirstAdministrator firstAdministrator;

    public AtelierStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        // S3 server access logs are delivered under a bucket policy naming the logged buckets,
        // instead of the legacy log-delivery ACL on the whole log bucket.
        getNode().setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        AtelierSettings settings = AtelierSettings.fromContext(getNode());

        this.data = new Data(this, "Data");
        this.identity = new Identity(this, "Identity", settings);
        ApplicationFunctions functions = new ApplicationFunctions(settings, data, identity);
        this.buildWorkflow = new BuildWorkflow(this, "Builds", settings, functions, data);
        this.workstations = new Workstations(this, "Workstations", WorkstationSettings.fromContext(getNode()),
                functions, data);
        this.api = new Api(this, "Api", functions, data, identity, buildWorkflow);
        workstations.grantApi(api.function);
        buildWorkflow.grantImageRelease(workstations.getWorkerFunction());
        this.portal = new Portal(this, "Portal", settings, data, api.httpApi);
        String portalUrl = "https://" + portal.distribution.getDistributionDomainName();
        this.firstAdministrator = new FirstAdministrator(this, "FirstAdministrator", functions, data, portalUrl);

        CfnOutput.Builder.create(this, "PortalUrl")
                .description("Atelier portal: open this address in a browser")
                .value(portalUrl)
                .build();
        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Atelier API endpoint (the portal also reaches it under /api/)")
                .value(api.httpApi.getApiEndpoint())
                .build();
        CfnOutput.Builder.create(this, "BootstrapSecretArn")
                .description("Token of the first administrator; read it with: aws secretsmanager "
                        + "get-secret-value --secret-id <this ARN> --query SecretString --output text")
                .value(firstAdministrator.token.getSecretArn())
                .build();
        CfnOutput.Builder.create(this, "UserPoolId")
                .description("Cognito user pool of Atelier's users (sign-in with email and password)")
                .value(identity.userPool.getUserPoolId())
                .build();
        CfnOutput.Builder.create(this, "UserPoolClientId")
                .description("App client of the user pool that Atelier's id tokens are issued to")
                .value(identity.userPoolClient.getUserPoolClientId())
                .build();

        AtelierNagSuppressions.addTo(this);
        Aspects.of(this).add(new OmitImpliedRoleDependency());
    }

    /** As if the parts were not there: see {@link StackPart}. */
    @Override
    protected String allocateLogicalId(CfnElement element) {
        return StackPart.flatLogicalId(element);
    }

    /** The JavaScript of the portal's CloudFront Function, as deployed. */
    public static String rewriteFunctionCode() {
        return Portal.rewriteFunctionCode();
    }

    public Key getKey() { return data.key; }
    public Table getTable() { return data.table; }
    public Bucket getAccessLogBucket() { return data.accessLogBucket; }
    public Bucket getBlobBucket() { return data.blobBucket; }
    public Bucket getSiteBucket() { return portal.siteBucket; }
    public Distribution getDistribution() { return portal.distribution; }
    public ResponseHeadersPolicy getSecurityHeadersPolicy() { return portal.securityHeaders; }
    public Function getApiFunction() { return api.function; }
    public HttpApi getHttpApi() { return api.httpApi; }
    public Secret getBootstrapSecret() { return firstAdministrator.token; }
    public Function getBootstrapFunction() { return firstAdministrator.function; }
    public UserPool getUserPool() { return identity.userPool; }
    public UserPoolClient getUserPoolClient() { return identity.userPoolClient; }
    public BuildWorkflow getBuildWorkflow() { return buildWorkflow; }
    public Workstations getWorkstations() { return workstations; }

    FirstAdministrator firstAdministrator() { return firstAdministrator; }
}
