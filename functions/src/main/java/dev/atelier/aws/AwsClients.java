package dev.atelier.aws;

import dev.atelier.config.AtelierConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.time.Duration;

/**
 * The AWS SDK clients, each created once, on first use, sharing one HTTP client. They find
 * region and credentials the standard way, and their endpoint through {@code AWS_ENDPOINT_URL}:
 * the same code talks to AWS or to a local engine. Each client exists only where its SDK module
 * is on the class path: every Lambda function's artifact carries only the modules its code calls.
 */
@Factory
public class AwsClients {

    @Nullable
    private final ClientOverrides overrides;

    public AwsClients(@Nullable ClientOverrides overrides) {
        this.overrides = overrides;
    }

    /** Every client's configuration passes here: the one place a {@link ClientOverrides} applies. */
    private void configure(ClientOverrideConfiguration.Builder configuration) {
        if (overrides != null) {
            overrides.apply(configuration);
        }
    }

    @Singleton
    @Bean(preDestroy = "close")
    SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    DynamoDbClient dynamoDb(SdkHttpClient http, DynamoDbRequestCounter counter) {
        return DynamoDbClient.builder()
                .httpClient(http)
                .overrideConfiguration(c -> configure(c.addExecutionInterceptor(counter)))
                .build();
    }

    @Singleton
    DynamoDbEnhancedClient enhancedDynamoDb(DynamoDbClient dynamoDb) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = S3Client.class)
    S3Client s3(SdkHttpClient http, AtelierConfig config) {
        return S3Client.builder()
                .httpClient(http)
                .overrideConfiguration(this::configure)
                // A local engine is reached by address, not by bucket sub-domain, and keeps
                // aws-chunked framing in stored bodies: plain path-style uploads there.
                .forcePathStyle(config.localEndpoint())
                .serviceConfiguration(S3Configuration.builder()
                        .chunkedEncodingEnabled(!config.localEndpoint())
                        .build())
                .build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = KmsClient.class)
    KmsClient kms(SdkHttpClient http) {
        return KmsClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = SesV2Client.class)
    SesV2Client ses(SdkHttpClient http) {
        return SesV2Client.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = CognitoIdentityProviderClient.class)
    CognitoIdentityProviderClient cognito(SdkHttpClient http) {
        return CognitoIdentityProviderClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = ImagebuilderClient.class)
    ImagebuilderClient imageBuilder(SdkHttpClient http) {
        return ImagebuilderClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = Ec2Client.class)
    Ec2Client ec2(SdkHttpClient http) {
        return Ec2Client.builder().httpClient(http).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = EventBridgeClient.class)
    EventBridgeClient eventBridge(SdkHttpClient http) {
        return EventBridgeClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = SfnClient.class)
    SfnClient stepFunctions(SdkHttpClient http) {
        return SfnClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = SqsClient.class)
    SqsClient sqs(SdkHttpClient http) {
        return SqsClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = SsmClient.class)
    SsmClient ssm(SdkHttpClient http) {
        return SsmClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = CloudWatchClient.class)
    CloudWatchClient cloudWatch(SdkHttpClient http) {
        return CloudWatchClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(classes = SchedulerClient.class)
    SchedulerClient scheduler(SdkHttpClient http) {
        return SchedulerClient.builder().httpClient(http).overrideConfiguration(this::configure).build();
    }
}
