package dev.atelier.web;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Read-only fields sent back compare with the current representation as JSON values. */
class EchoedFieldsTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    @Serdeable
    record Current(String id, long version, Map<String, Object> image, List<String> groups) { }

    private static final Current CURRENT = new Current("d-1", 3,
            Map.of("buildId", "b-1", "version", 2, "amiId", "ami-1"), List.of("g-1", "g-2"));

    @ParameterizedTest(name = "{0} is the current value")
    @CsvSource(delimiter = '|', value = {
            "'{\"id\": \"d-1\"}'",
            "'{\"version\": 3}'",
            "'{\"version\": 3.0}'",
            "'{\"image\": {\"amiId\": \"ami-1\", \"version\": 2, \"buildId\": \"b-1\"}}'",
            "'{\"image\": {\"amiId\": \"ami-1\", \"version\": 2, \"buildId\": \"b-1\", \"gone\": null}}'",
            "'{\"groups\": [\"g-1\", \"g-2\"]}'",
            "'{\"id\": \"d-1\", \"version\": 3, \"groups\": [\"g-1\", \"g-2\"]}'",
    })
    void check_shouldAcceptTheCurrentValue_whateverTheKeyOrderOrNumberNotation(String body) {
        EchoedFields echoed = echoed(body);
        assertThat(echoed.changedFrom(CURRENT)).isEmpty();
    }

    @ParameterizedTest(name = "{0} changes {1}")
    @CsvSource(delimiter = '|', value = {
            "'{\"id\": \"d-2\"}'|id",
            "'{\"id\": null}'|id",
            "'{\"version\": \"3\"}'|version",
            "'{\"version\": 4}'|version",
            "'{\"image\": {\"amiId\": \"ami-1\", \"version\": 2}}'|image",
            "'{\"image\": {\"amiId\": \"ami-1\", \"version\": 2, \"buildId\": \"b-1\", \"extra\": 1}}'|image",
            "'{\"groups\": [\"g-2\", \"g-1\"]}'|groups",
    })
    void check_shouldAnswer400NamingTheField_whenTheValueDiffers(String body, String field) {
        EchoedFields echoed = echoed(body);
        assertThatThrownBy(() -> echoed.check(CURRENT)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.problem().errors()).containsExactly(new Problem.FieldError(field, "is read-only"));
        });
    }

    @Test
    void check_shouldTakeAnAbsentCurrentValueAsNull() {
        assertThat(echoed("{\"missing\": null}").changedFrom(CURRENT)).isEmpty();
        assertThat(echoed("{\"missing\": 1}").changedFrom(CURRENT))
                .containsExactly(new Problem.FieldError("missing", "is read-only"));
    }

    private static EchoedFields echoed(String body) {
        return JsonBody.parse(JSON, body, Set.of(), Set.of("id", "version", "image", "groups", "missing"))
                .echoed();
    }
}
