package dev.atelier.workstation;

import dev.atelier.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How far back metrics are read, and in which periods: a few hundred points a series at most. */
class WorkstationMetricsPeriodTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @ParameterizedTest
    @CsvSource({"PT1H, 60", "PT3H, 60", "PT3H1S, 300", "PT24H, 300", "P3D, 900", "P3DT1S, 3600", "P14D, 3600"})
    void period_shouldFollowTheSpan(String span, int seconds) {
        assertThat(WorkstationMetricsService.period(Duration.parse(span))).isEqualTo(seconds);
    }

    @ParameterizedTest
    @CsvSource({"PT1H", "PT3H1S", "PT24H", "P3DT1S", "P14D"})
    void period_shouldKeepASeriesUnderFourHundredPoints(String span) {
        Duration d = Duration.parse(span);
        assertThat(d.toSeconds() / WorkstationMetricsService.period(d)).isLessThan(400);
    }

    @Test
    void since_shouldBeAnHourAgo_whenNotGiven() {
        assertThat(WorkstationMetricsService.since(null, NOW)).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void since_shouldAcceptAnOffset() {
        assertThat(WorkstationMetricsService.since("2026-12-05T10:30:00+02:00", NOW))
                .isEqualTo(Instant.parse("2026-12-05T08:30:00Z"));
    }

    @ParameterizedTest
    @CsvSource({"2026-12-05T09:00:00", "2026-12-05T11:00:00Z", "2026-11-20T09:59:59Z", "an hour ago"})
    void since_shouldBeRefusedNamingIt_whenNoTimeInTheLast14Days(String since) {
        assertThatThrownBy(() -> WorkstationMetricsService.since(since, NOW)).isInstanceOf(ApiException.class)
                .hasMessageContaining("since");
    }
}
