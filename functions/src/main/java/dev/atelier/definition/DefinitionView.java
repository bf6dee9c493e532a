package dev.atelier.definition;

import dev.atelier.web.ETags;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A definition as the API shows it. {@code currentBuild} is the latest build ({@code null} where builds are not
 * available yet); {@code currentImage} the newest available image, which new workstations start from
 * ({@code null} until a build has succeeded).
 */
@Serdeable
public record DefinitionView(String id, String displayName, String cliName, long memoryGb, long cpuCores,
                             String pythonVersion, String requirements, String preBuildScript, String postBuildScript,
                             String os, @Nullable Gpu gpu, @Nullable String baseImage, long version,
                             @Nullable CurrentBuild currentBuild, @Nullable CurrentImage currentImage,
                             String createdAt, String updatedAt, String etag) {

    @Serdeable
    public record CurrentBuild(String id, String status, long version) { }

    @Serdeable
    public record CurrentImage(String buildId, long version, @Nullable String amiId, String availableAt) { }

    @Serdeable
    public record Gpu(String type, long count) { }

    public static DefinitionView of(DefinitionItem d) {
        return new DefinitionView(d.id(), d.displayName(), d.cliName(), d.memoryGb(), d.cpuCores(), d.pythonVersion(),
                d.requirements(), d.preBuildScript(), d.postBuildScript(), d.os(),
                d.gpuType() == null ? null : new Gpu(d.gpuType(), d.gpuCount()), d.baseImage(), d.version(),
                d.builds().buildId() == null ? null
                        : new CurrentBuild(d.builds().buildId(), d.builds().buildStatus(), d.builds().buildVersion()),
                d.builds().imageBuildId() == null ? null : new CurrentImage(d.builds().imageBuildId(),
                        d.builds().imageVersion(), d.builds().imageAmiId(), d.builds().imageAt()),
                d.createdAt(), d.updatedAt(), ETags.of(d.version()));
    }
}
