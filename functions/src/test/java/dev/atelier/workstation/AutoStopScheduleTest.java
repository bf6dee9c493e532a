package dev.atelier.workstation;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Working-hours schedules: when a stop is due, the next one, and the Scheduler expression. */
class AutoStopScheduleTest {

    private static final AutoStop.Schedule WEEKDAYS_PARIS = new AutoStop.Schedule(
            List.of("mon", "tue", "wed", "thu", "fri"), "19:00", "Europe/Paris");

    @Test
    void due_shouldBeTrue_afterStopAtInTheZone_forABoxStartedBefore() {
        // GIVEN Friday 2026-12-04 19:05 in Paris (18:05 UTC), a box started at 09:00 Paris time
        Instant now = Instant.parse("2026-12-04T18:05:00Z");
        Instant since = Instant.parse("2026-12-04T08:00:00Z");

        // WHEN / THEN the stop is due
        assertThat(WEEKDAYS_PARIS.due(now, since)).isTrue();
    }

    @Test
    void due_shouldBeFalse_beforeStopAt_onAnotherDay_orForABoxStartedAfterHours() {
        // GIVEN 18:55 Paris on a Friday, 19:05 on a Saturday, and a box started at 19:02 on Friday
        // WHEN / THEN no stop is due
        assertThat(WEEKDAYS_PARIS.due(Instant.parse("2026-12-04T17:55:00Z"), null)).isFalse();
        assertThat(WEEKDAYS_PARIS.due(Instant.parse("2026-12-05T18:05:00Z"), null)).isFalse();
        assertThat(WEEKDAYS_PARIS.due(Instant.parse("2026-12-04T18:05:00Z"), Instant.parse("2026-12-04T18:02:00Z")))
                .isFalse();
    }

    @Test
    void next_shouldSkipTheWeekend_andFollowSummerTime() {
        // GIVEN Friday evening after the stop, and a Monday in July
        // WHEN / THEN the next stop is Monday 19:00 Paris (18:00 UTC in winter, 17:00 UTC in summer)
        assertThat(WEEKDAYS_PARIS.next(Instant.parse("2026-12-04T18:30:00Z"))).isEqualTo(Instant.parse("2026-12-07T18:00:00Z"));
        assertThat(WEEKDAYS_PARIS.next(Instant.parse("2026-07-06T08:00:00Z"))).isEqualTo(Instant.parse("2026-07-06T17:00:00Z"));
    }

    @Test
    void cronAndStorage_shouldCarryTheWholeSchedule() {
        // GIVEN the weekday schedule
        // WHEN it is turned into a Scheduler expression and stored
        // THEN both say the same
        assertThat(WEEKDAYS_PARIS.cron()).isEqualTo("cron(0 19 ? * MON,TUE,WED,THU,FRI *)");
        assertThat(AutoStop.Schedule.decode(WEEKDAYS_PARIS.encode())).isEqualTo(WEEKDAYS_PARIS);
    }
}
