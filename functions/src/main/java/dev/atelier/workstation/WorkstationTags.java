package dev.atelier.workstation;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tags tying a workstation's instance and volumes to its workspace, workstation, definition and launcher. */
public final class WorkstationTags {

    public static final String WORKSPACE = "atelier:workspace";
    public static final String WORKSTATION = "atelier:workstation";
    public static final String DEFINITION = "atelier:definition";
    public static final String VERSION = "atelier:version";
    public static final String LAUNCHED_BY = "atelier:launched-by";
    /** The idle settings in force, on the instance for the on-box agent's warning (read through instance metadata). */
    public static final String IDLE_MINUTES = "atelier:idle-minutes";
    public static final String WARN_MINUTES = "atelier:warn-minutes";
    /** {@code home} on the volume with the user's data. */
    public static final String ROLE = "atelier:volume";

    private WorkstationTags() { }

    public static Map<String, String> of(WorkstationItem w) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Name", "atelier-" + w.slug() + "-" + w.name());
        tags.put(WORKSPACE, w.slug());
        tags.put(WORKSTATION, w.id());
        tags.put(DEFINITION, w.definitionId());
        tags.put(VERSION, Long.toString(w.definitionVersion()));
        tags.put(LAUNCHED_BY, w.launchedBy());
        return tags;
    }

    public static Map<String, String> home(WorkstationItem w) {
        Map<String, String> tags = new LinkedHashMap<>(of(w));
        tags.put("Name", "atelier-" + w.slug() + "-" + w.name() + "-home");
        tags.put(ROLE, "home");
        return tags;
    }
}
