package dev.atelier.workstation.ec2;

import io.micronaut.context.annotation.Requires;
import dev.atelier.workstation.Instances;
import dev.atelier.workstation.WorkstationSettings;
import dev.atelier.workstation.WorkstationTags;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataTagsState;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Instances} on EC2 through the SDK: in AWS, and in the local engine when
 * {@code AWS_ENDPOINT_URL} points there. Instances get IMDSv2 only, the workstation instance
 * profile, subnet and security groups of the settings, and a primary network interface without a
 * public address that is deleted with them; home volumes are encrypted gp3.
 */
@Singleton
@Requires(classes = Ec2Client.class)
public class Ec2Instances implements Instances {

    /** EC2's codes for something that does not exist (any more). */
    private static final Set<String> GONE = Set.of("InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed",
            "InvalidVolume.NotFound");
    /** Codes that say the same request will be refused again. */
    private static final Set<String> REFUSED = Set.of("InsufficientInstanceCapacity", "InstanceLimitExceeded",
            "VcpuLimitExceeded", "Unsupported", "InvalidParameterValue", "InvalidParameterCombination",
            "InvalidAMIID.NotFound", "InvalidAMIID.Unavailable", "InvalidAMIID.Malformed", "UnauthorizedOperation",
            "VolumeLimitExceeded", "InsufficientVolumeCapacity", "InvalidSubnetID.NotFound", "InvalidGroup.NotFound");
    private static final String HOME_DEVICE = "/dev/sdh";

    private final Ec2Client ec2;
    private final WorkstationSettings settings;

    public Ec2Instances(Ec2Client ec2, WorkstationSettings settings) {
        this.ec2 = ec2;
        this.settings = settings;
    }

    @Override
    public Instance launch(LaunchSpec spec) {
        List<Tag> tags = tags(spec.tags());
        try {
            var response = ec2.runInstances(r -> {
                r.clientToken(spec.clientToken()).imageId(spec.amiId()).instanceType(spec.instanceType())
                        .minCount(1).maxCount(1)
                        // Instance tags in the metadata: the on-box agent reads its idle settings there.
                        .metadataOptions(m -> m.httpTokens("required").httpEndpoint("enabled")
                                .instanceMetadataTags(InstanceMetadataTagsState.ENABLED))
                        .tagSpecifications(spec(ResourceType.INSTANCE, tags), spec(ResourceType.VOLUME, tags),
                                spec(ResourceType.NETWORK_INTERFACE, tags));
                if (settings.instanceProfileName() != null) {
                    r.iamInstanceProfile(p -> p.name(settings.instanceProfileName()));
                }
                // The primary interface: no public address, and it goes with the instance.
                r.networkInterfaces(n -> {
                    n.deviceIndex(0).deleteOnTermination(true).associatePublicIpAddress(false);
                    if (!settings.subnetIds().isEmpty()) {
                        // One subnet, one zone: a home volume (zonal) can follow its workstation across updates.
                        n.subnetId(settings.subnetIds().get(0));
                    }
                    if (!settings.securityGroupIds().isEmpty()) {
                        n.groups(settings.securityGroupIds());
                    }
                });
                if (settings.subnetIds().isEmpty() && spec.availabilityZone() != null) {
                    r.placement(p -> p.availabilityZone(spec.availabilityZone()));
                }
                if (spec.userData() != null) {
                    r.userData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8)));
                }
            });
            var instance = response.instances().get(0);
            return new Instance(instance.instanceId(), instance.state().nameAsString(),
                    instance.placement() == null ? null : instance.placement().availabilityZone(), instance.imageId(),
                    List.of());
        } catch (Ec2Exception e) {
            throw translate("launch " + spec.instanceType() + " from " + spec.amiId(), e);
        }
    }

    @Override
    public Volume createHome(String clientToken, String availabilityZone, int sizeGb, Map<String, String> tags) {
        try {
            var v = ec2.createVolume(r -> r.clientToken(clientToken).availabilityZone(availabilityZone).size(sizeGb)
                    .volumeType(VolumeType.GP3).encrypted(true)
                    .tagSpecifications(spec(ResourceType.VOLUME, tags(tags))));
            return new Volume(v.volumeId(), v.stateAsString(), null);
        } catch (Ec2Exception e) {
            throw translate("create the home volume in " + availabilityZone, e);
        }
    }

    @Override
    public void attachHome(String volumeId, String instanceId) {
        Optional<Volume> volume = describeVolume(volumeId);
        if (volume.isPresent() && instanceId.equals(volume.get().attachedTo())) {
            return;
        }
        try {
            ec2.attachVolume(r -> r.volumeId(volumeId).instanceId(instanceId).device(HOME_DEVICE));
        } catch (Ec2Exception e) {
            throw translate("attach " + volumeId + " to " + instanceId, e);
        }
    }

    @Override
    public String start(String instanceId) {
        try {
            return state(ec2.startInstances(r -> r.instanceIds(instanceId)).startingInstances());
        } catch (Ec2Exception e) {
            throw translate("start " + instanceId, e);
        }
    }

    @Override
    public String stop(String instanceId) {
        try {
            return state(ec2.stopInstances(r -> r.instanceIds(instanceId)).stoppingInstances());
        } catch (Ec2Exception e) {
            throw translate("stop " + instanceId, e);
        }
    }

    @Override
    public String terminate(String instanceId) {
        try {
            return state(ec2.terminateInstances(r -> r.instanceIds(instanceId)).terminatingInstances());
        } catch (Ec2Exception e) {
            if (gone(e)) {
                return "terminated";
            }
            throw translate("terminate " + instanceId, e);
        }
    }

    @Override
    public void deleteVolume(String volumeId) {
        try {
            ec2.deleteVolume(r -> r.volumeId(volumeId));
        } catch (Ec2Exception e) {
            if (!gone(e)) {
                throw translate("delete " + volumeId, e);
            }
        }
    }

    @Override
    public Optional<Instance> describe(String instanceId) {
        try {
            return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst()
                    .map(i -> new Instance(i.instanceId(), i.state().nameAsString(),
                            i.placement() == null ? null : i.placement().availabilityZone(), i.imageId(),
                            i.blockDeviceMappings().stream().map(b -> b.ebs() == null ? null : b.ebs().volumeId())
                                    .filter(Objects::nonNull).toList()));
        } catch (Ec2Exception e) {
            if (gone(e)) {
                return Optional.empty();
            }
            throw translate("describe " + instanceId, e);
        }
    }

    @Override
    public Optional<Volume> describeVolume(String volumeId) {
        try {
            return ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes().stream().findFirst()
                    .map(v -> new Volume(v.volumeId(), v.stateAsString(), v.attachments().stream()
                            .filter(a -> !"detached".equals(a.stateAsString()) && !"detaching".equals(a.stateAsString()))
                            .map(a -> a.instanceId()).findFirst().orElse(null)));
        } catch (Ec2Exception e) {
            if (gone(e)) {
                return Optional.empty();
            }
            throw translate("describe " + volumeId, e);
        }
    }

    @Override
    public void showIdleSettings(String instanceId, Long idleMinutes, Long warnMinutes) {
        Map<String, String> put = new java.util.LinkedHashMap<>();
        List<String> removed = new java.util.ArrayList<>();
        if (idleMinutes != null) {
            put.put(WorkstationTags.IDLE_MINUTES, Long.toString(idleMinutes));
        } else {
            removed.add(WorkstationTags.IDLE_MINUTES);
        }
        if (idleMinutes != null && warnMinutes != null) {
            put.put(WorkstationTags.WARN_MINUTES, Long.toString(warnMinutes));
        } else {
            removed.add(WorkstationTags.WARN_MINUTES);
        }
        try {
            if (!put.isEmpty()) {
                ec2.createTags(r -> r.resources(instanceId).tags(tags(put)));
            }
            if (!removed.isEmpty()) {
                ec2.deleteTags(r -> r.resources(instanceId).tags(removed.stream()
                        .map(k -> Tag.builder().key(k).build()).toList()));
            }
        } catch (Ec2Exception e) {
            throw translate("tag " + instanceId + " with its idle settings", e);
        }
    }

    @Override
    public boolean ours(String instanceId) {
        try {
            return ec2.describeTags(r -> r.filters(f -> f.name("resource-id").values(instanceId),
                            f -> f.name("key").values(WorkstationTags.WORKSTATION)))
                    .tags().stream().findAny().isPresent();
        } catch (Ec2Exception e) {
            throw translate("read the tags of " + instanceId, e);
        }
    }

    private static String state(List<InstanceStateChange> changes) {
        return changes.isEmpty() ? "unknown" : changes.get(0).currentState().nameAsString();
    }

    private static TagSpecification spec(ResourceType type, List<Tag> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags).build();
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static boolean gone(Ec2Exception e) {
        return e.awsErrorDetails() != null && GONE.contains(e.awsErrorDetails().errorCode());
    }

    private static RuntimeException translate(String what, Ec2Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = "EC2 refused to " + what + ": " + (e.awsErrorDetails() == null ? e.getMessage()
                : code + " — " + e.awsErrorDetails().errorMessage());
        if ("IncorrectInstanceState".equals(code) || "IncorrectState".equals(code) || "VolumeInUse".equals(code)) {
            return new WrongStateException(message, e);
        }
        if (code != null && REFUSED.contains(code)) {
            return new RefusedException(message, e);
        }
        return e;
    }
}
