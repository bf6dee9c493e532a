package dev.atelier.imagebuild;

import java.util.Map;

/**
 * The Python versions a workstation may ask for, with the release installed on Windows (the
 * python.org installer needs a full version; Linux takes the distribution's package).
 */
public final class PythonVersions {

    private static final Map<String, String> WINDOWS_RELEASE = Map.of(
            "3.10", "3.10.11",
            "3.11", "3.11.9",
            "3.12", "3.12.10");

    private PythonVersions() { }

    public static boolean supported(String version) {
        return version != null && WINDOWS_RELEASE.containsKey(version);
    }

    static String windowsRelease(String version) {
        return WINDOWS_RELEASE.get(version);
    }
}
