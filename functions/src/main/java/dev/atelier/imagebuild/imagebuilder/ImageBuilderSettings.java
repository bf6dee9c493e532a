package dev.atelier.imagebuild.imagebuilder;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * Where Image Builder runs build instances ({@code atelier.image-builder.*}, set by the stack).
 *
 * @param instanceProfileName the instance profile of build and test instances (SSM + S3 read of blobs)
 * @param subnetId            the subnet of build instances; the default VPC when absent
 * @param securityGroupIds    their security groups; the subnet's default when absent
 * @param regions             the regions each image's AMI is distributed to (a distribution
 *                            configuration per build); when absent, Image Builder's default: an
 *                            AMI in the deployment's own region only
 * @param logBucket           the bucket build instances write their logs to, under
 *                            {@link dev.atelier.imagebuild.BuildLogs#prefix} (the blob bucket); none when absent
 */
@ConfigurationProperties("atelier.image-builder")
public record ImageBuilderSettings(
        String instanceProfileName,
        @Nullable String subnetId,
        @Nullable List<String> securityGroupIds,
        @Nullable List<String> regions,
        @Nullable String logBucket) {

    public ImageBuilderSettings {
        if (instanceProfileName == null || instanceProfileName.isBlank()) {
            throw new IllegalStateException("Configuration atelier.image-builder.instance-profile-name must be set");
        }
        logBucket = logBucket == null || logBucket.isBlank() ? null : logBucket;
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        regions = regions == null ? List.of() : regions.stream().map(String::trim).filter(r -> !r.isEmpty()).distinct().toList();
        for (String region : regions) {
            if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                throw new IllegalStateException("Configuration atelier.image-builder.regions: '" + region + "' is not a region");
            }
        }
    }
}
