package dev.atelier.infra;

import static dev.atelier.infra.BuildWorkflow.CHECK_STATUS;
import static dev.atelier.infra.BuildWorkflow.CLEAN_UP;
import static dev.atelier.infra.BuildWorkflow.START_BUILD;
import static dev.atelier.infra.BuildWorkflow.WAIT_FOR_IMAGE;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How builds go, and a walker that follows one through the synthesised definition: each Task's
 * outcome is given (the build status its Lambda answers, or an error), Choice rules are evaluated
 * against {@code $.build.status}, Catch blocks are matched in order. The walk counts the states
 * entered, which is what Step Functions bills for a STANDARD execution (state transitions).
 */
final class BuildScenarios {

    /** Transitions allowed per build, whatever happens to it. */
    static final int TARGET_TRANSITIONS = 12;

    /** What a Task answers: the build's status, or an error (Catch/Retry error name). */
    record Outcome(String status, String error) {
        static Outcome status(String status) { return new Outcome(status, null); }
        static Outcome error(String error) { return new Outcome(null, error); }
    }

    /** A named course of a build, and the terminal state it must end in. */
    record Scenario(String name, Map<String, Outcome> outcomes, String expectedEnd) { }

    /** The states entered, in order (the last is a Succeed or Fail state), and the Lambda invocations. */
    record Walk(List<String> states, int lambdaInvocations) {
        int transitions() { return states.size(); }
        String end() { return states.get(states.size() - 1); }
    }

    static List<Scenario> all() {
        return List.of(
                scenario("success", BuildWorkflow.BUILT,
                        START_BUILD, Outcome.status("building"), WAIT_FOR_IMAGE, Outcome.status("available")),
                scenario("build failed", BuildWorkflow.FAILED,
                        START_BUILD, Outcome.status("building"), WAIT_FOR_IMAGE, Outcome.status("failed")),
                scenario("cancelled while building", BuildWorkflow.CANCELLED,
                        START_BUILD, Outcome.status("building"), WAIT_FOR_IMAGE, Outcome.status("cancelled")),
                scenario("lost terminal event (timeout, check: available)", BuildWorkflow.BUILT,
                        START_BUILD, Outcome.status("building"), WAIT_FOR_IMAGE, Outcome.error("States.Timeout"),
                        CHECK_STATUS, Outcome.status("available")),
                scenario("timed out (timeout, check: still building)", BuildWorkflow.FAILED,
                        START_BUILD, Outcome.status("building"), WAIT_FOR_IMAGE, Outcome.error("States.Timeout"),
                        CHECK_STATUS, Outcome.status("building")),
                scenario("start error (clean up)", BuildWorkflow.ERRORED,
                        START_BUILD, Outcome.error("States.TaskFailed"), CLEAN_UP, Outcome.status("failed")),
                scenario("refused at start (failed at once)", BuildWorkflow.FAILED,
                        START_BUILD, Outcome.status("failed")),
                scenario("cancelled before start", BuildWorkflow.CANCELLED,
                        START_BUILD, Outcome.status("cancelled")),
                scenario("await error (clean up)", BuildWorkflow.ERRORED,
                        START_BUILD, Outcome.status("building"), WAIT_FOR_IMAGE, Outcome.error("States.TaskFailed"),
                        CLEAN_UP, Outcome.status("failed")));
    }

    private static Scenario scenario(String name, String expectedEnd, Object... stateAndOutcome) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < stateAndOutcome.length; i += 2) {
            outcomes.put((String) stateAndOutcome[i], (Outcome) stateAndOutcome[i + 1]);
        }
        return new Scenario(name, outcomes, expectedEnd);
    }

    /** Follows the scenario through the definition; fails on a loop or a state the walker cannot run. */
    static Walk walk(BuildDefinition definition, Scenario scenario) {
        List<String> entered = new ArrayList<>();
        int invocations = 0;
        String status = null;
        String name = definition.root.get("StartAt").asText();
        int limit = definition.stateNames().size() + 1;
        while (true) {
            if (entered.size() >= limit) {
                throw new AssertionError(scenario.name() + ": more states entered than the definition has, a loop: " + entered);
            }
            entered.add(name);
            JsonNode state = definition.state(name);
            String type = state.get("Type").asText();
            switch (type) {
                case "Succeed", "Fail" -> {
                    return new Walk(entered, invocations);
                }
                case "Task" -> {
                    invocations++;
                    Outcome outcome = scenario.outcomes().get(name);
                    if (outcome == null) {
                        throw new AssertionError(scenario.name() + ": no outcome for task " + name);
                    }
                    if (outcome.error() != null) {
                        String handler = caught(state, outcome.error());
                        if (handler == null) {
                            throw new AssertionError(scenario.name() + ": " + outcome.error() + " not caught in " + name);
                        }
                        name = handler;
                        continue;
                    }
                    if ("$.build".equals(state.path("ResultPath").asText())) {
                        status = outcome.status();
                    }
                    name = next(state, scenario);
                }
                case "Choice" -> name = choose(state, status, scenario);
                case "Pass" -> name = next(state, scenario);
                default -> throw new AssertionError(scenario.name() + ": the walker does not run " + type + " states");
            }
        }
    }

    private static String next(JsonNode state, Scenario scenario) {
        if (!state.has("Next")) {
            throw new AssertionError(scenario.name() + ": a state ends the execution without Succeed or Fail");
        }
        return state.get("Next").asText();
    }

    private static String caught(JsonNode state, String error) {
        for (JsonNode catcher : state.path("Catch")) {
            Set<String> errors = new HashSet<>();
            catcher.get("ErrorEquals").forEach(e -> errors.add(e.asText()));
            if (errors.contains(error) || errors.contains("States.ALL")) {
                return catcher.get("Next").asText();
            }
        }
        return null;
    }

    private static String choose(JsonNode state, String status, Scenario scenario) {
        for (JsonNode rule : state.get("Choices")) {
            if (matches(rule, status)) {
                return rule.get("Next").asText();
            }
        }
        if (!state.has("Default")) {
            throw new AssertionError(scenario.name() + ": no choice matches status " + status);
        }
        return state.get("Default").asText();
    }

    private static boolean matches(JsonNode rule, String status) {
        if (rule.has("Or")) {
            for (JsonNode inner : rule.get("Or")) {
                if (matches(inner, status)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("And")) {
            for (JsonNode inner : rule.get("And")) {
                if (!matches(inner, status)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Not")) {
            return !matches(rule.get("Not"), status);
        }
        if (!"$.build.status".equals(rule.path("Variable").asText()) || !rule.has("StringEquals")) {
            throw new AssertionError("The walker reads only StringEquals on $.build.status, got: " + rule);
        }
        return rule.get("StringEquals").asText().equals(status);
    }

    private BuildScenarios() { }
}
