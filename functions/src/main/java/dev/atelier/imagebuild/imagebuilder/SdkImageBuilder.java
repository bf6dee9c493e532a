package dev.atelier.imagebuild.imagebuilder;

import io.micronaut.context.annotation.Requires;
import dev.atelier.imagebuild.BuildLogs;
import dev.atelier.imagebuild.BuildSpec;
import dev.atelier.imagebuild.BuildTags;
import dev.atelier.imagebuild.ComponentDocuments;
import dev.atelier.imagebuild.ImageBuilder;
import dev.atelier.imagebuild.InstanceTypes;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.Ami;
import software.amazon.awssdk.services.imagebuilder.model.ComponentConfiguration;
import software.amazon.awssdk.services.imagebuilder.model.Distribution;
import software.amazon.awssdk.services.imagebuilder.model.Image;
import software.amazon.awssdk.services.imagebuilder.model.ImagebuilderException;
import software.amazon.awssdk.services.imagebuilder.model.Logging;
import software.amazon.awssdk.services.imagebuilder.model.Platform;
import software.amazon.awssdk.services.imagebuilder.model.ResourceNotFoundException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link ImageBuilder} on EC2 Image Builder. Resources are named after the build
 * ({@code atelier-<build>-<component>}), versioned {@code <definition version>.0.0}, and every
 * create request carries a client token derived from the build id and the resource, so a retried
 * {@link #create} makes nothing twice.
 */
@Singleton
@Requires(classes = ImagebuilderClient.class)
public class SdkImageBuilder implements ImageBuilder {

    private final ImagebuilderClient imageBuilder;
    private final ImageBuilderSettings settings;

    public SdkImageBuilder(ImagebuilderClient imageBuilder, ImageBuilderSettings settings) {
        this.imageBuilder = imageBuilder;
        this.settings = settings;
    }

    @Override
    public Created create(BuildSpec spec) {
        Map<String, String> tags = BuildTags.of(spec);
        String version = semanticVersion(spec);
        Platform platform = spec.os() == BuildSpec.Os.WINDOWS ? Platform.WINDOWS : Platform.LINUX;
        List<String> componentArns = new ArrayList<>();
        String recipeArn = null;
        String infrastructureArn = null;
        String distributionArn = null;
        try {
            for (ComponentDocuments.Document document : ComponentDocuments.forBuild(spec)) {
                String name = name(spec) + "-" + document.kind().label();
                componentArns.add(call("create component " + name, () -> imageBuilder.createComponent(r -> r
                        .name(name)
                        .semanticVersion(version)
                        .description("Atelier " + document.kind().label() + " of " + spec.workspace() + "/"
                                + spec.definitionId() + " v" + spec.version())
                        .platform(platform)
                        .data(document.yaml())
                        .tags(tags)
                        .clientToken(token(spec, "component:" + document.kind().label())))
                        .componentBuildVersionArn()));
            }
            recipeArn = call("create image recipe", () -> imageBuilder.createImageRecipe(r -> r
                    .name(name(spec))
                    .semanticVersion(version)
                    .description("Atelier image of " + spec.workspace() + "/" + spec.definitionId() + " v" + spec.version())
                    .parentImage(spec.parentImage())
                    .components(componentArns.stream()
                            .map(arn -> ComponentConfiguration.builder().componentArn(arn).build()).toList())
                    .tags(tags)
                    .clientToken(token(spec, "image-recipe")))
                    .imageRecipeArn());
            infrastructureArn = call("create infrastructure configuration", () -> imageBuilder
                    .createInfrastructureConfiguration(r -> r
                            .name(name(spec))
                            .description("Build instances of Atelier build " + spec.buildId())
                            .instanceTypes(InstanceTypes.choose(spec).name())
                            .instanceProfileName(settings.instanceProfileName())
                            .subnetId(settings.subnetId())
                            .securityGroupIds(settings.securityGroupIds().isEmpty() ? null : settings.securityGroupIds())
                            .terminateInstanceOnFailure(true)
                            .instanceMetadataOptions(m -> m.httpTokens("required"))
                            .logging(settings.logBucket() == null ? null : Logging.builder()
                                    .s3Logs(l -> l.s3BucketName(settings.logBucket())
                                            .s3KeyPrefix(BuildLogs.prefix(spec.buildId()).replaceAll("/$", "")))
                                    .build())
                            .resourceTags(tags)
                            .tags(tags)
                            .clientToken(token(spec, "infrastructure-configuration")))
                    .infrastructureConfigurationArn());
            if (!settings.regions().isEmpty()) {
                distributionArn = call("create distribution configuration", () -> imageBuilder
                        .createDistributionConfiguration(r -> r
                                .name(name(spec))
                                .description("AMIs of Atelier build " + spec.buildId())
                                .distributions(settings.regions().stream().map(region -> Distribution.builder()
                                        .region(region)
                                        .amiDistributionConfiguration(a -> a
                                                .name(name(spec) + "-{{ imagebuilder:buildDate }}")
                                                .description("Atelier " + spec.workspace() + "/" + spec.definitionId()
                                                        + " v" + spec.version())
                                                .amiTags(tags))
                                        .build()).toList())
                                .tags(tags)
                                .clientToken(token(spec, "distribution-configuration")))
                        .distributionConfigurationArn());
            }
            String recipe = recipeArn;
            String infrastructure = infrastructureArn;
            String distribution = distributionArn;
            String imageArn = call("create image", () -> imageBuilder.createImage(r -> r
                    .imageRecipeArn(recipe)
                    .infrastructureConfigurationArn(infrastructure)
                    .distributionConfigurationArn(distribution)
                    .enhancedImageMetadataEnabled(true)
                    .imageTestsConfiguration(t -> t.imageTestsEnabled(true))
                    .tags(tags)
                    .clientToken(token(spec, "image")))
                    .imageBuildVersionArn());
            return new Created(imageArn, recipeArn, infrastructureArn, componentArns, distributionArn);
        } catch (RuntimeException e) {
            // Nothing is left behind by a create that failed half-way.
            try {
                cleanUp(new Created(null, recipeArn, infrastructureArn, componentArns, distributionArn));
            } catch (RuntimeException cleanUpFailed) {
                e.addSuppressed(cleanUpFailed);
            }
            throw e;
        }
    }

    @Override
    public ImageState status(String imageArn) {
        Image image;
        try {
            image = imageBuilder.getImage(r -> r.imageBuildVersionArn(imageArn)).image();
        } catch (ResourceNotFoundException e) {
            throw new UnknownImageException(imageArn, e);
        } catch (ImagebuilderException e) {
            throw refused("get image " + imageArn, e);
        }
        Map<String, String> amis = new LinkedHashMap<>();
        if (image.outputResources() != null) {
            for (Ami ami : image.outputResources().amis()) {
                amis.put(ami.region(), ami.image());
            }
        }
        Status status = Status.valueOf(image.state().statusAsString());
        return new ImageState(status, amis, image.state().reason());
    }

    @Override
    public void cancel(String imageArn) {
        try {
            imageBuilder.cancelImageCreation(r -> r.imageBuildVersionArn(imageArn)
                    .clientToken(UUID.nameUUIDFromBytes(("cancel:" + imageArn).getBytes(StandardCharsets.UTF_8)).toString()));
        } catch (ResourceNotFoundException e) {
            throw new UnknownImageException(imageArn, e);
        } catch (ImagebuilderException e) {
            // The service refuses to cancel an image that has ended; that is no error here.
            if (status(imageArn).status().ended()) {
                return;
            }
            throw refused("cancel image " + imageArn, e);
        }
    }

    @Override
    public void cleanUp(Created created) {
        // The image first: a recipe still used by an image cannot be deleted.
        delete(() -> imageBuilder.deleteImage(r -> r.imageBuildVersionArn(created.imageArn())), created.imageArn());
        delete(() -> imageBuilder.deleteImageRecipe(r -> r.imageRecipeArn(created.imageRecipeArn())),
                created.imageRecipeArn());
        delete(() -> imageBuilder.deleteInfrastructureConfiguration(r -> r
                .infrastructureConfigurationArn(created.infrastructureConfigurationArn())),
                created.infrastructureConfigurationArn());
        delete(() -> imageBuilder.deleteDistributionConfiguration(r -> r
                .distributionConfigurationArn(created.distributionConfigurationArn())),
                created.distributionConfigurationArn());
        for (String componentArn : created.componentArns()) {
            delete(() -> imageBuilder.deleteComponent(r -> r.componentBuildVersionArn(componentArn)), componentArn);
        }
    }

    static String name(BuildSpec spec) {
        return "atelier-" + spec.buildId().toLowerCase();
    }

    static String semanticVersion(BuildSpec spec) {
        return spec.version() + ".0.0";
    }

    /** The idempotency token of one create request of one build (the API takes 1–36 characters). */
    static String token(BuildSpec spec, String resource) {
        return UUID.nameUUIDFromBytes(("atelier:" + spec.buildId() + ":" + resource).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private void delete(Runnable request, String arn) {
        if (arn == null) {
            return;
        }
        try {
            request.run();
        } catch (ResourceNotFoundException gone) {
            // deleted by an earlier clean-up
        } catch (ImagebuilderException e) {
            throw refused("delete " + arn, e);
        }
    }

    private static <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (ImagebuilderException e) {
            throw refused(what, e);
        }
    }

    private static ImageBuilderException refused(String what, ImagebuilderException e) {
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return new ImageBuilderException("Image Builder refused to " + what + ": " + message, e);
    }
}
