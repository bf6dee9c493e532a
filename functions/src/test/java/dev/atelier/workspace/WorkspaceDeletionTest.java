package dev.atelier.workspace;

import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildService;
import dev.atelier.imagebuild.BuildStatus;
import dev.atelier.imagebuild.ImageBuilder;
import dev.atelier.testing.AppProperties;
import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Eventually;
import dev.atelier.testing.Json;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.atelier.testing.ApiAssertions.assertProblem;
import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deleting a workspace leaves nothing of it in any service: checked in the engine's DynamoDB,
 * S3 and EC2 and in the Image Builder simulator, not through the API alone.
 */
@AppProperties("atelier.local.image-builder.step-millis=100")
class WorkspaceDeletionTest extends AppUnderTest {

    @Test
    void delete_shouldLeaveNothingOfTheWorkspace_inAnyService() {
        // GIVEN a workspace with a built definition (an AMI and its snapshot in EC2, Image Builder
        // resources, texts and a log in the blob bucket), a failed build, an invitation and a logo
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = createDefinition(ws, Map.of("displayName", unique("Doomed"), "preBuildScript", "echo hi\n"));
        String buildId = currentBuild(d);
        Map<String, Object> built = awaitBuild(ws, d, buildId, "available");
        String amiId = (String) built.get("amiId");
        List<Image> images = imagesOf(ws.slug());
        assertThat(images).extracting(Image::imageId).containsExactly(amiId);
        List<String> snapshots = images.get(0).blockDeviceMappings().stream()
                .filter(m -> m.ebs() != null).map(m -> m.ebs().snapshotId()).toList();
        assertThat(snapshots).isNotEmpty();
        BuildItem stored = app.context().getBean(dev.atelier.imagebuild.BuildStore.class)
                .read(ws.slug(), (String) d.get("id"), buildId);
        assertThat(app.context().getBean(ImageBuilder.class).status(stored.imageArn()).status())
                .isEqualTo(ImageBuilder.Status.AVAILABLE);
        workspaces.invite(ws, unique("guest").toLowerCase() + "@example.com");
        assertThat(app.sendBytes("PUT", ws.path("/logo"), ws.owner().token(), LogoApiTest.PNG, "image/png")
                .statusCode()).isEqualTo(204);
        assertThat(blobs("workspaces/" + ws.slug() + "/")).isNotEmpty();

        // WHEN the owner deletes it
        HttpResponse<String> response = app.send("DELETE", ws.path(""), ws.owner().token(), null);

        // THEN 204, and nothing of it is left: no item in its partition, no invitation, no blob,
        // no Image Builder image, and (released by the workstation worker, told through its queue)
        // no AMI nor snapshot in EC2
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        DynamoDbClient dynamoDb = app.context().getBean(DynamoDbClient.class);
        assertThat(dynamoDb.query(r -> r.tableName(app.tableName()).consistentRead(true)
                .keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("WS#" + ws.slug())))).items()).isEmpty();
        assertThat(dynamoDb.query(r -> r.tableName(app.tableName()).indexName("GSI1")
                .keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("INVITATIONS#" + ws.slug())))).items())
                .isEmpty();
        assertThat(blobs("workspaces/" + ws.slug() + "/")).isEmpty();
        assertThat(blobs("logos/" + ws.slug() + "/")).isEmpty();
        assertThat(blobs("image-builder-logs/atelier-" + buildId.toLowerCase() + "/")).isEmpty();
        awaitNoImages(ws.slug());
        Ec2Client ec2 = app.context().getBean(Ec2Client.class);
        Eventually.until(RELEASE_WITHIN, () -> ec2.describeSnapshots(r -> r.ownerIds("self")).snapshots().stream()
                        .map(s -> s.snapshotId()).filter(snapshots::contains).toList(), List::isEmpty,
                "deletion of the AMI's snapshots " + snapshots);
        assertThatThrownBy(() -> app.context().getBean(ImageBuilder.class).status(stored.imageArn()))
                .isInstanceOf(ImageBuilder.UnknownImageException.class);
        assertProblem(app.send("GET", ws.path(""), ws.owner().token(), null), 404);
    }

    @Test
    void delete_shouldAnswer409NamingTheBuild_whileABuildIsInProgress_andChangeNothing() {
        // GIVEN a workspace whose definition has a build that has not ended
        Workspaces.Workspace ws = workspaces.create();
        Map<String, Object> d = createDefinition(ws, Map.of("displayName", unique("Busy")));
        awaitBuild(ws, d, currentBuild(d), "available");
        BuildItem running = app.context().getBean(BuildService.class)
                .newBuild(ws.slug(), (String) d.get("id"), 1, ws.owner().id());
        app.context().getBean(DynamoDbClient.class).putItem(r -> r.tableName(app.tableName()).item(running.toItem()));
        int before = app.itemCount();

        // WHEN the owner deletes the workspace
        HttpResponse<String> refused = app.send("DELETE", ws.path(""), ws.owner().token(), null);

        // THEN 409 naming the build; the workspace, its records and its AMI are all still there
        assertProblem(refused, 409);
        assertThat((String) Json.object(refused.body()).get("detail")).contains(running.id()).contains("pending");
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(app.send("GET", ws.path(""), ws.owner().token(), null).statusCode()).isEqualTo(200);
        assertThat(imagesOf(ws.slug())).hasSize(1);

        // AND once that build is cancelled, the workspace can be deleted
        String cancel = ws.path("/definitions/" + d.get("id") + "/builds/" + running.id() + "/cancel");
        HttpResponse<String> cancelled = app.send("POST", cancel, ws.owner().token(), null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(Json.object(cancelled.body())).containsEntry("status", "cancelled");
        HttpResponse<String> deleted = app.send("DELETE", ws.path(""), ws.owner().token(), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        awaitNoImages(ws.slug());
    }

    @Test
    void delete_shouldAnswer409NamingTheWorkstation_untilItIsTerminated() {
        // GIVEN a workspace with a stopped workstation (its instance and home volume still exist)
        Workspaces.Workspace ws = workspaces.create();
        String id = dev.atelier.testing.Plants.workstation(app, ws.slug(), "some-definition", ws.owner().id(), "stopped");
        int before = app.itemCount();

        // WHEN the owner deletes the workspace
        HttpResponse<String> refused = app.send("DELETE", ws.path(""), ws.owner().token(), null);

        // THEN 409 naming the workstation and its status, nothing changed
        assertProblem(refused, 409);
        assertThat((String) Json.object(refused.body()).get("detail")).contains("workstation planted (stopped)");
        assertThat(app.itemCount()).isEqualTo(before);

        // AND once it is terminated, the workspace goes, its workstation records with it
        dev.atelier.testing.Plants.workstation(app, ws.slug(), id, "some-definition", ws.owner().id(), "terminated");
        HttpResponse<String> deleted = app.send("DELETE", ws.path(""), ws.owner().token(), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertProblem(app.send("GET", ws.path("/workstations/" + id), ws.owner().token(), null), 404);
    }

    /** How long the workstation worker may take to release a deleted workspace's AMIs, read from its queue. */
    private static final Duration RELEASE_WITHIN = Duration.ofSeconds(30);

    /** Waits (bounded) until EC2 lists no AMI of the workspace. */
    private static void awaitNoImages(String slug) {
        Eventually.until(RELEASE_WITHIN, () -> imagesOf(slug), List::isEmpty, "release of the AMIs of " + slug);
    }

    private static List<Image> imagesOf(String slug) {
        return app.context().getBean(Ec2Client.class).describeImages(r -> r.owners("self")
                .filters(Filter.builder().name("tag:atelier:workspace").values(slug).build())).images();
    }

    private static List<String> blobs(String prefix) {
        String bucket = (String) app.properties().get("atelier.blob-bucket");
        return app.context().getBean(S3Client.class).listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents()
                .stream().map(o -> o.key()).toList();
    }

    private static Map<String, Object> createDefinition(Workspaces.Workspace ws, Map<String, Object> body) {
        HttpResponse<String> response = app.send("POST", ws.path("/definitions"), ws.owner().token(), Json.write(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.object(response.body());
    }

    @SuppressWarnings("unchecked")
    private static String currentBuild(Map<String, Object> d) {
        return (String) ((Map<String, Object>) d.get("currentBuild")).get("id");
    }

    private static Map<String, Object> awaitBuild(Workspaces.Workspace ws, Map<String, Object> d, String buildId,
                                                  String status) {
        return Eventually.until(Duration.ofSeconds(20), () -> Json.items(app.send("GET",
                                ws.path("/definitions/" + d.get("id") + "/builds"), ws.owner().token(), null).body())
                        .stream().filter(b -> buildId.equals(b.get("id"))).findFirst().orElseThrow(),
                b -> status.equals(b.get("status")) || BuildStatus.of((String) b.get("status")).ended(),
                "build " + buildId + " " + status);
    }
}
