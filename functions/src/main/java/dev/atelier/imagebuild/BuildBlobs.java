package dev.atelier.imagebuild;

import dev.atelier.store.Keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a definition version's user texts are stored as blobs. Keys are built from ids Atelier
 * generated and the SHA-256 of the content, never from the content itself: whatever a script
 * holds, its key has the same shape.
 */
public final class BuildBlobs {

    /** The user texts of a definition, each stored as one blob. */
    public enum Kind {
        PRE_BUILD_SCRIPT("pre-build"), POST_BUILD_SCRIPT("post-build"), REQUIREMENTS("requirements");

        private final String fileName;

        Kind(String fileName) {
            this.fileName = fileName;
        }
    }

    private BuildBlobs() { }

    /**
     * {@code workspaces/{slug}/definitions/{id}/versions/{n}/{kind}-{sha256}.{sh|ps1|txt}}.
     */
    public static BuildSpec.BlobLocation location(String bucket, String workspace, String definitionId, int version,
                                                  BuildSpec.Os os, Kind kind, String content) {
        String extension = kind == Kind.REQUIREMENTS ? "txt" : os == BuildSpec.Os.WINDOWS ? "ps1" : "sh";
        String key = Keys.workspaceBlobsPrefix(workspace) + "definitions/" + definitionId + "/versions/" + version + "/"
                + kind.fileName + "-" + sha256(content) + "." + extension;
        return new BuildSpec.BlobLocation(bucket, key);
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
