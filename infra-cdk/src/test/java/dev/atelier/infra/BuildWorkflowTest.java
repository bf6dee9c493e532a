package dev.atelier.infra;

import static dev.atelier.infra.BuildWorkflow.BUILT;
import static dev.atelier.infra.BuildWorkflow.CANCELLED;
import static dev.atelier.infra.BuildWorkflow.CHECK_STATUS;
import static dev.atelier.infra.BuildWorkflow.CLEAN_UP;
import static dev.atelier.infra.BuildWorkflow.ENDED;
import static dev.atelier.infra.BuildWorkflow.ERRORED;
import static dev.atelier.infra.BuildWorkflow.FAILED;
import static dev.atelier.infra.BuildWorkflow.STARTED;
import static dev.atelier.infra.BuildWorkflow.START_BUILD;
import static dev.atelier.infra.BuildWorkflow.WAIT_FOR_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The build state machine: its states, how they connect, and what each build costs in transitions. */
class BuildWorkflowTest {

    private static SynthesizedStack synth;
    private static BuildDefinition definition;
    private static String stateMachineId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        definition = BuildDefinition.of(synth);
        stateMachineId = synth.logicalId(synth.stack.getBuildWorkflow().getStateMachine());
    }

    @Test
    void stateMachine_shouldHaveTheNamedStatesOfTheirTypes() {
        // GIVEN the synthesised definition
        // WHEN its states are read
        // THEN they are exactly the documented ones, of the documented types
        assertThat(definition.root.get("StartAt").asText()).isEqualTo(START_BUILD);
        assertThat(definition.stateNames()).containsExactlyInAnyOrder(START_BUILD, STARTED, WAIT_FOR_IMAGE,
                CHECK_STATUS, ENDED, BUILT, CANCELLED, FAILED, CLEAN_UP, ERRORED);
        Map<String, String> types = Map.of(START_BUILD, "Task", STARTED, "Choice", WAIT_FOR_IMAGE, "Task",
                CHECK_STATUS, "Task", ENDED, "Choice", BUILT, "Succeed", CANCELLED, "Succeed", FAILED, "Fail",
                CLEAN_UP, "Task", ERRORED, "Fail");
        types.forEach((name, type) -> assertThat(definition.type(name)).as(name).isEqualTo(type));
        assertThat(definition.state(FAILED).get("Error").asText()).isEqualTo(BuildWorkflow.BUILD_FAILED_ERROR);
    }

    @Test
    void stateMachine_shouldBeStandard() {
        // GIVEN the state machine resource
        // WHEN its type is read
        // THEN it is STANDARD (executions last hours; express ones stop after five minutes)
        assertThat(synth.properties(stateMachineId)).containsEntry("StateMachineType", "STANDARD");
    }

    @Test
    void waitForImage_shouldWaitForTheTaskTokenUntilTheBuildTimeout() {
        // GIVEN the waiting task
        JsonNode wait = definition.state(WAIT_FOR_IMAGE);
        // WHEN its resource, timeout and payload are read
        // THEN it is a callback task with the default build timeout (6 h) handing its token to "await"
        assertThat(wait.get("Resource").asText()).endsWith("lambda:invoke.waitForTaskToken");
        assertThat(wait.get("TimeoutSeconds").asInt()).isEqualTo(6 * 3600);
        JsonNode payload = wait.get("Parameters").get("Payload");
        assertThat(payload.get("step").asText()).isEqualTo("await");
        assertThat(payload.get("taskToken.$").asText()).isEqualTo("$$.Task.Token");
        assertThat(payload.get("buildId.$").asText()).isEqualTo("$.buildId");
        assertThat(wait.get("ResultPath").asText()).isEqualTo("$.build");
    }

    @Test
    void waitForImage_shouldCheckTheStatusOnTimeoutAndCleanUpOnAnyOtherError() {
        // GIVEN the waiting task's catchers, in order
        List<JsonNode> catchers = new ArrayList<>();
        definition.state(WAIT_FOR_IMAGE).get("Catch").forEach(catchers::add);
        // WHEN they are read
        // THEN a timeout goes to the status check first, anything else to clean-up; both keep the input
        assertThat(catchers).hasSize(2);
        assertThat(catchers.get(0).get("ErrorEquals").toString()).isEqualTo("[\"States.Timeout\"]");
        assertThat(catchers.get(0).get("Next").asText()).isEqualTo(CHECK_STATUS);
        assertThat(catchers.get(1).get("ErrorEquals").toString()).isEqualTo("[\"States.ALL\"]");
        assertThat(catchers.get(1).get("Next").asText()).isEqualTo(CLEAN_UP);
        catchers.forEach(c -> assertThat(c.get("ResultPath").asText()).isEqualTo("$.error"));
    }

    @Test
    void everyStepTask_shouldCleanUpOnAnyErrorAndRetryLambdaServiceErrors() {
        // GIVEN the tasks that run a step (all but clean-up itself)
        for (String name : List.of(START_BUILD, WAIT_FOR_IMAGE, CHECK_STATUS)) {
            JsonNode task = definition.state(name);
            // WHEN their catchers and retriers are read
            JsonNode last = task.get("Catch").get(task.get("Catch").size() - 1);
            // THEN any error ends in clean-up, keeping the input, and Lambda's own errors are retried with backoff
            assertThat(last.get("ErrorEquals").toString()).as(name).isEqualTo("[\"States.ALL\"]");
            assertThat(last.get("Next").asText()).as(name).isEqualTo(CLEAN_UP);
            assertThat(last.get("ResultPath").asText()).as(name).isEqualTo("$.error");
            JsonNode retry = task.get("Retry").get(0);
            assertThat(retry.get("ErrorEquals").toString()).as(name)
                    .contains("Lambda.ServiceException", "Lambda.TooManyRequestsException")
                    .doesNotContain("States.ALL");
            assertThat(retry.get("BackoffRate").asDouble()).as(name).isGreaterThan(1);
        }
    }

    @Test
    void stepTasks_shouldSendTheStepAndTheBuildToTheStepsFunction() {
        // GIVEN the steps function
        String functionId = synth.logicalId(synth.stack.getBuildWorkflow().getStepsFunction());
        // WHEN the tasks' resources and payloads are read
        // THEN each calls that function directly with {step, slug, definitionId, buildId}, its answer going to $.build
        Map<String, String> steps = Map.of(START_BUILD, "start", CHECK_STATUS, "check", CLEAN_UP, "cleanup");
        steps.forEach((name, step) -> {
            JsonNode task = definition.state(name);
            assertThat(task.get("Resource").asText()).as(name).endsWith(":function:" + functionId);
            JsonNode payload = task.get("Parameters");
            assertThat(payload.get("step").asText()).as(name).isEqualTo(step);
            assertThat(payload.get("slug.$").asText()).isEqualTo("$.slug");
            assertThat(payload.get("definitionId.$").asText()).isEqualTo("$.definitionId");
            assertThat(payload.get("buildId.$").asText()).isEqualTo("$.buildId");
        });
        assertThat(definition.state(START_BUILD).get("ResultPath").asText()).isEqualTo("$.build");
        assertThat(definition.state(CHECK_STATUS).get("ResultPath").asText()).isEqualTo("$.build");
        assertThat(definition.state(CLEAN_UP).get("Parameters").get("error.$").asText()).isEqualTo("$.error");
    }

    @Test
    void cleanUp_shouldEndInAFailState() {
        // GIVEN the clean-up task
        JsonNode cleanUp = definition.state(CLEAN_UP);
        // WHEN where it leads is read
        // THEN whether it succeeds or not, the execution fails
        assertThat(definition.type(cleanUp.get("Next").asText())).isEqualTo("Fail");
        cleanUp.path("Catch").forEach(c -> assertThat(definition.type(c.get("Next").asText())).isEqualTo("Fail"));
    }

    @Test
    void choices_shouldWaitOnlyForRunningBuildsAndEndByStatus() {
        // GIVEN the two choices
        // WHEN their rules are read
        // THEN a running build is waited for, anything else is judged; available and cancelled succeed
        assertThat(definition.state(STARTED).get("Default").asText()).isEqualTo(ENDED);
        assertThat(definition.state(STARTED).get("Choices").toString())
                .contains("\"building\"", "\"testing\"", "\"distributing\"").contains(WAIT_FOR_IMAGE);
        assertThat(definition.state(ENDED).get("Default").asText()).isEqualTo(FAILED);
        assertThat(definition.state(ENDED).get("Choices").toString())
                .contains("\"available\"", BUILT, "\"cancelled\"", CANCELLED);
    }

    @Test
    void graph_shouldHaveNoWaitStatesNoLoopsAndOnlySucceedOrFailEnds() {
        // GIVEN the synthesised definition
        // WHEN its graph is walked
        // THEN nothing waits by polling, nothing loops, and every path ends in Succeed or Fail
        assertThat(definition.countOfType("Wait")).isZero();
        assertThat(definition.findCycle()).isEmpty();
        assertThat(definition.endsOtherThanSucceedOrFail()).isEmpty();
        assertThat(definition.countOfType("Parallel") + definition.countOfType("Map")).isZero();
    }

    static List<BuildScenarios.Scenario> scenarios() {
        return BuildScenarios.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyScenario_shouldEndAsExpectedWithinTheTransitionTarget(BuildScenarios.Scenario scenario) {
        // GIVEN one course of a build
        // WHEN it is walked through the synthesised definition
        BuildScenarios.Walk walk = BuildScenarios.walk(definition, scenario);
        // THEN it ends in the expected state, within the target number of transitions
        assertThat(walk.end()).isEqualTo(scenario.expectedEnd());
        assertThat(walk.transitions()).as(String.join(" -> ", walk.states()))
                .isLessThanOrEqualTo(BuildScenarios.TARGET_TRANSITIONS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateMachine_shouldLogErrorsOnlyWithoutExecutionData() {
        // GIVEN the state machine's logging configuration
        Map<String, Object> logging = (Map<String, Object>) synth.properties(stateMachineId).get("LoggingConfiguration");
        // WHEN it is read
        // THEN only errors are logged, and never inputs or outputs (they carry task tokens)
        assertThat(logging).containsEntry("Level", "ERROR").containsEntry("IncludeExecutionData", false);
        assertThat((List<Object>) logging.get("Destinations")).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateMachine_shouldBeEncryptedWithTheAtelierKey() {
        // GIVEN the stack's key
        String keyId = synth.logicalId(synth.stack.getKey());
        // WHEN the state machine's encryption is read
        Map<String, Object> encryption = (Map<String, Object>) synth.properties(stateMachineId).get("EncryptionConfiguration");
        // THEN executions are encrypted with that key
        assertThat(encryption).containsEntry("Type", "CUSTOMER_MANAGED_KMS_KEY")
                .containsEntry("KmsKeyId", SynthesizedStack.getAttArn(keyId));
    }
}
