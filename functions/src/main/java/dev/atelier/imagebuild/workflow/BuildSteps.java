package dev.atelier.imagebuild.workflow;

import dev.atelier.imagebuild.BuildItem;
import dev.atelier.imagebuild.BuildLifecycle;
import dev.atelier.imagebuild.BuildStore;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tasks of the build state machine (infra-cdk), each a call on {@link BuildLifecycle}. Input:
 * {@code {step, slug, definitionId, buildId}}, plus {@code taskToken} for {@code await} and the
 * caught {@code error} for {@code cleanup}; output: the build's {@code {id, version, status,
 * amiId, amis, failureReason}}, which the state machine's choices read.
 * <ul>
 *   <li>{@code start} — {@link BuildLifecycle#start}: blobs, Image Builder resources, the image.</li>
 *   <li>{@code await} — {@link TaskTokens#hold}: called with {@code .waitForTaskToken}; the
 *   execution waits, with nothing running, until the build ends.</li>
 *   <li>{@code check} — {@link BuildLifecycle#check}: the fallback when the wait timed out.</li>
 *   <li>{@code cleanup} — {@link BuildLifecycle#abandon}: the build ends failed with the error.</li>
 * </ul>
 */
@Singleton
public class BuildSteps {

    private final BuildLifecycle builds;
    private final BuildStore store;
    private final BeanProvider<TaskTokens> tokens;

    public BuildSteps(BuildLifecycle builds, BuildStore store, BeanProvider<TaskTokens> tokens) {
        this.builds = builds;
        this.store = store;
        this.tokens = tokens;
    }

    /** Runs one task. Bad input throws {@link IllegalArgumentException} (the task fails). */
    public Map<String, Object> run(Map<String, Object> input) {
        String step = text(input, "step");
        String slug = text(input, "slug");
        String definitionId = text(input, "definitionId");
        String buildId = text(input, "buildId");
        BuildItem build = switch (step) {
            case "start" -> builds.start(slug, definitionId, buildId);
            case "await" -> {
                tokens.get().hold(slug, definitionId, buildId, text(input, "taskToken"));
                yield store.read(slug, definitionId, buildId);
            }
            case "check" -> builds.check(slug, definitionId, buildId);
            case "cleanup" -> builds.abandon(slug, definitionId, buildId, failure(input.get("error")));
            default -> throw new IllegalArgumentException("Unknown build step '" + step + "'");
        };
        return outcome(build);
    }

    static Map<String, Object> outcome(BuildItem build) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (build == null) {
            out.put("status", "gone");
            out.put("failureReason", "The build record no longer exists");
            return out;
        }
        out.put("id", build.id());
        out.put("version", build.version());
        out.put("status", build.status().wireName());
        out.put("amiId", build.amiId());
        out.put("amis", build.amis());
        out.put("failureReason", build.failureReason());
        return out;
    }

    /** The reason a failed workflow gives: Step Functions' {@code {Error, Cause}} of what failed. */
    static String failure(Object error) {
        if (error instanceof Map<?, ?> e) {
            Object name = e.get("Error");
            Object cause = e.get("Cause");
            String text = "The build workflow failed" + (name == null ? "" : ": " + name)
                    + (cause == null ? "" : " (" + cause + ")");
            return text.length() > 1000 ? text.substring(0, 1000) : text;
        }
        return "The build workflow failed";
    }

    private static String text(Map<String, Object> input, String name) {
        Object value = input == null ? null : input.get(name);
        if (!(value instanceof String s) || s.isBlank() || s.length() > 2048) {
            throw new IllegalArgumentException("Build step input needs '" + name + "'");
        }
        return s;
    }
}
