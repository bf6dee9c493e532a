package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The synthesised state machine definition is valid Amazon States Language, as judged by
 * asl-validator (npm), which bin/test installs into .tools/asl and names in ATELIER_ASL_VALIDATOR.
 */
class AslValidatorTest {

    static final String VALIDATOR_VARIABLE = "ATELIER_ASL_VALIDATOR";
    /** Where bin/test installs it, relative to this module (Surefire runs in infra-cdk/). */
    static final Path PROJECT_LOCAL = Paths.get("..", ".tools", "asl", "node_modules", ".bin", "asl-validator");
    static final Path DEFINITION_FILE = Paths.get("target", "cdk", "BuildStateMachine.asl.json");

    private static Path validator;

    @BeforeAll
    static void findValidator() {
        String configured = System.getenv(VALIDATOR_VARIABLE);
        Path candidate = configured != null && !configured.isBlank() ? Paths.get(configured) : PROJECT_LOCAL;
        if (!Files.isExecutable(candidate)) {
            fail("asl-validator not found at " + candidate.toAbsolutePath().normalize()
                    + ": run bin/test, which installs it (npm install --prefix .tools/asl asl-validator@4.0.0)");
        }
        validator = candidate.toAbsolutePath();
    }

    @Test
    void buildStateMachine_shouldBeValidAsl() throws Exception {
        // GIVEN the synthesised definition, tokens replaced by ARNs of the real shape
        String json = BuildDefinition.of(SynthesizedStack.get()).json;
        Files.createDirectories(DEFINITION_FILE.getParent());
        Files.writeString(DEFINITION_FILE, json);
        // WHEN asl-validator checks it (paths and ARNs included)
        Result result = validate(DEFINITION_FILE);
        // THEN it is valid
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void validator_shouldRejectADefinitionWithADanglingNext() throws Exception {
        // GIVEN the definition with one transition to a state that does not exist
        String json = BuildDefinition.of(SynthesizedStack.get()).json
                .replace("\"Next\":\"" + BuildWorkflow.STARTED + "\"", "\"Next\":\"Nowhere\"");
        Path broken = Files.writeString(Files.createTempFile("broken", ".asl.json"), json);
        // WHEN asl-validator checks it
        Result result = validate(broken);
        // THEN it is refused: the validator really validates
        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    private record Result(int exitCode, String output) { }

    private static Result validate(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(validator.toString(), "--json-path", file.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("asl-validator did not finish within 60 s");
        }
        return new Result(process.exitValue(), output);
    }
}
