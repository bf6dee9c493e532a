package dev.atelier;

import dev.atelier.aws.DynamoDbRequestCounter;
import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API call's cost in DynamoDB requests, authorization included, is bounded: at most 2
 * reads and 3 writes. The table below holds one row per way of calling each route; a route
 * without a row fails the build, so a new endpoint cannot arrive without its budget.
 * {@code bin/bench} prints the same table with the measured figures.
 */
public class RequestBudgetTest {

    public static final int MAX_READS = 2;
    public static final int MAX_WRITES = 3;

    /** Makes one call ready (setting up, uncounted, what it needs) and returns it, to be counted. */
    public interface Call {
        Supplier<HttpResponse<String>> prepare(RunningApp app);
    }

    /** One row: a route ({@code method} and Micronaut's path template), a way to call it, its budget. */
    public record Budget(String method, String template, String call, int maxReads, int maxWrites,
                         int expectedStatus, Call prepare) {
        public String route() {
            return method + " " + template;
        }

        @Override
        public String toString() {
            return route() + " (" + call + ")";
        }
    }

    /** What one call cost. */
    public record Measured(int status, long reads, long writes, Map<String, Long> byOperation) {
        public long total() {
            return reads + writes;
        }
    }

    private static final List<Budget> BUDGETS = List.of(
            new Budget("POST", "/api/v1/workspaces", "create", MAX_READS, MAX_WRITES, 201,
                    app -> {
                        String body = newWorkspace();
                        return () -> app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body);
                    }),
            new Budget("POST", "/api/v1/workspaces", "create with Idempotency-Key", MAX_READS, MAX_WRITES, 201,
                    app -> {
                        String body = newWorkspace();
                        String key = UUID.randomUUID().toString();
                        return () -> app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body,
                                "Idempotency-Key", key);
                    }),
            new Budget("POST", "/api/v1/workspaces", "replay of an Idempotency-Key", MAX_READS, MAX_WRITES, 201,
                    app -> {
                        String body = newWorkspace();
                        String key = UUID.randomUUID().toString();
                        expect(201, app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body,
                                "Idempotency-Key", key));
                        return () -> app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), body,
                                "Idempotency-Key", key);
                    }),
            new Budget("GET", "/api/v1/workspaces", "list", MAX_READS, MAX_WRITES, 200, list("GET")),
            new Budget("HEAD", "/api/v1/workspaces", "list, headers only", MAX_READS, MAX_WRITES, 200, list("HEAD")),
            new Budget("GET", "/api/v1/workspaces/{slug}", "get", MAX_READS, MAX_WRITES, 200, get("GET")),
            new Budget("HEAD", "/api/v1/workspaces/{slug}", "get, headers only", MAX_READS, MAX_WRITES, 200, get("HEAD")),
            new Budget("GET", "/api/v1/me", "me", MAX_READS, MAX_WRITES, 200, me("GET")),
            new Budget("HEAD", "/api/v1/me", "me, headers only", MAX_READS, MAX_WRITES, 200, me("HEAD")),
            new Budget("GET", "/health", "health", 0, 0, 200, health("GET")),
            new Budget("HEAD", "/health", "health, headers only", 0, 0, 200, health("HEAD")));

    // Micronaut answers HEAD on every GET route (running the same code): those are routes too.

    private static Call list(String method) {
        return app -> {
            expect(201, app.send("POST", "/api/v1/workspaces", app.bootstrapToken(), newWorkspace()));
            return () -> app.send(method, "/api/v1/workspaces?limit=10", app.bootstrapToken(), null);
        };
    }

    private static Call get(String method) {
        return app -> {
            String slug = unique("budget");
            expect(201, app.send("POST", "/api/v1/workspaces", app.bootstrapToken(),
                    Json.write(Map.of("name", "Budget", "slug", slug))));
            return () -> app.send(method, "/api/v1/workspaces/" + slug, app.bootstrapToken(), null);
        };
    }

    private static Call me(String method) {
        return app -> () -> app.send(method, "/api/v1/me", app.bootstrapToken(), null);
    }

    private static Call health(String method) {
        return app -> () -> app.send(method, "/health", null, null);
    }

    /** The table, for tests and for the benchmark that prints it. */
    public static List<Budget> budgets() {
        return BUDGETS;
    }

    /** Counts the DynamoDB requests of one call (the application is in-process; calls are sequential). */
    public static Measured measure(RunningApp app, Budget budget) {
        Supplier<HttpResponse<String>> call = budget.prepare().prepare(app);
        DynamoDbRequestCounter counter = app.dynamoDbRequests();
        long totalBefore = counter.total();
        long writesBefore = counter.writes();
        Map<String, Long> operationsBefore = counter.byOperation();
        HttpResponse<String> response = call.get();
        long writes = counter.writes() - writesBefore;
        long reads = counter.total() - totalBefore - writes;
        Map<String, Long> operations = new TreeMap<>();
        counter.byOperation().forEach((operation, n) -> {
            long delta = n - operationsBefore.getOrDefault(operation, 0L);
            if (delta > 0) {
                operations.put(operation, delta);
            }
        });
        return new Measured(response.statusCode(), reads, writes, operations);
    }

    /** The routes of the application, as {@code METHOD template}. */
    public static Set<String> routes(RunningApp app) {
        return app.context().getBean(Router.class).uriRoutes()
                .map(route -> route.getHttpMethodName() + " " + route.getUriMatchTemplate().toString())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String newWorkspace() {
        return Json.write(Map.of("name", unique("Budget Team")));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("Setup call answered " + response.statusCode() + ": " + response.body());
        }
    }

    // --- the tests ------------------------------------------------------------------------

    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.startWithoutLocalSite();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static List<Budget> rows() {
        return BUDGETS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void call_shouldStayWithinItsDynamoDbRequestBudget(Budget budget) {
        // WHEN the call is made once
        Measured measured = measure(app, budget);

        // THEN it succeeded (a refused call would be cheap for the wrong reason) and stayed in budget
        assertThat(measured.status()).as("status of %s", budget).isEqualTo(budget.expectedStatus());
        assertThat(measured.reads()).as("DynamoDB reads of %s: %s", budget, measured.byOperation())
                .isLessThanOrEqualTo(budget.maxReads());
        assertThat(measured.writes()).as("DynamoDB writes of %s: %s", budget, measured.byOperation())
                .isLessThanOrEqualTo(budget.maxWrites());
    }

    @Test
    void everyRoute_shouldHaveABudget() {
        Set<String> budgeted = BUDGETS.stream().map(Budget::route).collect(Collectors.toSet());

        assertThat(routes(app))
                .as("every route needs a row in RequestBudgetTest's table, with its DynamoDB budget")
                .isNotEmpty()
                .allSatisfy(route -> assertThat(budgeted).as("budgeted routes").contains(route));
    }

    @Test
    void everyBudget_shouldNameAnExistingRoute() {
        Set<String> routes = routes(app);

        assertThat(BUDGETS).allSatisfy(budget -> assertThat(routes).as("routes").contains(budget.route()));
    }

    @Test
    void budgets_shouldStayWithinTheProjectWideLimits() {
        assertThat(BUDGETS).allSatisfy(budget -> {
            assertThat(budget.maxReads()).isLessThanOrEqualTo(MAX_READS);
            assertThat(budget.maxWrites()).isLessThanOrEqualTo(MAX_WRITES);
        });
    }
}
