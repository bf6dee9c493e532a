package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the built portal next to the API, as S3 and CloudFront do in AWS, including the same
 * rewrite: a workspace path {@code /<slug>/<page>/} is answered with {@code /w/<page>/index.html}.
 * Requests under {@code /api/} and {@code /health} pass through untouched. The security headers
 * are {@link SecurityHeadersFilter}'s, on these answers as on every other.
 */
@ServerFilter("/**")
@Requires(env = "local")
@Requires(property = "atelier.site-dir")
public class PortalFilter {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8");

    private final Path root;

    public PortalFilter(AtelierConfig config) {
        this.root = Path.of(config.siteDir()).toAbsolutePath().normalize();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> serve(HttpRequest<?> request) throws IOException {
        String path = request.getPath();
        if (!(request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD)
                || path.startsWith("/api/") || path.equals("/api") || path.equals("/health")) {
            return null;
        }
        Path file = resolve(path);
        if (file == null) {
            if (!path.endsWith("/") && Files.isDirectory(root.resolve(path.substring(1)).normalize())) {
                return HttpResponse.redirect(URI.create(path + "/"));
            }
            return null;
        }
        String name = file.getFileName().toString();
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), MediaType.APPLICATION_OCTET_STREAM);
        return HttpResponse.ok(Files.readAllBytes(file))
                .contentType(type)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    /** The file that answers {@code path}, or {@code null}. */
    @Nullable
    Path resolve(String path) {
        if (path.contains("..") || path.contains("\\") || path.contains("\0")) {
            return null;
        }
        String relative = path.substring(1) + (path.endsWith("/") ? "index.html" : "");
        Path direct = root.resolve(relative).normalize();
        if (direct.startsWith(root) && Files.isRegularFile(direct)) {
            return direct;
        }
        String[] segments = path.substring(1).split("/", 2);
        String last = path.substring(path.lastIndexOf('/') + 1);
        boolean topLevelFolder = Files.isDirectory(root.resolve(segments[0]));
        if (segments[0].isEmpty() || topLevelFolder || last.contains(".")) {
            return null;
        }
        String rest = segments.length > 1 ? segments[1] : "";
        if (!rest.isEmpty() && !rest.endsWith("/")) {
            rest = rest + "/";
        }
        Path page = root.resolve("w/" + rest + "index.html").normalize();
        return page.startsWith(root) && Files.isRegularFile(page) ? page : null;
    }
}
