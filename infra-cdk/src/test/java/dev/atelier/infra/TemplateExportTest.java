package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

/** Leaves the synthesised template where the template linter (cfn-lint) picks it up. */
class TemplateExportTest {

    static final Path TEMPLATE_FILE = Paths.get("target", "cdk", AtelierApp.STACK_ID + ".template.json");

    @Test
    void template_shouldBeWrittenForLinting() throws IOException {
        // GIVEN the synthesised stack
        SynthesizedStack synth = SynthesizedStack.get();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        // WHEN its template is written to target/cdk
        Files.createDirectories(TEMPLATE_FILE.getParent());
        mapper.writeValue(TEMPLATE_FILE.toFile(), synth.json);
        // THEN the file holds the same template
        assertThat(mapper.readValue(TEMPLATE_FILE.toFile(), Map.class)).isEqualTo(synth.json);
    }
}
