package dev.atelier.bench;

import dev.atelier.RequestBudgetTest;
import dev.atelier.RequestBudgetTest.Budget;
import dev.atelier.RequestBudgetTest.Measured;
import dev.atelier.testing.RunningApp;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * DynamoDB requests per API call, read from the application's request counter around one call
 * per row of {@link RequestBudgetTest}'s table (which asserts the same budgets). Prints a table.
 */
public final class RequestBudgetBenchmark {

    private RequestBudgetBenchmark() { }

    public static void main(String[] args) {
        try (RunningApp app = RunningApp.start(java.util.Map.of("atelier.snapshot-every-seconds", 0))) {
            System.out.println("DynamoDB requests per API call (one call each, authorization included;");
            System.out.printf("  budget: reads <= %d, writes <= %d; the application configured as on Lambda)%n",
                    RequestBudgetTest.MAX_READS, RequestBudgetTest.MAX_WRITES);
            System.out.println();
            System.out.printf("  %-6s %-28s %-30s %6s %5s %6s  %-40s %-8s %s%n", "method", "path", "call", "status",
                    "reads", "writes", "operations", "budget", "");
            for (Budget budget : RequestBudgetTest.budgets()) {
                Measured m = RequestBudgetTest.measure(app, budget);
                boolean within = m.reads() <= budget.maxReads() && m.writes() <= budget.maxWrites()
                        && m.status() == budget.expectedStatus();
                String operations = m.byOperation().isEmpty() ? "-" : m.byOperation().entrySet().stream()
                        .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " x" + e.getValue())
                        .collect(Collectors.joining(", "));
                System.out.printf("  %-6s %-28s %-30s %6d %5d %6d  %-40s %-8s %s%n", budget.method(),
                        budget.template(), budget.call(), m.status(), m.reads(), m.writes(), operations,
                        budget.maxReads() + "r/" + budget.maxWrites() + "w", within ? "ok" : "OVER");
            }
            Set<String> budgeted = RequestBudgetTest.budgets().stream().map(Budget::route).collect(Collectors.toSet());
            Set<String> missing = RequestBudgetTest.routes(app).stream().filter(r -> !budgeted.contains(r))
                    .collect(Collectors.toSet());
            System.out.println();
            System.out.println(missing.isEmpty() ? "  Every route of the application has a budget."
                    : "  Routes without a budget: " + missing);
        }
        // Idle keep-alive connections of the test HTTP client would hold the JVM for a minute.
        System.exit(0);
    }
}
