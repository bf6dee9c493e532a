package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import dev.atelier.workstation.WorkstationSettings;
import dev.atelier.workstation.scheduler.SchedulerSchedules;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the local engine lacks for EventBridge Scheduler: it stores schedules but never fires them.
 * Every {@code atelier.local.schedules.tick-millis} (10000 by default) this looks at the schedules
 * of the application's group in the engine and, for each enabled one with a {@code cron(…)}
 * minute (in its time zone) between the last look and now, sends its target's input to its target
 * queue through the engine's SQS, as Scheduler would: the worker reads it as in AWS. Time is the
 * application's clock. {@code atelier.local.schedules.enabled=false} turns it off.
 * <p>Cron fields understood: numbers, names, lists, ranges, {@code *} and {@code ?}; a schedule
 * using anything else ({@code L}, {@code W}, {@code #}, {@code /}, {@code rate}, {@code at}) never fires here.
 */
@Context
@Requires(env = "local")
@Requires(property = "atelier.local.schedules.enabled", notEquals = "false")
public class LocalSchedules {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSchedules.class);
    /** At most this many minutes are looked back at (a schedule first seen, or a long pause). */
    private static final int MAX_MINUTES_BACK = 24 * 60;
    private static final List<String> WEEKDAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");

    private final SchedulerClient scheduler;
    private final SqsClient sqs;
    private final Clock clock;
    private final String group;
    private final long tickMillis;
    private final Instant started;
    /** By schedule ARN: up to when its fire times were looked at. */
    private final Map<String, Instant> seenUntil = new HashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-schedules");
        thread.setDaemon(true);
        return thread;
    });

    public LocalSchedules(SchedulerClient scheduler, SqsClient sqs, Clock clock, WorkstationSettings settings,
                          AtelierConfig config, @Value("${atelier.local.schedules.tick-millis:10000}") long tickMillis) {
        this.scheduler = scheduler;
        this.sqs = sqs;
        this.clock = clock;
        this.group = SchedulerSchedules.group(settings, config);
        this.tickMillis = tickMillis;
        this.started = clock.instant();
    }

    @PostConstruct
    void start() {
        executor.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            Map<String, Instant> present = new HashMap<>();
            for (ScheduleSummary s : scheduler.listSchedulesPaginator(r -> r.groupName(group)).schedules()) {
                Instant from = seenUntil.getOrDefault(s.arn(), latest(started, s.lastModificationDate()));
                if (s.state() == ScheduleState.ENABLED && !from.isAfter(now)) {
                    GetScheduleResponse schedule = scheduler.getSchedule(r -> r.groupName(group).name(s.name()));
                    if (due(schedule, from, now)) {
                        fire(schedule);
                    }
                }
                present.put(s.arn(), now);
            }
            seenUntil.clear();
            seenUntil.putAll(present);
        } catch (RuntimeException e) {
            LOG.debug("Local schedules: trying again at the next tick", e);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    /** Whether one of the schedule's fire times lies in ({@code from}, {@code now}]. */
    static boolean due(GetScheduleResponse schedule, Instant from, Instant now) {
        String expression = schedule.scheduleExpression();
        if (expression == null || !expression.startsWith("cron(") || !expression.endsWith(")")) {
            return false;
        }
        String[] fields = expression.substring(5, expression.length() - 1).trim().split("\\s+");
        if (fields.length != 6) {
            return false;
        }
        ZoneId zone = ZoneId.of(schedule.scheduleExpressionTimezone() == null ? "UTC" : schedule.scheduleExpressionTimezone());
        Instant minute = from.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant earliest = now.truncatedTo(ChronoUnit.MINUTES).minus(MAX_MINUTES_BACK, ChronoUnit.MINUTES);
        if (minute.isBefore(earliest)) {
            minute = earliest;
        }
        for (; !minute.isAfter(now); minute = minute.plus(1, ChronoUnit.MINUTES)) {
            if (matches(fields, minute.atZone(zone))) {
                return true;
            }
        }
        return false;
    }

    /** Scheduler's cron: minutes hours day-of-month month day-of-week year (day-of-week 1 = Sunday). */
    static boolean matches(String[] f, ZonedDateTime t) {
        try {
            return field(f[0], t.getMinute(), List.of()) && field(f[1], t.getHour(), List.of())
                    && field(f[2], t.getDayOfMonth(), List.of())
                    && field(f[3], t.getMonthValue(), MONTHS)
                    && field(f[4], t.getDayOfWeek().getValue() % 7 + 1, WEEKDAYS)
                    && field(f[5], t.getYear(), List.of());
        } catch (IllegalArgumentException e) {
            return false; // a form this stand-in does not understand
        }
    }

    /** One field: {@code *}, {@code ?}, or a list of values and ranges (names count from 1). */
    private static boolean field(String field, int value, List<String> names) {
        if (field.equals("*") || field.equals("?")) {
            return true;
        }
        for (String part : field.split(",")) {
            String[] range = part.split("-");
            if (range.length > 2) {
                throw new IllegalArgumentException(part);
            }
            int low = number(range[0], names);
            int high = range.length == 2 ? number(range[1], names) : low;
            if (value >= low && value <= high) {
                return true;
            }
        }
        return false;
    }

    private static int number(String s, List<String> names) {
        int named = names.indexOf(s.toUpperCase(Locale.ROOT));
        return named >= 0 ? named + 1 : Integer.parseInt(s);
    }

    /** Scheduler's delivery to an SQS target: the input as the message body. */
    private void fire(GetScheduleResponse schedule) {
        String queueArn = schedule.target().arn();
        if (!queueArn.startsWith("arn:aws:sqs:")) {
            LOG.info("Local schedules: {} targets {}, which is not a queue: not sent", schedule.name(), queueArn);
            return;
        }
        String queueName = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        String url = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(schedule.target().input() == null ? "{}" : schedule.target().input()));
        LOG.info("Local schedules: {} fired", schedule.name());
    }
}
