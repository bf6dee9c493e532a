package dev.atelier.infra;

import static dev.atelier.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.atelier.web.SecurityHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;

/** The portal: a private site bucket behind CloudFront, which also routes /api/* to the API. */
class PortalTest {

    private static SynthesizedStack synth;
    private static Map<String, Object> config;
    private static String siteId;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize() {
        synth = SynthesizedStack.get();
        config = (Map<String, Object>) synth.properties(synth.logicalId(synth.stack.getDistribution()))
                .get("DistributionConfig");
        siteId = synth.logicalId(synth.stack.getSiteBucket());
    }

    @Test
    @SuppressWarnings("unchecked")
    void portal_shouldReadTheSiteBucketThroughOriginAccessControl() {
        // GIVEN the distribution and its origin access control
        String oacId = synth.resourcesOfType("AWS::CloudFront::OriginAccessControl").keySet().iterator().next();
        Map<String, Object> oac = (Map<String, Object>) synth.properties(oacId).get("OriginAccessControlConfig");
        // WHEN the origin for the site bucket is looked up
        Map<String, Object> s3Origin = origins().stream()
                .filter(origin -> origin.containsKey("S3OriginConfig"))
                .findFirst().orElseThrow();
        // THEN it is the site bucket, signed with SigV4 through that OAC (no legacy OAI)
        assertThat(s3Origin.get("DomainName"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(siteId, "RegionalDomainName")));
        assertThat(s3Origin.get("OriginAccessControlId")).isEqualTo(Map.of("Fn::GetAtt", List.of(oacId, "Id")));
        assertThat(s3Origin.get("S3OriginConfig")).isEqualTo(Map.of("OriginAccessIdentity", ""));
        assertThat(oac).containsEntry("OriginAccessControlOriginType", "s3")
                .containsEntry("SigningBehavior", "always").containsEntry("SigningProtocol", "sigv4");
    }

    @Test
    @SuppressWarnings("unchecked")
    void siteBucket_shouldLetOnlyThisDistributionReadObjects() {
        // GIVEN the site bucket's policy
        Map<String, Object> policy = synth.resourcesOfType("AWS::S3::BucketPolicy").values().stream()
                .map(resource -> (Map<String, Object>) resource.get("Properties"))
                .filter(props -> ref(siteId).equals(props.get("Bucket")))
                .findFirst().orElseThrow();
        // WHEN the statements allowing anything are read
        List<Map<String, Object>> allows = ((List<Map<String, Object>>) ((Map<String, Object>)
                policy.get("PolicyDocument")).get("Statement")).stream()
                .filter(statement -> "Allow".equals(statement.get("Effect")))
                .toList();
        // THEN CloudFront may get objects, only on behalf of this distribution
        assertThat(allows).singleElement().satisfies(statement -> {
            assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "cloudfront.amazonaws.com"));
            assertThat(statement.get("Action")).isEqualTo("s3:GetObject");
            assertThat(String.valueOf(statement.get("Condition")))
                    .contains("AWS:SourceArn")
                    .contains(synth.logicalId(synth.stack.getDistribution()));
        });
    }

    @Test
    void portal_shouldServeIndexHtmlAtTheRoot() {
        // GIVEN the distribution
        // WHEN its default root object is read
        // THEN it is the site's index page
        assertThat(config).containsEntry("DefaultRootObject", "index.html");
    }

    @Test
    @SuppressWarnings("unchecked")
    void portal_shouldRewritePathsWithTheCloudFrontFunctionOnViewerRequest() {
        // GIVEN the distribution's default behaviour and the portal's CloudFront Function
        Map<String, Object> behaviour = (Map<String, Object>) config.get("DefaultCacheBehavior");
        String functionId = synth.resourcesOfType("AWS::CloudFront::Function").keySet().iterator().next();
        // WHEN its function associations are read
        Object associations = behaviour.get("FunctionAssociations");
        // THEN that function runs on every viewer request, over HTTPS
        assertThat(associations).isEqualTo(List.of(Map.of(
                "EventType", "viewer-request",
                "FunctionARN", Map.of("Fn::GetAtt", List.of(functionId, "FunctionARN")))));
        assertThat(behaviour).containsEntry("ViewerProtocolPolicy", "redirect-to-https");
    }

    @Test
    @SuppressWarnings("unchecked")
    void portalRewrite_shouldDeployTheTestedJavaScript() {
        // GIVEN the rewrite code kept as a resource (and exercised by PortalRewriteFunctionTest)
        String functionId = synth.resourcesOfType("AWS::CloudFront::Function").keySet().iterator().next();
        Map<String, Object> props = synth.properties(functionId);
        // WHEN the deployed CloudFront Function is read
        Map<String, Object> functionConfig = (Map<String, Object>) props.get("FunctionConfig");
        // THEN it is that code, on the JavaScript 2.0 runtime, published
        assertThat(props.get("FunctionCode")).isEqualTo(AtelierStack.rewriteFunctionCode());
        assertThat(functionConfig).containsEntry("Runtime", "cloudfront-js-2.0");
        assertThat(props).containsEntry("AutoPublish", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiBehaviour_shouldForwardEverythingToTheHttpApiWithoutCaching() {
        // GIVEN the distribution's additional behaviours
        List<Map<String, Object>> behaviours = (List<Map<String, Object>>) config.get("CacheBehaviors");
        // WHEN the /api/* behaviour is read
        Map<String, Object> api = behaviours.stream()
                .filter(behaviour -> "/api/*".equals(behaviour.get("PathPattern")))
                .findFirst().orElseThrow();
        // THEN all methods pass, nothing is cached, and every viewer header but Host reaches the origin
        assertThat((List<String>) api.get("AllowedMethods"))
                .containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE");
        assertThat(api.get("CachePolicyId")).isEqualTo(CachePolicy.CACHING_DISABLED.getCachePolicyId());
        assertThat(api.get("OriginRequestPolicyId"))
                .isEqualTo(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.getOriginRequestPolicyId());
        assertThat(api.get("ViewerProtocolPolicy")).isEqualTo("https-only");
        assertThat(api).doesNotContainKey("FunctionAssociations");
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiBehaviour_shouldTargetTheHttpApiOverHttps() {
        // GIVEN the /api/* behaviour
        String targetOriginId = ((List<Map<String, Object>>) config.get("CacheBehaviors")).stream()
                .filter(behaviour -> "/api/*".equals(behaviour.get("PathPattern")))
                .map(behaviour -> (String) behaviour.get("TargetOriginId"))
                .findFirst().orElseThrow();
        // WHEN its origin is looked up
        Map<String, Object> origin = origins().stream()
                .filter(o -> targetOriginId.equals(o.get("Id")))
                .findFirst().orElseThrow();
        // THEN it is the host of the HTTP API's endpoint, reached over HTTPS only
        String apiId = synth.logicalId(synth.stack.getHttpApi());
        assertThat(origin.get("DomainName")).isEqualTo(Map.of("Fn::Select", List.of(2, Map.of("Fn::Split",
                List.of("/", Map.of("Fn::GetAtt", List.of(apiId, "ApiEndpoint")))))));
        assertThat((Map<String, Object>) origin.get("CustomOriginConfig"))
                .containsEntry("OriginProtocolPolicy", "https-only");
    }

    @Test
    @SuppressWarnings("unchecked")
    void siteDeployment_shouldUploadTheSiteAndInvalidateTheDistribution() {
        // GIVEN the stack's bucket deployments
        // WHEN the deployment of the portal content is read
        Map<String, Object> deployment = (Map<String, Object>) synth.resourcesOfType("Custom::CDKBucketDeployment")
                .values().iterator().next().get("Properties");
        // THEN it targets the site bucket and invalidates every path of the distribution
        assertThat(deployment.get("DestinationBucketName")).isEqualTo(ref(siteId));
        assertThat(deployment.get("DistributionId")).isEqualTo(ref(synth.logicalId(synth.stack.getDistribution())));
        assertThat(deployment.get("DistributionPaths")).isEqualTo(List.of("/*"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void securityHeadersPolicy_shouldSendTheApplicationsSecurityHeadersOverTheOrigins() {
        // GIVEN the portal's response headers policy
        String policyId = synth.logicalId(synth.stack.getSecurityHeadersPolicy());
        // WHEN its security headers are read
        Map<String, Object> headers = (Map<String, Object>) ((Map<String, Object>) synth.properties(policyId)
                .get("ResponseHeadersPolicyConfig")).get("SecurityHeadersConfig");
        // THEN they are the values of SecurityHeaders (those the local server sends), each one
        // replacing whatever the origin sent
        assertThat(headers).isEqualTo(Map.of(
                "ContentSecurityPolicy", Map.of(
                        "ContentSecurityPolicy", SecurityHeaders.CONTENT_SECURITY_POLICY, "Override", true),
                "StrictTransportSecurity", Map.of(
                        "AccessControlMaxAgeSec", SecurityHeaders.HSTS_MAX_AGE_SECONDS,
                        "IncludeSubdomains", true, "Preload", false, "Override", true),
                "ContentTypeOptions", Map.of("Override", true),
                "ReferrerPolicy", Map.of("ReferrerPolicy", SecurityHeaders.REFERRER_POLICY, "Override", true),
                "FrameOptions", Map.of("FrameOption", SecurityHeaders.FRAME_OPTIONS, "Override", true)));
        assertThat(SecurityHeaders.STRICT_TRANSPORT_SECURITY).contains("includeSubDomains").doesNotContain("preload");
        assertThat(SecurityHeaders.CONTENT_TYPE_OPTIONS).isEqualTo("nosniff");
    }

    @Test
    @SuppressWarnings("unchecked")
    void securityHeadersPolicy_shouldApplyToThePagesAndToTheApi() {
        // GIVEN the portal's response headers policy
        Object policy = ref(synth.logicalId(synth.stack.getSecurityHeadersPolicy()));
        // WHEN the default behaviour and the /api/* behaviour are read
        Map<String, Object> pages = (Map<String, Object>) config.get("DefaultCacheBehavior");
        Map<String, Object> api = ((List<Map<String, Object>>) config.get("CacheBehaviors")).stream()
                .filter(behaviour -> "/api/*".equals(behaviour.get("PathPattern")))
                .findFirst().orElseThrow();
        // THEN both answer with that policy's headers
        assertThat(pages.get("ResponseHeadersPolicyId")).isEqualTo(policy);
        assertThat(api.get("ResponseHeadersPolicyId")).isEqualTo(policy);
    }

    @Test
    @SuppressWarnings("unchecked")
    void portal_shouldLogRequestsToTheAccessLogBucket() {
        // GIVEN the distribution and the access-log bucket
        String logBucketId = synth.logicalId(synth.stack.getAccessLogBucket());
        // WHEN its logging configuration is read
        Map<String, Object> logging = (Map<String, Object>) config.get("Logging");
        // THEN requests are logged to that bucket, under portal/
        assertThat(logging).isEqualTo(Map.of(
                "Bucket", Map.of("Fn::GetAtt", List.of(logBucketId, "RegionalDomainName")), "Prefix", "portal/"));
    }

    @Test
    void outputs_shouldGiveThePortalUrl() {
        // GIVEN the stack outputs
        // WHEN the portal URL output is read
        Object value = output("PortalUrl").get("Value");
        // THEN it is https:// plus the distribution's domain name
        assertThat(value).isEqualTo(Map.of("Fn::Join", List.of("", List.of("https://",
                Map.of("Fn::GetAtt", List.of(synth.logicalId(synth.stack.getDistribution()), "DomainName"))))));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> origins() {
        return (List<Map<String, Object>>) config.get("Origins");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> output(String name) {
        return ((Map<String, Map<String, Object>>) synth.json.get("Outputs")).get(name);
    }
}
