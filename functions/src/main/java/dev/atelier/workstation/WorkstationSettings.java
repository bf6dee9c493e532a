package dev.atelier.workstation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * Where and how workstations run ({@code atelier.workstations.*}, set by the stack).
 *
 * @param queueUrl            the workstation queue: commands, EC2 state changes, fallback checks
 *                            (locally, the engine's queue of that name is used when absent)
 * @param instanceProfileName the instance profile of workstations (SSM, their own metrics and logs);
 *                            none when absent
 * @param subnetIds           the subnets workstations run in (the first with capacity); the default
 *                            VPC's when absent
 * @param securityGroupIds    their security groups; the subnet's default when absent
 * @param homeVolumeGb        the size of a new home volume
 * @param checkAfterSeconds   how long after a command the worker looks at the instance itself, in
 *                            case EC2's state-change events were lost (at most 900: an SQS delay)
 * @param queueArn            the workstation queue's ARN, the target of working-hours schedules
 *                            (locally, read from the engine's queue when absent)
 * @param scheduleGroup       the Scheduler schedule group of working-hours schedules (locally, the
 *                            table's name when absent)
 * @param scheduleRoleArn     the role Scheduler assumes to send to the workstation queue (locally,
 *                            a placeholder the engine does not check, when absent)
 */
@ConfigurationProperties("atelier.workstations")
public record WorkstationSettings(@Nullable String queueUrl, @Nullable String instanceProfileName,
                                  @Nullable List<String> subnetIds, @Nullable List<String> securityGroupIds,
                                  @Nullable Integer homeVolumeGb, @Nullable Integer checkAfterSeconds,
                                  @Nullable String queueArn, @Nullable String scheduleGroup,
                                  @Nullable String scheduleRoleArn) {

    public WorkstationSettings {
        queueUrl = blank(queueUrl);
        instanceProfileName = blank(instanceProfileName);
        queueArn = blank(queueArn);
        scheduleGroup = blank(scheduleGroup);
        scheduleRoleArn = blank(scheduleRoleArn);
        subnetIds = clean(subnetIds);
        securityGroupIds = clean(securityGroupIds);
        homeVolumeGb = homeVolumeGb == null ? 100 : homeVolumeGb;
        checkAfterSeconds = checkAfterSeconds == null ? 600 : checkAfterSeconds;
        if (homeVolumeGb < 1 || homeVolumeGb > 16384) {
            throw new IllegalStateException("Configuration atelier.workstations.home-volume-gb must be 1–16384");
        }
        if (checkAfterSeconds < 0 || checkAfterSeconds > 900) {
            throw new IllegalStateException("Configuration atelier.workstations.check-after-seconds must be 0–900");
        }
    }

    @Nullable
    private static String blank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static List<String> clean(@Nullable List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
    }
}
