package dev.atelier.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Typed configuration of Atelier, read from {@code atelier.*} properties or the matching
 * {@code ATELIER_*} environment variables (e.g. {@code ATELIER_TABLE_NAME}).
 *
 * @param tableName      the single DynamoDB table
 * @param blobBucket     the S3 bucket holding blobs (logos, scripts, snapshots of nothing else)
 * @param kmsKeyId       the KMS key (id, ARN or alias) protecting secrets
 * @param mailFrom       the sender address; a verified SES identity
 * @param endpointUrl    the AWS endpoint override ({@code AWS_ENDPOINT_URL}); empty in AWS
 * @param dataDir        local mode: where data is kept between runs
 * @param bootstrapToken local mode: the site administrator's token; generated when absent
 * @param siteDir        local mode: the built portal to serve; none when absent
 * @param portalUrl      where people open the portal (links in mail point there); locally,
 *                       the server's own address when absent
 */
@ConfigurationProperties("atelier")
public record AtelierConfig(
        String tableName,
        String blobBucket,
        String kmsKeyId,
        String mailFrom,
        @Nullable String endpointUrl,
        @Nullable String dataDir,
        @Nullable String bootstrapToken,
        @Nullable String siteDir,
        @Nullable String portalUrl) {

    public AtelierConfig {
        require("atelier.table-name", tableName);
        require("atelier.blob-bucket", blobBucket);
        require("atelier.kms-key-id", kmsKeyId);
        require("atelier.mail-from", mailFrom);
        if (portalUrl != null && portalUrl.endsWith("/")) {
            portalUrl = portalUrl.substring(0, portalUrl.length() - 1);
        }
    }

    /** Whether the AWS clients talk to a local engine rather than to AWS itself. */
    public boolean localEndpoint() {
        return endpointUrl != null && !endpointUrl.isBlank();
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Configuration " + name + " must be set");
        }
    }
}
