package dev.atelier.testing;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks on answers shared by the API tests. */
public final class ApiAssertions {

    private ApiAssertions() { }

    /** The answer is a problem document with this status. */
    public static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        Map<String, Object> problem = Json.object(response.body());
        assertThat(problem).containsKeys("type", "title", "status", "detail");
        assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
    }

    /** A 400 problem naming exactly this field among its errors. */
    public static void assertInvalidField(HttpResponse<String> response, String field) {
        assertProblem(response, 400);
        assertThat(Json.errorFields(response.body())).contains(field);
    }
}
