package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AwsSolutions rule pack over the synthesised stack: every finding is either fixed in
 * the stack or suppressed on its resource with a reason (AtelierNagSuppressions).
 */
class NagComplianceTest {

    private static Annotations annotations;

    @BeforeAll
    static void synthesize() {
        annotations = Annotations.fromStack(SynthesizedStack.get().stack);
    }

    @Test
    void awsSolutions_shouldReportNoUnsuppressedError() {
        // GIVEN the stack synthesised with the AwsSolutions checks
        // WHEN its error annotations from the pack are collected
        List<SynthesisMessage> errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        // THEN there are none
        assertThat(errors).as(describe(errors)).isEmpty();
    }

    @Test
    void awsSolutions_shouldReportNoUnsuppressedWarning() {
        // GIVEN the stack synthesised with the AwsSolutions checks
        // WHEN its warning annotations from the pack are collected
        List<SynthesisMessage> warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        // THEN there are none
        assertThat(warnings).as(describe(warnings)).isEmpty();
    }

    private static String describe(List<SynthesisMessage> messages) {
        StringBuilder text = new StringBuilder("findings:\n");
        messages.forEach(message -> text.append(message.getId()).append(": ")
                .append(String.valueOf(message.getEntry().getData()).lines().findFirst().orElse("")).append('\n'));
        return text.toString();
    }
}
