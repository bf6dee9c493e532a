package dev.atelier.imagebuild.ec2;

import io.micronaut.context.annotation.Requires;
import dev.atelier.imagebuild.MachineImages;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link MachineImages} on EC2, through the SDK: in AWS, and in the local engine when
 * {@code AWS_ENDPOINT_URL} points there. An AMI's snapshots are read before it is deregistered
 * (afterwards EC2 no longer describes it), then deleted once it no longer uses them.
 */
@Singleton
@Requires(classes = Ec2Client.class)
public class Ec2MachineImages implements MachineImages {

    /** EC2's codes for an AMI or snapshot that does not exist (any more). */
    private static final Set<String> GONE = Set.of("InvalidAMIID.NotFound", "InvalidAMIID.Unavailable",
            "InvalidSnapshot.NotFound");

    private final RegionalEc2Clients clients;

    public Ec2MachineImages(RegionalEc2Clients clients) {
        this.clients = clients;
    }

    @Override
    public void deregister(Map<String, String> amiIdsByRegion) {
        amiIdsByRegion.forEach((region, amiId) -> deregister(clients.in(region), region, amiId));
    }

    private static void deregister(Ec2Client ec2, String region, String amiId) {
        List<Image> images;
        try {
            images = ec2.describeImages(r -> r.imageIds(amiId)).images();
        } catch (Ec2Exception e) {
            if (gone(e)) {
                return;
            }
            throw refused("describe " + amiId + " in " + region, e);
        }
        if (images.isEmpty()) {
            return;
        }
        List<String> snapshotIds = images.get(0).blockDeviceMappings().stream()
                .map(BlockDeviceMapping::ebs)
                .filter(Objects::nonNull)
                .map(ebs -> ebs.snapshotId())
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        try {
            ec2.deregisterImage(r -> r.imageId(amiId));
        } catch (Ec2Exception e) {
            // Gone since it was described (deregistered concurrently): its snapshots are still ours to delete.
            if (!gone(e)) {
                throw refused("deregister " + amiId + " in " + region, e);
            }
        }
        for (String snapshotId : snapshotIds) {
            try {
                ec2.deleteSnapshot(r -> r.snapshotId(snapshotId));
            } catch (Ec2Exception e) {
                if (!gone(e)) {
                    throw refused("delete snapshot " + snapshotId + " of " + amiId + " in " + region, e);
                }
            }
        }
    }

    private static boolean gone(Ec2Exception e) {
        return e.awsErrorDetails() != null && GONE.contains(e.awsErrorDetails().errorCode());
    }

    private static MachineImageException refused(String what, Ec2Exception e) {
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return new MachineImageException("EC2 refused to " + what + ": " + message, e);
    }
}
