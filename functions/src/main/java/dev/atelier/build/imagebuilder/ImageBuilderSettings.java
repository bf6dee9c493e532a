package dev.atelier.build.imagebuilder;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * Where Image Builder runs build instances ({@code atelier.image-builder.*}, set by the stack).
 *
 * @param instanceProfileName the instance profile of build and test instances (SSM + S3 read of blobs)
 * @param subnetId            the subnet of build instances; the default VPC when absent
 * @param securityGroupIds    their security groups; the subnet's default when absent
 */
@ConfigurationProperties("atelier.image-builder")
public record ImageBuilderSettings(
        String instanceProfileName,
        @Nullable String subnetId,
        @Nullable List<String> securityGroupIds) {

    public ImageBuilderSettings {
        if (instanceProfileName == null || instanceProfileName.isBlank()) {
            throw new IllegalStateException("Configuration atelier.image-builder.instance-profile-name must be set");
        }
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
    }
}
