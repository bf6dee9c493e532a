package dev.atelier.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atelier.store.TableDefinition;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.ClientAttributes;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardAttribute;
import software.amazon.awscdk.services.cognito.StandardAttributes;
import software.amazon.awscdk.services.cognito.StandardAttributesMask;
import software.amazon.awscdk.services.cognito.StringAttribute;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.FunctionAssociation;
import software.amazon.awscdk.services.cloudfront.FunctionCode;
import software.amazon.awscdk.services.cloudfront.FunctionEventType;
import software.amazon.awscdk.services.cloudfront.FunctionRuntime;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.ses.EmailIdentity;
import software.amazon.awscdk.services.ses.Identity;
import software.constructs.Construct;

/**
 * Everything a company deploys into its own AWS account to run Atelier: the data (one KMS key,
 * the table, the blob bucket), the API (one Java function behind an HTTP API), the portal (a
 * private site bucket behind CloudFront, which also routes {@code /api/*} to the API) and the
 * first administrator's bootstrap token.
 */
public class AtelierStack extends Stack {

    /** Top-level folders of the portal site; any other first path segment is a workspace slug. */
    public static final List<String> SITE_FOLDERS = List.of("sign-in", "workspaces", "invitations", "tokens", "users", "w", "css", "js", "img");
    /** Classpath resource holding the CloudFront Function that maps workspace paths onto the site. */
    public static final String REWRITE_FUNCTION_RESOURCE = "portal-rewrite.js";

    static final String API_HANDLER = "dev.atelier.LambdaHandler";
    static final String BOOTSTRAP_HANDLER = "dev.atelier.identity.BootstrapAdminResource::handleRequest";
    /** The user attribute naming the Atelier user (the id token carries it as {@code custom:atelier_user_id}). */
    static final String USER_ID_ATTRIBUTE = "atelier_user_id";

    private final Key key;
    private final Table table;
    private final Bucket blobBucket;
    private final Bucket siteBucket;
    private final Distribution distribution;
    private final Function apiFunction;
    private final HttpApi httpApi;
    private final Secret bootstrapSecret;
    private final Function bootstrapFunction;
    private final UserPool userPool;
    private final UserPoolClient userPoolClient;
    private final BuildWorkflow buildWorkflow;

    public AtelierStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        AtelierSettings settings = AtelierSettings.fromContext(getNode());

        // ---- Data -------------------------------------------------------------------------
        this.key = Key.Builder.create(this, "Key")
                .description("Atelier: encrypts the table, the blob bucket and secrets")
                .alias("alias/atelier")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        this.table = declareTable();

        this.blobBucket = Bucket.Builder.create(this, "BlobBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .versioned(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        EmailIdentity mailIdentity = EmailIdentity.Builder.create(this, "MailIdentity")
                .identity(Identity.email(settings.mailFrom()))
                .build();

        // ---- Identity provider -------------------------------------------------------------
        // Users are created only by Atelier (AdminCreateUser, when a site administrator adds a
        // user), sign in with their email, and carry their Atelier user id in an attribute
        // that only administrators can set.
        this.userPool = UserPool.Builder.create(this, "UserPool")
                .userPoolName("atelier")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().email(true).build())
                .signInCaseSensitive(false)
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                .standardAttributes(StandardAttributes.builder()
                        .email(StandardAttribute.builder().required(true).mutable(true).build())
                        .build())
                .customAttributes(Map.of(USER_ID_ATTRIBUTE, StringAttribute.Builder.create()
                        .minLen(1).maxLen(64).mutable(true).build()))
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireDigits(true)
                        .requireSymbols(false)
                        .tempPasswordValidity(Duration.days(7))
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.userPoolClient = userPool.addClient("AppClient", software.amazon.awscdk.services.cognito.UserPoolClientOptions.builder()
                .userPoolClientName("atelier")
                .generateSecret(false)
                .authFlows(AuthFlow.builder().userPassword(true).userSrp(true).build())
                .preventUserExistenceErrors(true)
                .idTokenValidity(Duration.hours(1))
                // Users may change their email and name, never the attribute naming their Atelier user.
                .writeAttributes(new ClientAttributes().withStandardAttributes(StandardAttributesMask.builder()
                        .email(true).fullname(true).build()))
                .build());

        // ---- API --------------------------------------------------------------------------
        Code code = Code.fromAsset(settings.lambdaJar().toString());
        // What every function running the application is configured with.
        Map<String, String> applicationEnvironment = new LinkedHashMap<>();
        applicationEnvironment.put("ATELIER_TABLE_NAME", table.getTableName());
        applicationEnvironment.put("ATELIER_BLOB_BUCKET", blobBucket.getBucketName());
        applicationEnvironment.put("ATELIER_KMS_KEY_ID", key.getKeyId());
        applicationEnvironment.put("ATELIER_MAIL_FROM", settings.mailFrom());
        applicationEnvironment.put("ATELIER_COGNITO_USER_POOL_ID", userPool.getUserPoolId());
        applicationEnvironment.put("ATELIER_COGNITO_CLIENT_ID", userPoolClient.getUserPoolClientId());
        applicationEnvironment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");

        this.apiFunction = Function.Builder.create(this, "ApiFunction")
                .description("Atelier API")
                .runtime(Runtime.JAVA_17)
                // arm64 (Graviton): the jar is pure Java (url-connection-client, no CRT or other
                // native library), so it runs unchanged there, at about 20% less per GB-second
                // than x86_64, and SnapStart supports arm64. Switch to X86_64 only if a native
                // dependency without an aarch64 build is added.
                .architecture(Architecture.ARM_64)
                .memorySize(2048)
                .timeout(Duration.seconds(30))
                .handler(API_HANDLER)
                .code(code)
                // SnapStart restores published versions from a snapshot taken after init: cold
                // starts drop from ~2 s to well under a second. The HTTP API calls the alias.
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logGroup("ApiFunctionLogs"))
                .environment(applicationEnvironment)
                .build();
        Alias apiAlias = Alias.Builder.create(this, "ApiFunctionLive")
                .aliasName("live")
                .version(apiFunction.getCurrentVersion())
                .build();

        // Least privilege: item data of this table and its indexes, objects of this bucket, this
        // key, and sending mail as this identity only.
        table.grantReadWriteData(apiFunction);
        blobBucket.grantReadWrite(apiFunction);
        key.grantEncryptDecrypt(apiFunction);
        mailIdentity.grantSendEmail(apiFunction);
        // Creating a user also creates their account in this pool (linking it when it exists).
        apiFunction.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cognito-idp:AdminCreateUser", "cognito-idp:AdminUpdateUserAttributes"))
                .resources(List.of(userPool.getUserPoolArn()))
                .build());

        // ---- Image builds -------------------------------------------------------------------
        this.buildWorkflow = new BuildWorkflow(this, settings, code, applicationEnvironment);
        apiFunction.addEnvironment(BuildWorkflow.STATE_MACHINE_ARN_VARIABLE,
                buildWorkflow.getStateMachine().getStateMachineArn());
        buildWorkflow.grantApi(apiFunction);

        HttpLambdaIntegration integration = HttpLambdaIntegration.Builder.create("ApiIntegration", apiAlias)
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

        // ---- Portal -----------------------------------------------------------------------
        this.siteBucket = Bucket.Builder.create(this, "SiteBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                // S3-managed keys: CloudFront reads the site through OAC without a key grant;
                // the site holds only public pages, no customer data.
                .encryption(BucketEncryption.S3_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        software.amazon.awscdk.services.cloudfront.Function rewrite =
                software.amazon.awscdk.services.cloudfront.Function.Builder.create(this, "PortalRewrite")
                        .comment("Atelier: maps workspace paths onto the portal pages")
                        .runtime(FunctionRuntime.JS_2_0)
                        .code(FunctionCode.fromInline(rewriteFunctionCode()))
                        .build();

        // The HTTP API endpoint is https://<id>.execute-api.<region>.amazonaws.com: keep the host.
        String apiDomain = Fn.select(2, Fn.split("/", httpApi.getApiEndpoint()));

        this.distribution = Distribution.Builder.create(this, "Portal")
                .comment("Atelier portal")
                .defaultRootObject("index.html")
                .priceClass(PriceClass.PRICE_CLASS_100)
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(siteBucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .compress(true)
                        .functionAssociations(List.of(FunctionAssociation.builder()
                                .eventType(FunctionEventType.VIEWER_REQUEST)
                                .function(rewrite)
                                .build()))
                        .build())
                .additionalBehaviors(Map.of("/api/*", BehaviorOptions.builder()
                        .origin(HttpOrigin.Builder.create(apiDomain)
                                .protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY)
                                .build())
                        .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                        .allowedMethods(AllowedMethods.ALLOW_ALL)
                        .cachePolicy(CachePolicy.CACHING_DISABLED)
                        // All viewer headers (Authorization included) but Host: API Gateway
                        // answers 403 to a Host that is not its own.
                        .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                        .build()))
                .build();

        BucketDeployment.Builder.create(this, "PortalContent")
                .sources(List.of(Source.asset(settings.siteDir().toString())))
                .destinationBucket(siteBucket)
                .distribution(distribution)
                .distributionPaths(List.of("/*"))
                .memoryLimit(512)
                .logGroup(logGroup("PortalContentLogs"))
                .build();

        // ---- Bootstrap administrator -------------------------------------------------------
        this.bootstrapSecret = Secret.Builder.create(this, "BootstrapToken")
                .description("Atelier: one-time token of the first administrator")
                .encryptionKey(key)
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(48)
                        .excludePunctuation(true)
                        .build())
                .build();

        this.bootstrapFunction = Function.Builder.create(this, "BootstrapAdminFunction")
                .description("Atelier: creates the first administrator from the bootstrap token")
                .runtime(Runtime.JAVA_17)
                .architecture(Architecture.ARM_64)
                .memorySize(1024)
                .timeout(Duration.minutes(2))
                .handler(BOOTSTRAP_HANDLER)
                .code(code)
                .logGroup(logGroup("BootstrapAdminFunctionLogs"))
                .environment(Map.of(
                        "ATELIER_TABLE_NAME", table.getTableName(),
                        "ATELIER_BOOTSTRAP_SECRET_ARN", bootstrapSecret.getSecretArn(),
                        "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"))
                .build();
        bootstrapSecret.grantRead(bootstrapFunction);
        // Read as well as write: the resource runs again on every update and must find what an
        // earlier run created (idempotent, with condition checks) instead of failing.
        table.grantReadWriteData(bootstrapFunction);

        Provider provider = Provider.Builder.create(this, "BootstrapAdminProvider")
                .onEventHandler(bootstrapFunction)
                .logGroup(logGroup("BootstrapAdminProviderLogs"))
                .build();
        CustomResource.Builder.create(this, "BootstrapAdmin")
                .resourceType("Custom::AtelierBootstrapAdmin")
                .serviceToken(provider.getServiceToken())
                // The portal's address reaches the API through the table (links in mail point
                // there): as an environment variable it would make the function depend on the
                // distribution, which depends on the function.
                .properties(Map.of(
                        "TableName", table.getTableName(),
                        "SecretArn", bootstrapSecret.getSecretArn(),
                        "PortalUrl", "https://" + distribution.getDistributionDomainName()))
                .build();

        // ---- Outputs ------------------------------------------------------------------------
        CfnOutput.Builder.create(this, "PortalUrl")
                .description("Atelier portal: open this address in a browser")
                .value("https://" + distribution.getDistributionDomainName())
                .build();
        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Atelier API endpoint (the portal also reaches it under /api/)")
                .value(httpApi.getApiEndpoint())
                .build();
        CfnOutput.Builder.create(this, "BootstrapSecretArn")
                .description("Token of the first administrator; read it with: aws secretsmanager "
                        + "get-secret-value --secret-id <this ARN> --query SecretString --output text")
                .value(bootstrapSecret.getSecretArn())
                .build();

        CfnOutput.Builder.create(this, "UserPoolId")
                .description("Cognito user pool of Atelier's users (sign-in with email and password)")
                .value(userPool.getUserPoolId())
                .build();
        CfnOutput.Builder.create(this, "UserPoolClientId")
                .description("App client of the user pool that Atelier's id tokens are issued to")
                .value(userPoolClient.getUserPoolClientId())
                .build();

        Aspects.of(this).add(new OmitImpliedRoleDependency());
    }

    private Table declareTable() {
        Table t = Table.Builder.create(this, "Table")
                .partitionKey(stringKey(TableDefinition.PK))
                .sortKey(stringKey(TableDefinition.SK))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute(TableDefinition.TTL_ATTRIBUTE)
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (TableDefinition.Index index : TableDefinition.indexes()) {
            t.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(stringKey(index.partitionKey()))
                    .sortKey(stringKey(index.sortKey()))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        return t;
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    LogGroup logGroup(String id) {
        return LogGroup.Builder.create(this, id)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    /** The JavaScript of the portal's CloudFront Function, as deployed. */
    public static String rewriteFunctionCode() {
        try (InputStream in = AtelierStack.class.getResourceAsStream(REWRITE_FUNCTION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + REWRITE_FUNCTION_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Key getKey() { return key; }
    public Table getTable() { return table; }
    public Bucket getBlobBucket() { return blobBucket; }
    public Bucket getSiteBucket() { return siteBucket; }
    public Distribution getDistribution() { return distribution; }
    public Function getApiFunction() { return apiFunction; }
    public HttpApi getHttpApi() { return httpApi; }
    public Secret getBootstrapSecret() { return bootstrapSecret; }
    public Function getBootstrapFunction() { return bootstrapFunction; }
    public UserPool getUserPool() { return userPool; }
    public UserPoolClient getUserPoolClient() { return userPoolClient; }
    public BuildWorkflow getBuildWorkflow() { return buildWorkflow; }
}
