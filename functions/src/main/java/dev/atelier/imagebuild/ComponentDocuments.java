package dev.atelier.imagebuild;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.representer.Representer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Image Builder component documents (AWSTOE schema 1.0) generated for a build, in the order
 * the recipe runs them: pre-build, Python, NVIDIA driver (when a GPU is asked for), post-build.
 * <p>Documents are built as maps and emitted by a YAML library, and hold only fixed commands,
 * the chosen Python version (one of {@link PythonVersions}) and S3 locations that
 * {@link BuildSpec.BlobLocation} validated. Scripts and requirements are downloaded from those
 * locations at build time ({@code S3Download}) and run from files.
 */
public final class ComponentDocuments {

    /** A component Atelier generates; {@code kind} names it within a build. */
    public enum Kind {
        PRE_BUILD("pre-build"), PYTHON("python"), NVIDIA_DRIVER("nvidia-driver"), POST_BUILD("post-build");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A generated document for the given platform. */
    public record Document(Kind kind, BuildSpec.Os os, String yaml) { }

    /** The NVIDIA data-centre driver installed on GPU images (g4dn, g5, p3 all take it). */
    static final String NVIDIA_DRIVER_VERSION = "535.216.01";
    static final String NVIDIA_WINDOWS_DRIVER = "538.95";

    private static final String LINUX_DIR = "/opt/atelier";
    private static final String WINDOWS_DIR = "C:\\atelier";

    private ComponentDocuments() { }

    /** The documents of a build, in run order. */
    public static List<Document> forBuild(BuildSpec spec) {
        List<Document> documents = new ArrayList<>();
        documents.add(new Document(Kind.PRE_BUILD, spec.os(), emit(script(spec, Kind.PRE_BUILD, spec.preBuildScript()))));
        documents.add(new Document(Kind.PYTHON, spec.os(), emit(python(spec))));
        if (spec.gpu() != null) {
            documents.add(new Document(Kind.NVIDIA_DRIVER, spec.os(), emit(nvidia(spec.os()))));
        }
        documents.add(new Document(Kind.POST_BUILD, spec.os(), emit(script(spec, Kind.POST_BUILD, spec.postBuildScript()))));
        return List.copyOf(documents);
    }

    private static Map<String, Object> script(BuildSpec spec, Kind kind, BuildSpec.BlobLocation blob) {
        boolean windows = spec.os() == BuildSpec.Os.WINDOWS;
        String file = windows ? WINDOWS_DIR + "\\" + kind.label() + ".ps1" : LINUX_DIR + "/" + kind.label() + ".sh";
        Map<String, Object> run = windows
                ? step("Run", "ExecutePowerShell", Map.of("file", file))
                : step("Run", "ExecuteBash", Map.of("commands", List.of("bash " + file)));
        return document("atelier-" + kind.label(), "Runs the definition's " + kind.label() + " script",
                phase("build", download("Download", blob, file), run));
    }

    private static Map<String, Object> python(BuildSpec spec) {
        String version = spec.pythonVersion();
        if (spec.os() == BuildSpec.Os.WINDOWS) {
            String release = PythonVersions.windowsRelease(version);
            String target = "C:\\Python" + version.replace(".", "");
            String installer = WINDOWS_DIR + "\\python-" + release + "-amd64.exe";
            String requirements = WINDOWS_DIR + "\\requirements.txt";
            return document("atelier-python", "Installs Python " + version + " and the definition's requirements",
                    phase("build",
                            step("InstallPython", "ExecutePowerShell", Map.of("commands", List.of(
                                    "$ErrorActionPreference = 'Stop'",
                                    "New-Item -ItemType Directory -Force -Path '" + WINDOWS_DIR + "' | Out-Null",
                                    "Invoke-WebRequest -UseBasicParsing -Uri 'https://www.python.org/ftp/python/" + release
                                            + "/python-" + release + "-amd64.exe' -OutFile '" + installer + "'",
                                    "Start-Process -Wait -FilePath '" + installer + "' -ArgumentList '/quiet',"
                                            + "'InstallAllUsers=1','PrependPath=1','Include_test=0','TargetDir=" + target + "'"))),
                            download("DownloadRequirements", spec.requirements(), requirements),
                            step("InstallRequirements", "ExecutePowerShell", Map.of("commands", List.of(
                                    "$ErrorActionPreference = 'Stop'",
                                    "& '" + target + "\\python.exe' -m pip install --no-input -r '" + requirements + "'",
                                    "if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }"))))
                            .andThen(phase("validate", step("CheckPython", "ExecutePowerShell", Map.of("commands", List.of(
                                    "& '" + target + "\\python.exe' --version"))))));
        }
        String python = "python" + version;
        String requirements = LINUX_DIR + "/requirements.txt";
        return document("atelier-python", "Installs Python " + version + " and the definition's requirements",
                phase("build",
                        step("InstallPython", "ExecuteBash", Map.of("commands", List.of(
                                "set -euo pipefail",
                                "if command -v dnf >/dev/null; then dnf install -y " + python + " " + python + "-pip;"
                                        + " else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "
                                        + python + " " + python + "-venv; fi",
                                python + " -m venv " + LINUX_DIR + "/venv"))),
                        download("DownloadRequirements", spec.requirements(), requirements),
                        step("InstallRequirements", "ExecuteBash", Map.of("commands", List.of(
                                "set -euo pipefail",
                                LINUX_DIR + "/venv/bin/pip install --no-input -r " + requirements))))
                        .andThen(phase("validate", step("CheckPython", "ExecuteBash", Map.of("commands", List.of(
                                LINUX_DIR + "/venv/bin/python --version"))))));
    }

    private static Map<String, Object> nvidia(BuildSpec.Os os) {
        if (os == BuildSpec.Os.WINDOWS) {
            String installer = WINDOWS_DIR + "\\nvidia-driver.exe";
            return document("atelier-nvidia-driver", "Installs the NVIDIA data-centre driver " + NVIDIA_WINDOWS_DRIVER,
                    phase("build",
                            step("InstallDriver", "ExecutePowerShell", Map.of("commands", List.of(
                                    "$ErrorActionPreference = 'Stop'",
                                    "New-Item -ItemType Directory -Force -Path '" + WINDOWS_DIR + "' | Out-Null",
                                    "Invoke-WebRequest -UseBasicParsing -Uri 'https://us.download.nvidia.com/tesla/"
                                            + NVIDIA_WINDOWS_DRIVER + "/" + NVIDIA_WINDOWS_DRIVER
                                            + "-data-center-tesla-desktop-winserver-2019-2022-dch-international.exe'"
                                            + " -OutFile '" + installer + "'",
                                    "Start-Process -Wait -FilePath '" + installer + "' -ArgumentList '-s','-noreboot'"))),
                            step("Restart", "Reboot", Map.of("delaySeconds", 10)))
                            .andThen(phase("test", step("CheckDriver", "ExecutePowerShell", Map.of("commands", List.of(
                                    "& 'C:\\Windows\\System32\\nvidia-smi.exe'"))))));
        }
        String runfile = "NVIDIA-Linux-x86_64-" + NVIDIA_DRIVER_VERSION + ".run";
        return document("atelier-nvidia-driver", "Installs the NVIDIA data-centre driver " + NVIDIA_DRIVER_VERSION,
                phase("build",
                        step("InstallDriver", "ExecuteBash", Map.of("commands", List.of(
                                "set -euo pipefail",
                                "if command -v dnf >/dev/null; then dnf install -y gcc make dkms kernel-devel-$(uname -r);"
                                        + " else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y"
                                        + " gcc make dkms linux-headers-$(uname -r); fi",
                                "curl -fsSL -o /tmp/" + runfile + " https://us.download.nvidia.com/tesla/"
                                        + NVIDIA_DRIVER_VERSION + "/" + runfile,
                                "sh /tmp/" + runfile + " --silent --dkms"))),
                        step("Restart", "Reboot", Map.of("delaySeconds", 10)))
                        .andThen(phase("test", step("CheckDriver", "ExecuteBash", Map.of("commands", List.of("nvidia-smi"))))));
    }

    /** A phase list under construction (documents have one to three phases). */
    private record Phases(List<Map<String, Object>> list) {
        Phases andThen(Phases next) {
            List<Map<String, Object>> all = new ArrayList<>(list);
            all.addAll(next.list);
            return new Phases(all);
        }
    }

    @SafeVarargs
    private static Phases phase(String name, Map<String, Object>... steps) {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("name", name);
        phase.put("steps", List.of(steps));
        return new Phases(List.of(phase));
    }

    private static Map<String, Object> document(String name, String description, Phases phases) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", name);
        document.put("description", description);
        document.put("schemaVersion", "1.0");
        document.put("phases", phases.list());
        return document;
    }

    private static Map<String, Object> step(String name, String action, Object inputs) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("name", name);
        step.put("action", action);
        step.put("onFailure", "Abort");
        step.put("inputs", inputs);
        return step;
    }

    private static Map<String, Object> download(String name, BuildSpec.BlobLocation blob, String destination) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("source", blob.uri());
        input.put("destination", destination);
        return step(name, "S3Download", List.of(input));
    }

    private static String emit(Map<String, Object> document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(4096);
        // Repeated sub-maps must not come out as anchors and aliases, which AWSTOE does not read.
        options.setDereferenceAliases(true);
        return new Yaml(new Representer(options), options).dump(document);
    }
}
