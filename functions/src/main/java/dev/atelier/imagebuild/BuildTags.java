package dev.atelier.imagebuild;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tags tying every AWS resource of a build to its workspace, definition, version and build. */
public final class BuildTags {

    public static final String WORKSPACE = "atelier:workspace";
    public static final String DEFINITION = "atelier:definition";
    public static final String VERSION = "atelier:version";
    public static final String BUILD = "atelier:build";

    private BuildTags() { }

    public static Map<String, String> of(BuildSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(WORKSPACE, spec.workspace());
        tags.put(DEFINITION, spec.definitionId());
        tags.put(VERSION, Integer.toString(spec.version()));
        tags.put(BUILD, spec.buildId());
        return Map.copyOf(tags);
    }
}
