package dev.atelier;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.atelier.local.LocalResources;
import dev.atelier.testing.ApiGatewayEvents;
import dev.atelier.testing.LocalEngine;
import dev.atelier.workstation.WorkstationTags;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workstation worker's Lambda entry point, configured as on AWS (no local consumer, no local
 * event source), replaying the SQS batch sample: an EC2 state change of an instance Atelier did not
 * make is done with; one of a workstation's instance not recorded yet is asked for again.
 */
class WorkstationHandlerLambdaTest {

    private static ApplicationContext context;

    @BeforeAll
    static void start() {
        Map<String, Object> properties = new HashMap<>(LocalEngine.freshResources());
        context = ApplicationContext.run(properties, "test");
        context.getBean(LocalResources.class).ensureAll();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void stateChangeBatch_shouldAskForTheMessageAgain_onlyWhenItIsAWorkstationNotRecordedYet() throws IOException {
        // GIVEN an instance of someone else's and one tagged as a workstation's, both running in the engine
        Ec2Client ec2 = context.getBean(Ec2Client.class);
        String image = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
        String theirs = ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1)).instances().get(0).instanceId();
        String ours = ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1).tagSpecifications(t -> t
                .resourceType("instance").tags(g -> g.key(WorkstationTags.WORKSTATION).value("launching"))))
                .instances().get(0).instanceId();
        WorkstationEventsHandler handler = new WorkstationEventsHandler(context);
        JsonMapper json = context.getBean(JsonMapper.class);

        // WHEN their "running" state changes arrive as the sample batch
        SQSBatchResponse theirsResponse = handler.handleRequest(json.readValue(ApiGatewayEvents
                .read("sqs-ec2-instance-state-change.json").replace("{{INSTANCE_ID}}", theirs), SQSEvent.class),
                new MockLambdaContext());
        SQSBatchResponse oursResponse = handler.handleRequest(json.readValue(ApiGatewayEvents
                .read("sqs-ec2-instance-state-change.json").replace("{{INSTANCE_ID}}", ours), SQSEvent.class),
                new MockLambdaContext());

        // THEN only ours is reported as not done, to come again
        assertThat(theirsResponse.getBatchItemFailures()).isEmpty();
        assertThat(oursResponse.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("3b5e9f6c-2d0e-4c1f-9a77-2f8f7d1c0a11");
    }
}
