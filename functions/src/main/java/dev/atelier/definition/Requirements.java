package dev.atelier.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python requirements in pip format, one PEP 508 requirement per line: a name, optional extras,
 * optional version specifiers, an optional environment marker. Blank lines and {@code #}
 * comments are allowed. Options ({@code -r}, {@code --index-url}…), URLs, VCS references
 * ({@code git+}), direct references ({@code name @ url}) and paths are refused: a build installs
 * only named packages from the index.
 */
public final class Requirements {

    public static final int MAX_BYTES = 64 * 1024;

    private static final Pattern REQUIREMENT = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"                  // name
                    + "(?:\\s*\\[\\s*[A-Za-z0-9._-]+(?:\\s*,\\s*[A-Za-z0-9._-]+)*\\s*\\])?" // extras
                    + "(?:\\s*(?:===|==|!=|~=|>=|<=|>|<)\\s*[A-Za-z0-9.*+!_-]+"     // first specifier
                    + "(?:\\s*,\\s*(?:===|==|!=|~=|>=|<=|>|<)\\s*[A-Za-z0-9.*+!_-]+)*)?" // more
                    + "(?:\\s*;\\s*[A-Za-z0-9_ .'\"<>=!~()-]+)?");                  // marker

    private Requirements() { }

    /** The problems of each invalid line, worded as {@code line N: …}; empty when valid. */
    public static List<String> problems(String text) {
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf(" #");
            String requirement = (line.strip().startsWith("#") ? "" : hash >= 0 ? line.substring(0, hash) : line).strip();
            if (requirement.isEmpty()) {
                continue;
            }
            String problem = null;
            if (requirement.startsWith("-")) {
                problem = "pip options are not allowed";
            } else if (requirement.contains("://") || requirement.startsWith("git+") || requirement.contains("@")) {
                problem = "URLs and direct references are not allowed; name a package";
            } else if (requirement.contains("/") || requirement.contains("\\")) {
                problem = "paths are not allowed; name a package";
            } else if (!REQUIREMENT.matcher(requirement).matches()) {
                problem = "is not a requirement like 'numpy>=1.26' or 'requests[socks]==2.32.3'";
            }
            if (problem != null) {
                problems.add("line " + (i + 1) + ": " + problem);
            }
        }
        return problems;
    }
}
