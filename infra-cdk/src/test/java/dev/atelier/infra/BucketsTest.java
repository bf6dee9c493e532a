package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The blob bucket and the site bucket are private, reachable over TLS only, and encrypted. */
class BucketsTest {

    private static final Map<String, Object> BLOCK_ALL = Map.of(
            "BlockPublicAcls", true, "BlockPublicPolicy", true,
            "IgnorePublicAcls", true, "RestrictPublicBuckets", true);

    private static SynthesizedStack synth;
    private static String blobId;
    private static String siteId;
    private static String keyId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        blobId = synth.logicalId(synth.stack.getBlobBucket());
        siteId = synth.logicalId(synth.stack.getSiteBucket());
        keyId = synth.logicalId(synth.stack.getKey());
    }

    @Test
    void buckets_shouldBlockAllPublicAccess() {
        // GIVEN the blob bucket and the site bucket
        // WHEN their public access settings are read
        // THEN every kind of public access is blocked on both
        assertThat(synth.properties(blobId)).containsEntry("PublicAccessBlockConfiguration", BLOCK_ALL);
        assertThat(synth.properties(siteId)).containsEntry("PublicAccessBlockConfiguration", BLOCK_ALL);
    }

    @Test
    void buckets_shouldDenyRequestsWithoutTls() {
        // GIVEN the blob bucket and the site bucket
        // WHEN their bucket policies are read
        // THEN each denies every request not made over TLS
        assertThat(denyWithoutTls(blobId)).isTrue();
        assertThat(denyWithoutTls(siteId)).isTrue();
    }

    @Test
    void blobBucket_shouldBeEncryptedWithTheAtelierKey() {
        // GIVEN the blob bucket
        // WHEN its encryption settings are read
        Object encryption = synth.properties(blobId).get("BucketEncryption");
        // THEN objects are encrypted with SSE-KMS under the Atelier key
        assertThat(encryption).isEqualTo(Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                "BucketKeyEnabled", true,
                "ServerSideEncryptionByDefault", Map.of(
                        "SSEAlgorithm", "aws:kms",
                        "KMSMasterKeyID", SynthesizedStack.getAttArn(keyId))))));
    }

    @Test
    void blobBucket_shouldBeVersionedAndRetained() {
        // GIVEN the blob bucket
        // WHEN its versioning and deletion policy are read
        // THEN overwritten objects stay recoverable and the bucket outlives the stack
        assertThat(synth.properties(blobId)).containsEntry("VersioningConfiguration", Map.of("Status", "Enabled"));
        assertThat(synth.resource(blobId)).containsEntry("DeletionPolicy", "Retain");
    }

    @Test
    void siteBucket_shouldBeEncryptedAtRest() {
        // GIVEN the site bucket
        // WHEN its encryption settings are read
        Object encryption = synth.properties(siteId).get("BucketEncryption");
        // THEN objects are encrypted (S3-managed keys, which CloudFront OAC reads without a key grant)
        assertThat(encryption).isEqualTo(Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))));
    }

    @Test
    void buckets_shouldLogAccessToTheAccessLogBucket() {
        // GIVEN the blob bucket, the site bucket and the access-log bucket
        String logsId = synth.logicalId(synth.stack.getAccessLogBucket());
        // WHEN their logging settings are read
        // THEN each logs its requests there, under a prefix of its own
        assertThat(synth.properties(blobId)).containsEntry("LoggingConfiguration",
                Map.of("DestinationBucketName", SynthesizedStack.ref(logsId), "LogFilePrefix", "blob-bucket/"));
        assertThat(synth.properties(siteId)).containsEntry("LoggingConfiguration",
                Map.of("DestinationBucketName", SynthesizedStack.ref(logsId), "LogFilePrefix", "site-bucket/"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void accessLogBucket_shouldBePrivateTlsOnlyAndExpireLogsAfterAYear() {
        // GIVEN the access-log bucket
        String logsId = synth.logicalId(synth.stack.getAccessLogBucket());
        Map<String, Object> props = synth.properties(logsId);
        // WHEN its settings are read
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>)
                props.get("LifecycleConfiguration")).get("Rules");
        // THEN it is private, TLS only, and logs expire after 365 days
        assertThat(props).containsEntry("PublicAccessBlockConfiguration", BLOCK_ALL);
        assertThat(denyWithoutTls(logsId)).isTrue();
        assertThat(rules).singleElement().satisfies(rule -> assertThat(rule)
                .containsEntry("ExpirationInDays", Data.ACCESS_LOG_DAYS).containsEntry("Status", "Enabled"));
    }

    @SuppressWarnings("unchecked")
    private boolean denyWithoutTls(String bucketId) {
        return synth.resourcesOfType("AWS::S3::BucketPolicy").values().stream()
                .map(policy -> (Map<String, Object>) policy.get("Properties"))
                .filter(props -> SynthesizedStack.ref(bucketId).equals(props.get("Bucket")))
                .flatMap(props -> ((List<Map<String, Object>>) ((Map<String, Object>) props.get("PolicyDocument"))
                        .get("Statement")).stream())
                .anyMatch(statement -> "Deny".equals(statement.get("Effect"))
                        && "s3:*".equals(statement.get("Action"))
                        && Map.of("AWS", "*").equals(statement.get("Principal"))
                        && Map.of("Bool", Map.of("aws:SecureTransport", "false")).equals(statement.get("Condition")));
    }
}
