package dev.atelier.workstation.scheduler;

import dev.atelier.config.AtelierConfig;
import dev.atelier.workstation.AutoStop;
import dev.atelier.workstation.Schedules;
import dev.atelier.workstation.SqsWorkstationQueue;
import dev.atelier.workstation.WorkstationMessages;
import dev.atelier.workstation.WorkstationSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;
import software.amazon.awssdk.services.scheduler.model.Target;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link Schedules} on EventBridge Scheduler: the schedules live in the stack's group
 * ({@code atelier.workstations.schedule-group}); each targets the workstation queue, through the
 * role Scheduler assumes ({@code atelier.workstations.schedule-role-arn}), with the body of the
 * workspace's SCHEDULED_STOP command. A delivery Scheduler could not make within an hour is
 * dropped: the worker would find no box due any more that was started before the stop.
 */
@Singleton
@Requires(classes = SchedulerClient.class)
public class SchedulerSchedules implements Schedules {

    /** Locally the engine checks no role: any well-formed ARN does. */
    static final String LOCAL_ROLE = "arn:aws:iam::123456789012:role/atelier-local-scheduler";
    private static final int MAX_EVENT_AGE_SECONDS = 3600;

    private final SchedulerClient scheduler;
    private final SqsWorkstationQueue queue;
    private final JsonMapper json;
    private final String group;
    private final String roleArn;

    public SchedulerSchedules(SchedulerClient scheduler, SqsWorkstationQueue queue, JsonMapper json,
                              WorkstationSettings settings, AtelierConfig config) {
        this.scheduler = scheduler;
        this.queue = queue;
        this.json = json;
        this.group = group(settings, config);
        this.roleArn = settings.scheduleRoleArn() != null ? settings.scheduleRoleArn() : LOCAL_ROLE;
    }

    /** The schedule group: the stack's, or locally the table's name (made by {@code LocalResources}). */
    public static String group(WorkstationSettings settings, AtelierConfig config) {
        return settings.scheduleGroup() != null ? settings.scheduleGroup() : config.tableName();
    }

    @Override
    public void keep(String slug, Set<AutoStop.Schedule> wanted) {
        Map<String, AutoStop.Schedule> byName = new HashMap<>();
        wanted.forEach(s -> byName.put(Schedules.name(slug, s), s));
        String prefix = Schedules.prefix(slug);
        Target target = Target.builder().arn(queue.arn()).roleArn(roleArn)
                .input(WorkstationMessages.command(json, WorkstationMessages.Command.SCHEDULED_STOP, slug,
                        WorkstationMessages.WORKSPACE))
                .retryPolicy(p -> p.maximumEventAgeInSeconds(MAX_EVENT_AGE_SECONDS))
                .build();
        Set<String> existing = new java.util.HashSet<>();
        for (ScheduleSummary s : scheduler.listSchedulesPaginator(r -> r.groupName(group).namePrefix(prefix)).schedules()) {
            // The prefix alone would also match a longer slug's names: only exact ones are this workspace's.
            if (!s.name().startsWith(prefix) || s.name().indexOf('.', prefix.length()) >= 0) {
                continue;
            }
            if (byName.containsKey(s.name())) {
                existing.add(s.name());
            } else {
                delete(s.name());
            }
        }
        byName.forEach((name, schedule) -> {
            if (!existing.contains(name)) {
                scheduler.createSchedule(r -> r.groupName(group).name(name).description(description(slug, schedule))
                        .scheduleExpression(schedule.cron()).scheduleExpressionTimezone(schedule.timezone())
                        .flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                        .state(ScheduleState.ENABLED).target(target));
                return;
            }
            GetScheduleResponse current = scheduler.getSchedule(r -> r.groupName(group).name(name));
            if (!same(current, schedule, target)) {
                // The stack's queue or role changed since: the schedule follows.
                scheduler.updateSchedule(r -> r.groupName(group).name(name).description(description(slug, schedule))
                        .scheduleExpression(schedule.cron()).scheduleExpressionTimezone(schedule.timezone())
                        .flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                        .state(ScheduleState.ENABLED).target(target));
            }
        });
    }

    private static boolean same(GetScheduleResponse current, AutoStop.Schedule schedule, Target target) {
        Target t = current.target();
        return schedule.cron().equals(current.scheduleExpression())
                && schedule.timezone().equals(current.scheduleExpressionTimezone())
                && current.state() == ScheduleState.ENABLED
                && t != null && target.arn().equals(t.arn()) && target.roleArn().equals(t.roleArn())
                && target.input().equals(t.input());
    }

    private void delete(String name) {
        try {
            scheduler.deleteSchedule(r -> r.groupName(group).name(name));
        } catch (ResourceNotFoundException e) {
            // gone already
        }
    }

    private static String description(String slug, AutoStop.Schedule schedule) {
        return "Atelier: stops workstations of " + slug + " at " + schedule.stopAt() + " " + schedule.timezone()
                + " on " + String.join(",", schedule.days());
    }
}
