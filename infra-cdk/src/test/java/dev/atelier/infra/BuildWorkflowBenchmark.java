package dev.atelier.infra;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints, from the synthesised build state machine, the state transitions (states entered) of
 * each course a build can take; bin/bench runs it. {@code BuildWorkflowTest} asserts the same
 * figures against the target. Named *Benchmark so that Surefire never runs it.
 */
public final class BuildWorkflowBenchmark {

    private BuildWorkflowBenchmark() { }

    public static void main(String[] args) {
        BuildDefinition definition = BuildDefinition.of(SynthesizedStack.get());
        long waits = definition.countOfType("Wait");
        List<String> cycle = definition.findCycle();
        long callbacks = definition.stateNames().stream()
                .filter(name -> definition.state(name).path("Resource").asText().endsWith(".waitForTaskToken"))
                .count();
        String types = List.of("Task", "Choice", "Succeed", "Fail", "Wait", "Pass", "Parallel", "Map").stream()
                .filter(type -> definition.countOfType(type) > 0)
                .map(type -> definition.countOfType(type) + " " + type)
                .collect(Collectors.joining(", "));

        System.out.println("Build workflow: state transitions per build (a STANDARD execution is billed per state entered)");
        System.out.printf("  synthesised state machine: %d states (%s); Wait states: %d; cycles: %d; waitForTaskToken tasks: %d%n",
                definition.stateNames().size(), types, waits, cycle.isEmpty() ? 0 : 1, callbacks);
        System.out.println();
        System.out.printf("  %-50s %11s %8s  %-10s %s%n", "scenario", "transitions", "lambda", "end", "path");
        int worst = 0;
        for (BuildScenarios.Scenario scenario : BuildScenarios.all()) {
            BuildScenarios.Walk walk = BuildScenarios.walk(definition, scenario);
            worst = Math.max(worst, walk.transitions());
            System.out.printf("  %-50s %11d %8d  %-10s %s%n", scenario.name(), walk.transitions(),
                    walk.lambdaInvocations(), walk.end(), String.join(" > ", walk.states()));
        }
        System.out.println();
        System.out.printf("  Lambda invocations while waiting: %d (%s)%n", waits + (cycle.isEmpty() ? 0 : 1),
                waits == 0 && cycle.isEmpty() && callbacks == 1
                        ? "no Wait states, no polling: one waitForTaskToken task"
                        : "Wait states or loops found");
        System.out.println("  (lambda = build-steps invocations by the execution; the build-events function runs once per"
                + " image state change, outside it)");
        System.out.printf("  Target: <= %d transitions per build; worst case %d: %s%n", BuildScenarios.TARGET_TRANSITIONS,
                worst, worst <= BuildScenarios.TARGET_TRANSITIONS ? "ok" : "OVER");
    }
}
