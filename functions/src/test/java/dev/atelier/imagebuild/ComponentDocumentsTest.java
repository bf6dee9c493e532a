package dev.atelier.imagebuild;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * User text never shapes a generated component document: scripts and requirements reach the
 * build only as blobs, named by a hash. Protects against YAML injection (a script closing the
 * document, adding a step, or an expression AWSTOE would evaluate).
 */
class ComponentDocumentsTest {

    private static final Pattern GENERATED_URI = Pattern.compile(
            "s3://atelier-blobs/workspaces/acme/definitions/d-42/versions/3/"
                    + "(pre-build|post-build|requirements)-[0-9a-f]{64}\\.(sh|ps1|txt)");

    static Stream<Arguments> adversarialTexts() {
        String longLine = "x".repeat(200_000);
        return Stream.of(
                Arguments.of("newlines", "echo a\n- name: Evil\n  action: ExecuteBash\n", "requests\n-r /etc/passwd\n"),
                Arguments.of("document markers", "---\nphases: []\n...\n", "---\n"),
                Arguments.of("expressions", "echo {{ build.Download.inputs[0].source }}", "{{ constants.x }}"),
                Arguments.of("quotes", "echo \"'\\\"'\" ' \"", "pkg==1.0 ; python_version > \"3\" '"),
                Arguments.of("anchors", "&a [*a, *a]\n*alias", "&anchor x\n<<: *anchor"),
                Arguments.of("tags", "!!python/object/apply:os.system ['rm -rf /']", "!!binary AAAA"),
                Arguments.of("very long line", longLine, longLine),
                Arguments.of("windows line ends and NUL-free control chars", "echo a\r\nexit 1\r\n\t\u000b", "\u2028x\u2029"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adversarialTexts")
    void documents_shouldKeepTheirStructure_whenScriptsAndRequirementsAreAdversarial(String name, String script,
                                                                                      String requirements) {
        for (BuildSpec.Os os : BuildSpec.Os.values()) {
            for (BuildSpec.Gpu gpu : new BuildSpec.Gpu[] {null, new BuildSpec.Gpu("nvidia-t4", 1)}) {
                // GIVEN a benign definition and one whose texts are adversarial
                BuildSpec benign = BuildSpecs.spec(os, gpu, "echo hello", "requests==2.32.3", "echo bye");
                BuildSpec hostile = BuildSpecs.spec(os, gpu, script, requirements, script);

                // WHEN their documents are generated and parsed back
                List<Object> expected = structures(ComponentDocuments.forBuild(benign));
                List<Object> actual = structures(ComponentDocuments.forBuild(hostile));

                // THEN phases, steps, actions and inputs are the same; only the hashed S3 names differ
                assertThat(actual).isEqualTo(expected);
                for (ComponentDocuments.Document document : ComponentDocuments.forBuild(hostile)) {
                    assertThat(document.yaml()).doesNotContain("{{", "&a", "*a", "&anchor", "!!", "---", "Evil", "xxxxxxxx");
                    sources(parse(document.yaml())).forEach(uri -> assertThat(uri).matches(GENERATED_URI));
                }
            }
        }
    }

    @Test
    void documents_shouldRunPreBuildPythonDriverPostBuild_inThatOrder() {
        BuildSpec spec = BuildSpecs.spec(BuildSpec.Os.LINUX, new BuildSpec.Gpu("nvidia-a10g", 1), "a", "b", "c");

        assertThat(ComponentDocuments.forBuild(spec)).extracting(ComponentDocuments.Document::kind).containsExactly(
                ComponentDocuments.Kind.PRE_BUILD, ComponentDocuments.Kind.PYTHON,
                ComponentDocuments.Kind.NVIDIA_DRIVER, ComponentDocuments.Kind.POST_BUILD);
        assertThat(ComponentDocuments.forBuild(BuildSpecs.linux("a", "b", "c")))
                .extracting(ComponentDocuments.Document::kind).doesNotContain(ComponentDocuments.Kind.NVIDIA_DRIVER);
    }

    @Test
    void preBuild_shouldDownloadTheScriptBlobThenRunIt_withBashOnLinux() {
        BuildSpec spec = BuildSpecs.linux("echo hi", "", "");

        Map<String, Object> document = parse(ComponentDocuments.forBuild(spec).get(0).yaml());

        assertThat(document).containsEntry("schemaVersion", "1.0").containsEntry("name", "atelier-pre-build");
        List<Map<String, Object>> steps = steps(document, "build");
        assertThat(steps).extracting(s -> s.get("action")).containsExactly("S3Download", "ExecuteBash");
        assertThat(steps.get(0).get("inputs")).isEqualTo(List.of(Map.of(
                "source", spec.preBuildScript().uri(), "destination", "/opt/atelier/pre-build.sh")));
        assertThat(steps.get(1).get("inputs")).isEqualTo(Map.of("commands", List.of("bash /opt/atelier/pre-build.sh")));
    }

    @Test
    void postBuild_shouldRunTheScriptFileWithPowerShell_onWindows() {
        BuildSpec spec = BuildSpecs.spec(BuildSpec.Os.WINDOWS, null, "", "", "Write-Host hi");

        Map<String, Object> document = parse(ComponentDocuments.forBuild(spec).get(2).yaml());

        List<Map<String, Object>> steps = steps(document, "build");
        assertThat(steps).extracting(s -> s.get("action")).containsExactly("S3Download", "ExecutePowerShell");
        assertThat(steps.get(0).get("inputs")).isEqualTo(List.of(Map.of(
                "source", spec.postBuildScript().uri(), "destination", "C:\\atelier\\post-build.ps1")));
        assertThat(steps.get(1).get("inputs")).isEqualTo(Map.of("file", "C:\\atelier\\post-build.ps1"));
    }

    @Test
    void python_shouldInstallTheChosenVersionAndTheRequirementsBlob_andValidateIt() {
        BuildSpec spec = BuildSpecs.linux("", "numpy", "");

        Map<String, Object> document = parse(ComponentDocuments.forBuild(spec).get(1).yaml());

        assertThat(steps(document, "build")).extracting(s -> s.get("name"))
                .containsExactly("InstallPython", "DownloadRequirements", "InstallRequirements");
        assertThat(document.toString()).contains("python3.12 -m venv /opt/atelier/venv",
                "/opt/atelier/venv/bin/pip install --no-input -r /opt/atelier/requirements.txt",
                spec.requirements().uri());
        assertThat(steps(document, "validate")).extracting(s -> s.get("action")).containsExactly("ExecuteBash");
    }

    @Test
    void nvidiaDriver_shouldInstallRebootAndTest_onLinuxAndWindows() {
        for (BuildSpec.Os os : BuildSpec.Os.values()) {
            BuildSpec spec = BuildSpecs.spec(os, new BuildSpec.Gpu("nvidia-t4", 1), "", "", "");

            Map<String, Object> document = parse(ComponentDocuments.forBuild(spec).get(2).yaml());

            assertThat(document).containsEntry("name", "atelier-nvidia-driver");
            assertThat(steps(document, "build")).extracting(s -> s.get("action")).containsExactly(
                    os == BuildSpec.Os.WINDOWS ? "ExecutePowerShell" : "ExecuteBash", "Reboot");
            assertThat(steps(document, "test")).hasSize(1);
        }
    }

    @Test
    void blobLocation_shouldRefuseKeysAtelierDoesNotGenerate() {
        for (String key : List.of("a b", "a/../b", "a\nb", "{{x}}", "a'b", "a\"b", "a:b", "/abs", "a&b", "")) {
            assertThatThrownBy(() -> new BuildSpec.BlobLocation("atelier-blobs", key))
                    .as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new BuildSpec.BlobLocation("Bad_Bucket", "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildSpec_shouldRefuseParentImagesThatAreNeitherAmiNorImageBuilderArn() {
        BuildSpec ok = BuildSpecs.linux("", "", "");
        for (String parent : List.of("ubuntu", "ami-XYZ", "arn:aws:s3:::bucket", "ami-0abc1234def567890\n")) {
            assertThatThrownBy(() -> new BuildSpec(ok.workspace(), ok.definitionId(), 1, ok.buildId(), ok.os(), 2, 8,
                    "3.12", null, parent, ok.preBuildScript(), ok.postBuildScript(), ok.requirements()))
                    .as(parent).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The document with every generated S3 location replaced by a placeholder. */
    private static List<Object> structures(List<ComponentDocuments.Document> documents) {
        List<Object> structures = new ArrayList<>();
        for (ComponentDocuments.Document document : documents) {
            structures.add(maskSources(parse(document.yaml())));
        }
        return structures;
    }

    @SuppressWarnings("unchecked")
    private static Object maskSources(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> masked = new LinkedHashMap<>();
            map.forEach((k, v) -> masked.put((String) k, "source".equals(k) ? "<s3>" : maskSources(v)));
            return masked;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(ComponentDocumentsTest::maskSources).toList();
        }
        return node;
    }

    private static List<String> sources(Object node) {
        List<String> sources = new ArrayList<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("source".equals(k)) {
                    sources.add((String) v);
                } else {
                    sources.addAll(sources(v));
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> sources.addAll(sources(item)));
        }
        return sources;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> document, String phase) {
        return ((List<Map<String, Object>>) document.get("phases")).stream()
                .filter(p -> phase.equals(p.get("name"))).findFirst()
                .map(p -> (List<Map<String, Object>>) p.get("steps")).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
