package dev.atelier.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;
import software.amazon.awssdk.services.sfn.model.SfnException;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** AWS throttling that outlasted the SDK's retries is answered 503 with Retry-After, never 500. */
class ThrottlingTest {

    @ParameterizedTest
    @ValueSource(strings = {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
            "TransactionConflictException"})
    void isThrottling_shouldHoldForDynamoDbThrottlingCodes(String code) {
        // GIVEN DynamoDB's answer with a throttling code, as the SDK throws it after its retries
        DynamoDbException e = (DynamoDbException) DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
        // THEN it is throttling
        assertThat(Throttling.isThrottling(e)).isTrue();
    }

    @Test
    void isThrottling_shouldHoldForTheModelledExceptionsOfKmsSesAndStepFunctions() {
        assertThat(Throttling.isThrottling(ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .build())).isTrue();
        assertThat(Throttling.isThrottling(KmsException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build())).isTrue();
        assertThat(Throttling.isThrottling(TooManyRequestsException.builder().statusCode(429)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TooManyRequestsException").build()).build())).isTrue();
        assertThat(Throttling.isThrottling(SfnException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build())).isTrue();
    }

    @Test
    void isThrottling_shouldHoldForACancelledTransactionThatMetAnother() {
        // GIVEN a transaction cancelled because one write met a concurrent transaction
        TransactionCanceledException e = cancelled("None", "TransactionConflict", "None");
        // THEN a repeat may get through: throttling
        assertThat(Throttling.isThrottling(e)).isTrue();
        assertThat(Throttling.isThrottling(cancelled("ThrottlingError"))).isTrue();
    }

    @Test
    void isThrottling_shouldNotHoldForATransactionRefusedByItsConditions() {
        // a failed condition is an answer about the data, not about load: repeating changes nothing
        assertThat(Throttling.isThrottling(cancelled("None", "ConditionalCheckFailed"))).isFalse();
        assertThat(Throttling.isThrottling(TransactionCanceledException.builder().statusCode(400).build())).isFalse();
    }

    @Test
    void isThrottling_shouldNotHoldForOtherFailures() {
        assertThat(Throttling.isThrottling(DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build())).isFalse();
        assertThat(Throttling.isThrottling(SdkClientException.create("Unable to execute HTTP request"))).isFalse();
        assertThat(Throttling.isThrottling(new IllegalStateException("bug"))).isFalse();
        assertThat(Throttling.isThrottling(null)).isFalse();
    }

    @Test
    void isThrottling_shouldLookThroughWrappingExceptions() {
        RuntimeException wrapped = new RuntimeException("step failed", cancelled("TransactionConflict"));
        assertThat(Throttling.isThrottling(wrapped)).isTrue();
    }

    @Test
    void processResponse_shouldAnswer503WithRetryAfter_whenAwsThrottledBeyondTheRetries() {
        // GIVEN a request that failed because DynamoDB throttled it even after the SDK's retries
        HttpRequest<?> request = HttpRequest.POST("/api/v1/workspaces/team/invitations", "{}");
        ErrorContext context = ErrorContext.builder(request).cause(cancelled("TransactionConflict", "None")).build();

        // WHEN the framework turns it into an answer
        MutableHttpResponse<Problem> response = new ProblemResponseProcessor()
                .processResponse(context, HttpResponse.serverError());

        // THEN it is 503, says when to try again and is a throttled problem, not an internal error
        assertThat(response.getStatus().getCode()).isEqualTo(503);
        assertThat(response.getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(response.getContentType()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo(Problem.MEDIA_TYPE));
        Problem problem = response.getBody().orElseThrow();
        assertThat(problem.type()).isEqualTo(Problems.TYPE_BASE + "throttled");
        assertThat(problem.status()).isEqualTo(503);
    }

    @Test
    void processResponse_shouldStillAnswer500_forAFaultOfOurs() {
        HttpRequest<?> request = HttpRequest.GET("/api/v1/workspaces");
        ErrorContext context = ErrorContext.builder(request).cause(new IllegalStateException("bug")).build();

        MutableHttpResponse<Problem> response = new ProblemResponseProcessor()
                .processResponse(context, HttpResponse.serverError());

        assertThat(response.getStatus().getCode()).isEqualTo(500);
        assertThat(response.getHeaders().get(HttpHeaders.RETRY_AFTER)).isNull();
        assertThat(response.getBody().orElseThrow().type()).isEqualTo(Problems.TYPE_BASE + "internal");
    }

    @Test
    void handle_shouldAddRetryAfter_whenAServiceAnswersBusy() {
        // GIVEN a service that settled a throttled dependency itself and answers busy
        HttpResponse<Problem> response = new ApiExceptionHandler().handle(HttpRequest.GET("/api/v1/x"), Throttling.busy());
        // THEN the answer is 503 with Retry-After
        assertThat(response.getStatus().getCode()).isEqualTo(503);
        assertThat(response.getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(response.getBody().orElseThrow().type()).isEqualTo(Problems.TYPE_BASE + "throttled");
    }

    @Test
    void handle_shouldAnswer503ForThrottling_and500ForOtherAwsFailures() {
        ThrottlingExceptionHandler handler = new ThrottlingExceptionHandler(new ProblemResponseProcessor());
        HttpRequest<?> request = HttpRequest.GET("/api/v1/workspaces");

        HttpResponse<Problem> throttled = handler.handle(request, cancelled("TransactionConflict"));
        HttpResponse<Problem> broken = handler.handle(request, DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build());

        assertThat(throttled.getStatus().getCode()).isEqualTo(503);
        assertThat(throttled.getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(broken.getStatus().getCode()).isEqualTo(500);
        assertThat(broken.getBody().orElseThrow().type()).isEqualTo(Problems.TYPE_BASE + "internal");
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return (TransactionCanceledException) TransactionCanceledException.builder().statusCode(400)
                .cancellationReasons(Arrays.stream(codes).map(c -> CancellationReason.builder().code(c).build()).toList())
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                .build();
    }
}
