package dev.atelier.imagebuild;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds machine images from {@link BuildSpec}s — EC2 Image Builder in AWS, a simulator locally.
 * <p>Contract:
 * <ul>
 *   <li>{@link #create} makes the components ({@link ComponentDocuments}), the image recipe, the
 *   infrastructure configuration ({@link InstanceTypes}, instances terminated on failure) and
 *   starts the image, every resource tagged {@code atelier:workspace}, {@code atelier:definition},
 *   {@code atelier:version} and {@code atelier:build}. Calling it again for the same build id
 *   makes nothing new (idempotent requests). It returns once the image is started, not built.</li>
 *   <li>The image then reports its progress through {@link #status} and through
 *   "EC2 Image Builder Image State Change" events ({@link ImageBuilderEvents}).</li>
 *   <li>{@link #cancel} stops an image still in progress; on an image that has ended it does nothing.</li>
 *   <li>{@link #cleanUp} deletes what {@link #create} made — not the AMIs, which are the product;
 *   what is already gone is skipped, so it may be repeated.</li>
 * </ul>
 * Errors: {@link UnknownImageException} for an image ARN the service does not know;
 * {@link ImageBuilderException} when the service refuses a request (quota, permissions,
 * invalid parent image…), with the service's message.
 */
public interface ImageBuilder {

    /**
     * What {@link #create} made, by ARN ({@code distributionConfigurationArn} only when AMIs are
     * copied to other regions). Any ARN but the components' may be {@code null} in what a failed
     * create leaves behind.
     */
    record Created(String imageArn, String imageRecipeArn, String infrastructureConfigurationArn,
                   List<String> componentArns, @Nullable String distributionConfigurationArn) {
        public Created {
            componentArns = List.copyOf(componentArns);
        }

        public Created(String imageArn, String imageRecipeArn, String infrastructureConfigurationArn,
                       List<String> componentArns) {
            this(imageArn, imageRecipeArn, infrastructureConfigurationArn, componentArns, null);
        }
    }

    /** Image Builder's image statuses. */
    enum Status {
        PENDING, CREATING, BUILDING, TESTING, DISTRIBUTING, INTEGRATING, AVAILABLE, CANCELLED, FAILED,
        DEPRECATED, DELETED, DISABLED;

        private static final Set<Status> ENDED = Set.of(AVAILABLE, CANCELLED, FAILED, DEPRECATED, DELETED, DISABLED);

        /** Whether the image will change no more on its own. */
        public boolean ended() {
            return ENDED.contains(this);
        }
    }

    /**
     * @param status the image's status
     * @param amis   AMI id by region, once distributed
     * @param reason why the image failed (or the service's note), {@code null} when none
     */
    record ImageState(Status status, Map<String, String> amis, String reason) {
        public ImageState {
            amis = Map.copyOf(amis);
        }
    }

    Created create(BuildSpec spec);

    ImageState status(String imageArn);

    void cancel(String imageArn);

    void cleanUp(Created created);

    /** The image service refused a request. */
    class ImageBuilderException extends RuntimeException {
        public ImageBuilderException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** No image has this ARN. */
    class UnknownImageException extends ImageBuilderException {
        public UnknownImageException(String imageArn, Throwable cause) {
            super("No image " + imageArn, cause);
        }
    }
}
