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
 * {@code currentBuildId}/{@code currentBuildStatus} repeat the latest build's id and status
 * (kept in step by the build steps), so {@code currentBuild} needs no extra read.
 */
public record DefinitionItem(String slug, String id, String displayName, String cliName, long memoryGb,
                             long cpuCores, String pythonVersion, String requirements, String preBuildScript,
                             String postBuildScript, String os, @Nullable String gpuType, long gpuCount,
                             @Nullable String baseImage, long version, String createdAt, String updatedAt,
                             String createdBy, List<String> readers, @Nullable String currentBuildId,
                             @Nullable String currentBuildStatus) {

    public static final String KIND = "definition";

    public DefinitionItem {
        readers = List.copyOf(readers);
    }

    public static final TableSchema<DefinitionItem> SCHEMA = ItemSchema.<DefinitionItem>of(DefinitionItem.class,
                    v -> new DefinitionItem(v.get("slug"), v.get("id"), v.get("displayName"), v.get("cliName"),
                            v.number("memoryGb"), v.number("cpuCores"), v.get("pythonVersion"), v.get("requirements"),
                            v.get("preBuildScript"), v.get("postBuildScript"), v.get("os"), v.get("gpuType"),
                            v.number("gpuCount"), v.get("baseImage"), v.number("version"), v.get("createdAt"),
                            v.get("updatedAt"), v.get("createdBy"), v.strings("readers"),
                            v.get("currentBuildId"), v.get("currentBuildStatus")),
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
            .string("currentBuildId", DefinitionItem::currentBuildId)
            .string("currentBuildStatus", DefinitionItem::currentBuildStatus)
            .build();

    /** The same definition with another current build. */
    public DefinitionItem withCurrentBuild(@Nullable String buildId, @Nullable String status) {
        return new DefinitionItem(slug, id, displayName, cliName, memoryGb, cpuCores, pythonVersion, requirements,
                preBuildScript, postBuildScript, os, gpuType, gpuCount, baseImage, version, createdAt, updatedAt,
                createdBy, readers, buildId, status);
    }
}
