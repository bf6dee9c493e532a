package dev.atelier.definition;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.util.List;

/**
 * A workstation definition as stored, in its workspace's partition. {@code version} counts the
 * versions of the definition (each save makes a new one) and is its ETag. {@code readers} lists
 * the principals whose grants include read, kept in step with the grants so a list is one Query.
 * {@code builds} repeats the latest build's id, status and version, and the newest available
 * image (kept in step by the build steps), so {@code currentBuild} and {@code currentImage} need
 * no extra read.
 */
public record DefinitionItem(String slug, String id, String displayName, String cliName, long memoryGb,
                             long cpuCores, String pythonVersion, String requirements, String preBuildScript,
                             String postBuildScript, String os, @Nullable String gpuType, long gpuCount,
                             @Nullable String baseImage, long version, String createdAt, String updatedAt,
                             String createdBy, List<String> readers, BuildState builds) {

    public static final String KIND = "definition";

    public DefinitionItem {
        readers = List.copyOf(readers);
        builds = builds == null ? BuildState.NONE : builds;
    }

    /**
     * The definition's latest build ({@code buildId}, its status and version) and its newest
     * available image: the build it came from, that build's version, its AMI and when it became
     * available. Workstations launched from an older image version are the ones to restart.
     */
    public record BuildState(@Nullable String buildId, @Nullable String buildStatus, long buildVersion,
                             @Nullable String imageBuildId, long imageVersion, @Nullable String imageAmiId,
                             @Nullable String imageAt) {
        public static final BuildState NONE = new BuildState(null, null, 0, null, 0, null, null);

        public BuildState withBuild(String id, String status, long version) {
            return new BuildState(id, status, version, imageBuildId, imageVersion, imageAmiId, imageAt);
        }
    }

    public static final TableSchema<DefinitionItem> SCHEMA = ItemSchema.<DefinitionItem>of(DefinitionItem.class,
                    v -> new DefinitionItem(v.get("slug"), v.get("id"), v.get("displayName"), v.get("cliName"),
                            v.number("memoryGb"), v.number("cpuCores"), v.get("pythonVersion"), v.get("requirements"),
                            v.get("preBuildScript"), v.get("postBuildScript"), v.get("os"), v.get("gpuType"),
                            v.number("gpuCount"), v.get("baseImage"), v.number("version"), v.get("createdAt"),
                            v.get("updatedAt"), v.get("createdBy"), v.strings("readers"),
                            new BuildState(v.get("currentBuildId"), v.get("currentBuildStatus"),
                                    v.number("currentBuildVersion"), v.get("currentImageBuildId"),
                                    v.number("currentImageVersion"), v.get("currentImageAmiId"),
                                    v.get("currentImageAt"))),
                    d -> Keys.workspace(d.slug()), d -> Keys.resource(KIND, d.id()))
            .string("slug", DefinitionItem::slug)
            .string("id", DefinitionItem::id)
            .string("displayName", DefinitionItem::displayName)
            .string("cliName", DefinitionItem::cliName)
            .number("memoryGb", DefinitionItem::memoryGb)
            .number("cpuCores", DefinitionItem::cpuCores)
            .string("pythonVersion", DefinitionItem::pythonVersion)
            .string("requirements", DefinitionItem::requirements)
            .string("preBuildScript", DefinitionItem::preBuildScript)
            .string("postBuildScript", DefinitionItem::postBuildScript)
            .string("os", DefinitionItem::os)
            .string("gpuType", DefinitionItem::gpuType)
            .number("gpuCount", DefinitionItem::gpuCount)
            .string("baseImage", DefinitionItem::baseImage)
            .number("version", DefinitionItem::version)
            .string("createdAt", DefinitionItem::createdAt)
            .string("updatedAt", DefinitionItem::updatedAt)
            .string("createdBy", DefinitionItem::createdBy)
            .strings("readers", DefinitionItem::readers)
            .string("currentBuildId", d -> d.builds().buildId())
            .string("currentBuildStatus", d -> d.builds().buildStatus())
            .number("currentBuildVersion", d -> d.builds().buildVersion())
            .string("currentImageBuildId", d -> d.builds().imageBuildId())
            .number("currentImageVersion", d -> d.builds().imageVersion())
            .string("currentImageAmiId", d -> d.builds().imageAmiId())
            .string("currentImageAt", d -> d.builds().imageAt())
            .build();

    /** The same definition with other builds. */
    public DefinitionItem withBuilds(BuildState state) {
        return new DefinitionItem(slug, id, displayName, cliName, memoryGb, cpuCores, pythonVersion, requirements,
                preBuildScript, postBuildScript, os, gpuType, gpuCount, baseImage, version, createdAt, updatedAt,
                createdBy, readers, state);
    }
}
