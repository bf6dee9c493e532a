package dev.atelier.local;

import dev.atelier.testing.LocalEngine;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local engine's own guarantees (bin/lib/engine.py): DynamoDB requests are serialised, and a
 * client that stops half-way through sending one (an interrupted thread, a killed process) does
 * not hold up everybody else's.
 */
class LocalEngineTest {

    @Test
    void aStalledDynamoDbRequest_shouldNotHoldUpTheOthers() throws Exception {
        URI engine = URI.create(LocalEngine.endpoint());
        try (Socket stalled = new Socket(engine.getHost(), engine.getPort());
             DynamoDbClient dynamoDb = DynamoDbClient.builder()
                     .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10)))
                     .build()) {
            // GIVEN a DynamoDB request whose body never finishes arriving
            OutputStream out = stalled.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: " + engine.getHost() + "\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\n"
                    + "Authorization: AWS4-HMAC-SHA256 Credential=atelier-local/20260101/us-east-1/dynamodb/aws4_request, "
                    + "SignedHeaders=host, Signature=0\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"Lim").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);

            // WHEN another client asks DynamoDB something
            CompletableFuture<Integer> tables = CompletableFuture.supplyAsync(() -> dynamoDb.listTables().tableNames().size());

            // THEN it is answered
            assertThat(tables.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
        }
    }
}
