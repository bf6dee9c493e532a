package dev.atelier.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.atelier.web.SecurityHeaders;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.FunctionAssociation;
import software.amazon.awscdk.services.cloudfront.FunctionCode;
import software.amazon.awscdk.services.cloudfront.FunctionEventType;
import software.amazon.awscdk.services.cloudfront.FunctionRuntime;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOriginWithOACProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * The portal: a private site bucket served by CloudFront through Origin Access Control, a
 * CloudFront Function mapping workspace paths onto the site, {@code /api/*} routed to the HTTP
 * API, the security headers of {@link SecurityHeaders} on every answer, and the deployment that
 * uploads the site and invalidates the distribution.
 */
final class Portal extends StackPart {

    /** Classpath resource holding the CloudFront Function that maps workspace paths onto the site. */
    static final String REWRITE_FUNCTION_RESOURCE = "portal-rewrite.js";
    static final String API_PATH_PATTERN = "/api/*";

    final Bucket siteBucket;
    final ResponseHeadersPolicy securityHeaders;
    final Distribution distribution;
    final BucketDeployment content;

    Portal(Construct scope, String id, AtelierSettings settings, Data data, HttpApi httpApi) {
        super(scope, id);
        this.siteBucket = Bucket.Builder.create(this, "SiteBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                // S3-managed keys: CloudFront reads the site through OAC without a key grant;
                // the site holds only public pages, no customer data.
                .encryption(BucketEncryption.S3_MANAGED)
                .serverAccessLogsBucket(data.accessLogBucket)
                .serverAccessLogsPrefix("site-bucket/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        software.amazon.awscdk.services.cloudfront.Function rewrite =
                software.amazon.awscdk.services.cloudfront.Function.Builder.create(this, "PortalRewrite")
                        // The name CDK gave it when the stack was flat: a new name would replace it.
                        .functionName(Stack.of(this).getRegion() + flatUniqueIdBelow("PortalRewrite"))
                        .comment("Atelier: maps workspace paths onto the portal pages")
                        .runtime(FunctionRuntime.JS_2_0)
                        .code(FunctionCode.fromInline(rewriteFunctionCode()))
                        .build();

        this.securityHeaders = securityHeadersPolicy();

        // The HTTP API endpoint is https://<id>.execute-api.<region>.amazonaws.com: keep the host.
        String apiDomain = Fn.select(2, Fn.split("/", httpApi.getApiEndpoint()));

        // Origin ids as CDK generated them when the stack was flat (a distribution update otherwise).
        this.distribution = Distribution.Builder.create(this, "Portal")
                .comment("Atelier portal")
                .defaultRootObject("index.html")
                .priceClass(PriceClass.PRICE_CLASS_100)
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .enableLogging(true)
                .logBucket(data.accessLogBucket)
                .logFilePrefix("portal/")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(siteBucket, S3BucketOriginWithOACProps.builder()
                                .originId(flatUniqueIdBelow("Portal", "Origin1"))
                                .build()))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .responseHeadersPolicy(securityHeaders)
                        .compress(true)
                        .functionAssociations(List.of(FunctionAssociation.builder()
                                .eventType(FunctionEventType.VIEWER_REQUEST)
                                .function(rewrite)
                                .build()))
                        .build())
                .additionalBehaviors(Map.of(API_PATH_PATTERN, BehaviorOptions.builder()
                        .origin(HttpOrigin.Builder.create(apiDomain)
                                .originId(flatUniqueIdBelow("Portal", "Origin2"))
                                .protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY)
                                .build())
                        .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                        .allowedMethods(AllowedMethods.ALLOW_ALL)
                        .cachePolicy(CachePolicy.CACHING_DISABLED)
                        // All viewer headers (Authorization included) but Host: API Gateway
                        // answers 403 to a Host that is not its own.
                        .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                        .responseHeadersPolicy(securityHeaders)
                        .build()))
                .build();

        this.content = BucketDeployment.Builder.create(this, "PortalContent")
                .sources(List.of(Source.asset(settings.siteDir().toString())))
                .destinationBucket(siteBucket)
                .distribution(distribution)
                .distributionPaths(List.of("/*"))
                .memoryLimit(512)
                .logGroup(logGroup("PortalContentLogs"))
                .build();
    }

    /**
     * The headers of {@link SecurityHeaders}, set by CloudFront on every answer of the portal and
     * of the API, replacing whatever the origin sent: the same values as the local server's.
     */
    private ResponseHeadersPolicy securityHeadersPolicy() {
        if (!"nosniff".equals(SecurityHeaders.CONTENT_TYPE_OPTIONS)) {
            throw new IllegalStateException("CloudFront sends X-Content-Type-Options: nosniff only, not "
                    + SecurityHeaders.CONTENT_TYPE_OPTIONS);
        }
        return ResponseHeadersPolicy.Builder.create(this, "SecurityHeaders")
                .comment("Atelier: security headers of the portal and the API")
                .securityHeadersBehavior(ResponseSecurityHeadersBehavior.builder()
                        .contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                                .contentSecurityPolicy(SecurityHeaders.CONTENT_SECURITY_POLICY)
                                .override(true)
                                .build())
                        .strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                                .accessControlMaxAge(Duration.seconds(SecurityHeaders.HSTS_MAX_AGE_SECONDS))
                                .includeSubdomains(SecurityHeaders.STRICT_TRANSPORT_SECURITY.contains("includeSubDomains"))
                                .preload(SecurityHeaders.STRICT_TRANSPORT_SECURITY.contains("preload"))
                                .override(true)
                                .build())
                        .contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build())
                        .referrerPolicy(ResponseHeadersReferrerPolicy.builder()
                                .referrerPolicy(HeadersReferrerPolicy.valueOf(
                                        SecurityHeaders.REFERRER_POLICY.toUpperCase().replace('-', '_')))
                                .override(true)
                                .build())
                        .frameOptions(ResponseHeadersFrameOptions.builder()
                                .frameOption(HeadersFrameOption.valueOf(SecurityHeaders.FRAME_OPTIONS))
                                .override(true)
                                .build())
                        .build())
                .build();
    }

    /** The JavaScript of the portal's CloudFront Function, as deployed. */
    static String rewriteFunctionCode() {
        try (InputStream in = Portal.class.getResourceAsStream(REWRITE_FUNCTION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + REWRITE_FUNCTION_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
