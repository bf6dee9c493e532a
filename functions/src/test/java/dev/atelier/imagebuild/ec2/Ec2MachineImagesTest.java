package dev.atelier.imagebuild.ec2;

import dev.atelier.imagebuild.MachineImages;
import dev.atelier.testing.LocalEngine;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The EC2 adapter of {@link MachineImages} against the local engine's EC2. */
class Ec2MachineImagesTest {

    private static ApplicationContext context;
    private static MachineImages machineImages;
    private static RegionalEc2Clients clients;
    private static String home;

    @BeforeAll
    static void start() {
        context = ApplicationContext.run(LocalEngine.freshResources(), "test");
        machineImages = context.getBean(MachineImages.class);
        clients = context.getBean(RegionalEc2Clients.class);
        home = clients.homeRegion();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void adapter_shouldBeTheEc2One() {
        assertThat(machineImages).isInstanceOf(Ec2MachineImages.class);
    }

    @Test
    void deregister_shouldLeaveNeitherTheAmiNorItsSnapshots() {
        // GIVEN an AMI made from an instance, on its own root snapshot
        Ec2Client ec2 = clients.in(home);
        String amiId = ami(ec2);
        List<String> snapshots = snapshotsOf(ec2, amiId);
        assertThat(snapshots).isNotEmpty();
        assertThat(existingSnapshots(ec2, snapshots)).containsExactlyInAnyOrderElementsOf(snapshots);

        // WHEN it is deregistered
        machineImages.deregister(Map.of(home, amiId));

        // THEN EC2 describes neither the AMI nor its snapshots
        assertThat(ec2.describeImages(r -> r.imageIds(amiId)).images()).isEmpty();
        assertThat(existingSnapshots(ec2, snapshots)).isEmpty();
    }

    @Test
    void deregister_shouldDoNothing_whenRepeated() {
        Ec2Client ec2 = clients.in(home);
        String amiId = ami(ec2);
        machineImages.deregister(Map.of(home, amiId));

        // WHEN the same AMI is deregistered again (EC2 answers InvalidAMIID.Unavailable for it)
        assertThatCode(() -> machineImages.deregister(Map.of(home, amiId))).doesNotThrowAnyException();

        assertThat(ec2.describeImages(r -> r.imageIds(amiId)).images()).isEmpty();
    }

    @Test
    void deregister_shouldSkipAnAmiEc2HasNeverKnown() {
        assertThatCode(() -> machineImages.deregister(Map.of(home, "ami-0123456789abcdef0")))
                .doesNotThrowAnyException();
    }

    @Test
    void deregister_shouldDeregisterEachAmiInItsOwnRegion() {
        // GIVEN an AMI in the home region and its copy in another region
        String other = home.equals("eu-west-1") ? "eu-central-1" : "eu-west-1";
        Ec2Client here = clients.in(home);
        Ec2Client there = clients.in(other);
        String amiId = ami(here);
        String copyId = there.copyImage(r -> r.sourceRegion(home).sourceImageId(amiId).name("atelier-copy")).imageId();
        List<String> copySnapshots = snapshotsOf(there, copyId);

        // WHEN both are deregistered
        machineImages.deregister(Map.of(home, amiId, other, copyId));

        // THEN each is gone from its region, with its snapshots
        assertThat(here.describeImages(r -> r.imageIds(amiId)).images()).isEmpty();
        assertThat(there.describeImages(r -> r.imageIds(copyId)).images()).isEmpty();
        assertThat(existingSnapshots(there, copySnapshots)).isEmpty();
    }

    @Test
    void deregister_shouldReportEc2sMessage_whenRefused() {
        // GIVEN an id EC2 refuses (InvalidAMIID.Malformed), which is not "gone"
        assertThatThrownBy(() -> machineImages.deregister(Map.of(home, "img-0123456789abcdef0")))
                .isInstanceOf(MachineImages.MachineImageException.class)
                .hasMessageContaining("img-0123456789abcdef0")
                .hasCauseInstanceOf(Ec2Exception.class);
    }

    /** An AMI made as Image Builder makes one: from an instance, which is then terminated. */
    private static String ami(Ec2Client ec2) {
        String instanceId = ec2.runInstances(r -> r.instanceType("t3.medium").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        String amiId = ec2.createImage(r -> r.instanceId(instanceId)
                .name("atelier-test-" + UUID.randomUUID().toString().substring(0, 8))).imageId();
        ec2.terminateInstances(r -> r.instanceIds(instanceId));
        return amiId;
    }

    private static List<String> snapshotsOf(Ec2Client ec2, String amiId) {
        return ec2.describeImages(r -> r.imageIds(amiId)).images().get(0).blockDeviceMappings().stream()
                .map(BlockDeviceMapping::ebs).map(ebs -> ebs.snapshotId()).toList();
    }

    private static List<String> existingSnapshots(Ec2Client ec2, List<String> snapshotIds) {
        return ec2.describeSnapshots(r -> r.ownerIds("self")
                        .filters(Filter.builder().name("snapshot-id").values(snapshotIds).build()))
                .snapshots().stream().map(s -> s.snapshotId()).toList();
    }
}
