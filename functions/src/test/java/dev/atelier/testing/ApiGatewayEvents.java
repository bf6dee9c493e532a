package dev.atelier.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API Gateway events kept in {@code events/} at the top of the repository, and how their
 * placeholders are filled. Depends on nothing but the Lambda events library, so the cold-start
 * probes use it too.
 */
public final class ApiGatewayEvents {

    public static final String TOKEN = "{{TOKEN}}";
    public static final String SLUG = "{{SLUG}}";

    private ApiGatewayEvents() { }

    /** {@code events/} seen from the working directory (the repository or the functions module). */
    public static Path directory() {
        for (Path candidate : new Path[]{Path.of("events"), Path.of("..", "events")}) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("No events/ directory next to " + Path.of("").toAbsolutePath());
    }

    /** The raw text of {@code events/<name>}. */
    public static String read(String name) {
        try {
            return Files.readString(directory().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the placeholders wherever API Gateway would carry them: headers, the path (raw, in
     * the request context and in the path parameters) and the body — inside the encoded text when
     * the body is base64 — and sets {@code content-length} to the filled body's length.
     */
    public static APIGatewayV2HTTPEvent fill(APIGatewayV2HTTPEvent event, String token, String slug) {
        if (event.getHeaders() != null) {
            Map<String, String> headers = new LinkedHashMap<>();
            event.getHeaders().forEach((name, value) -> headers.put(name, replace(value, token, slug)));
            event.setHeaders(headers);
        }
        event.setRawPath(replace(event.getRawPath(), token, slug));
        if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null) {
            var http = event.getRequestContext().getHttp();
            http.setPath(replace(http.getPath(), token, slug));
        }
        if (event.getPathParameters() != null) {
            Map<String, String> parameters = new LinkedHashMap<>();
            event.getPathParameters().forEach((name, value) -> parameters.put(name, replace(value, token, slug)));
            event.setPathParameters(parameters);
        }
        if (event.getBody() != null) {
            byte[] body;
            if (event.getIsBase64Encoded()) {
                String decoded = new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
                body = replace(decoded, token, slug).getBytes(StandardCharsets.UTF_8);
                event.setBody(Base64.getEncoder().encodeToString(body));
            } else {
                String filled = replace(event.getBody(), token, slug);
                body = filled.getBytes(StandardCharsets.UTF_8);
                event.setBody(filled);
            }
            if (event.getHeaders() != null && event.getHeaders().containsKey("content-length")) {
                event.getHeaders().put("content-length", Integer.toString(body.length));
            }
        }
        return event;
    }

    private static String replace(String value, String token, String slug) {
        return value == null ? null : value.replace(TOKEN, token).replace(SLUG, slug);
    }
}
