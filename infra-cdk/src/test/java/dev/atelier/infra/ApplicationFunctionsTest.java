package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.lambda.Function;

/** The functions running the application jar share one environment and log only to their own group. */
class ApplicationFunctionsTest {

    private static SynthesizedStack synth;
    private static List<Function> functions;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        BuildWorkflow builds = synth.stack.getBuildWorkflow();
        functions = List.of(synth.stack.getApiFunction(), synth.stack.getBootstrapFunction(),
                builds.getStepsFunction(), builds.getEventsFunction(),
                synth.stack.getWorkstations().getWorkerFunction());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFunction_shouldGetTheSharedEnvironment() {
        // GIVEN the application's configuration, named once for every function
        Map<String, Object> shared = synth.sharedEnvironment();
        functions.forEach(function -> {
            // WHEN a function's environment is read
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) synth
                    .properties(synth.logicalId(function)).get("Environment")).get("Variables");
            // THEN it holds every shared variable with the same value
            assertThat(env).as(function.getNode().getPath()).containsAllEntriesOf(shared);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFunction_shouldWriteOnlyItsOwnLogGroup() {
        functions.forEach(function -> {
            // GIVEN a function's role and its log group
            String roleId = synth.logicalId(function.getRole());
            Map<String, Object> logging = (Map<String, Object>) synth.properties(synth.logicalId(function)).get("LoggingConfig");
            Object logGroup = logging.get("LogGroup");
            // WHEN the role's managed policies and CloudWatch Logs statements are read
            List<Map<String, Object>> logStatements = synth.statementsOfRole(roleId).stream()
                    .filter(s -> SynthesizedStack.actions(s).stream().anyMatch(a -> a.startsWith("logs:")))
                    .toList();
            // THEN no AWS managed policy is attached, and it may write log events to its group only
            assertThat(synth.properties(roleId)).as(roleId).doesNotContainKey("ManagedPolicyArns");
            assertThat(logStatements).as(roleId).singleElement().satisfies(statement -> {
                assertThat(SynthesizedStack.actions(statement))
                        .containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents");
                assertThat(statement.get("Resource"))
                        .isEqualTo(SynthesizedStack.getAttArn((String) ((Map<String, Object>) logGroup).get("Ref")));
            });
        });
    }
}
