package dev.atelier.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import software.constructs.Node;

/**
 * What a deployment can choose, read from CDK context ({@code cdk deploy -c key=value}).
 * Relative paths are resolved against the directory the app runs in (infra-cdk, where cdk.json is).
 *
 * @param lambdaJar the shaded jar of the functions module (API and bootstrap handlers)
 * @param siteDir   the built portal site, uploaded as is to the site bucket
 * @param mailFrom  the address Atelier sends mail from; an SES identity is created for it
 */
public record AtelierSettings(Path lambdaJar, Path siteDir, String mailFrom) {

    public static final String LAMBDA_JAR = "lambdaJar";
    public static final String SITE_DIR = "siteDir";
    public static final String MAIL_FROM = "mailFrom";

    public static final String DEFAULT_LAMBDA_JAR = "../functions/target/functions-0.1.0-SNAPSHOT-lambda.jar";
    public static final String DEFAULT_SITE_DIR = "../site/public";
    public static final String DEFAULT_MAIL_FROM = "atelier@example.com";

    public AtelierSettings {
        if (!Files.isRegularFile(lambdaJar)) {
            throw new IllegalArgumentException("Lambda jar not found: " + lambdaJar
                    + " (build it from the repository root with `mvn -DskipTests package`, or pass -c "
                    + LAMBDA_JAR + "=<path>)");
        }
        if (!Files.isDirectory(siteDir)) {
            throw new IllegalArgumentException("Site directory not found: " + siteDir
                    + " (build the site first, or pass -c " + SITE_DIR + "=<path>)");
        }
        if (mailFrom == null || !mailFrom.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("Context value " + MAIL_FROM + " must be an e-mail address, got: "
                    + mailFrom);
        }
    }

    /** Reads the settings from the context of the given construct tree, falling back to the defaults. */
    public static AtelierSettings fromContext(Node node) {
        Path base = Paths.get(System.getProperty("user.dir"));
        return new AtelierSettings(
                base.resolve(contextOr(node, LAMBDA_JAR, DEFAULT_LAMBDA_JAR)).normalize().toAbsolutePath(),
                base.resolve(contextOr(node, SITE_DIR, DEFAULT_SITE_DIR)).normalize().toAbsolutePath(),
                contextOr(node, MAIL_FROM, DEFAULT_MAIL_FROM));
    }

    private static String contextOr(Node node, String key, String fallback) {
        Object value = node.tryGetContext(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }
}
