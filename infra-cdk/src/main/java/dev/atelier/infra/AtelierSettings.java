package dev.atelier.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import software.constructs.Node;

/**
 * What a deployment can choose, read from CDK context ({@code cdk deploy -c key=value}).
 * Relative paths are resolved against the directory the app runs in (infra-cdk, where cdk.json is).
 *
 * @param apiJar                 the functions module's API artifact (the API and the first administrator)
 * @param buildsJar              its build workflow artifact (build steps, Image Builder's state changes)
 * @param workstationsJar        its workstation worker artifact
 * @param siteDir                the built portal site, uploaded as is to the site bucket
 * @param mailFrom               the address Atelier sends mail from; an SES identity is created for it
 * @param buildTimeout           how long the build workflow waits for an image before it checks its status
 * @param buildRegions           the regions each built AMI is distributed to; empty = the stack's region
 * @param buildSubnetId          the subnet of Image Builder's build instances; {@code null} = the default VPC
 * @param buildSecurityGroupIds  their security groups (only with a subnet); empty = Image Builder's default
 */
public record AtelierSettings(Path apiJar, Path buildsJar, Path workstationsJar, Path siteDir, String mailFrom,
                              Duration buildTimeout, List<String> buildRegions, String buildSubnetId,
                              List<String> buildSecurityGroupIds) {

    public static final String API_JAR = "apiJar";
    public static final String BUILDS_JAR = "buildsJar";
    public static final String WORKSTATIONS_JAR = "workstationsJar";
    public static final String SITE_DIR = "siteDir";
    public static final String MAIL_FROM = "mailFrom";
    public static final String BUILD_TIMEOUT_MINUTES = "atelier:buildTimeoutMinutes";
    public static final String BUILD_REGIONS = "atelier:buildRegions";
    public static final String BUILD_SUBNET_ID = "atelier:buildSubnetId";
    public static final String BUILD_SECURITY_GROUP_IDS = "atelier:buildSecurityGroupIds";

    public static final String DEFAULT_API_JAR = "../functions/target/functions-0.1.0-SNAPSHOT-api.jar";
    public static final String DEFAULT_BUILDS_JAR = "../functions/target/functions-0.1.0-SNAPSHOT-builds.jar";
    public static final String DEFAULT_WORKSTATIONS_JAR = "../functions/target/functions-0.1.0-SNAPSHOT-workstations.jar";
    public static final String DEFAULT_SITE_DIR = "../site/public";
    public static final String DEFAULT_MAIL_FROM = "atelier@example.com";
    public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofHours(6);
    /** Longest build timeout accepted: one week. */
    public static final Duration MAX_BUILD_TIMEOUT = Duration.ofDays(7);

    public AtelierSettings {
        requireJar(apiJar, API_JAR);
        requireJar(buildsJar, BUILDS_JAR);
        requireJar(workstationsJar, WORKSTATIONS_JAR);
        if (!Files.isDirectory(siteDir)) {
            throw new IllegalArgumentException("Site directory not found: " + siteDir
                    + " (build the site first, or pass -c " + SITE_DIR + "=<path>)");
        }
        if (mailFrom == null || !mailFrom.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("Context value " + MAIL_FROM + " must be an e-mail address, got: "
                    + mailFrom);
        }
        if (buildTimeout == null || buildTimeout.toMinutes() < 1 || buildTimeout.compareTo(MAX_BUILD_TIMEOUT) > 0) {
            throw new IllegalArgumentException("Context value " + BUILD_TIMEOUT_MINUTES
                    + " must be a number of minutes from 1 to " + MAX_BUILD_TIMEOUT.toMinutes() + ", got: "
                    + (buildTimeout == null ? null : buildTimeout.toMinutes()));
        }
        buildRegions = List.copyOf(buildRegions);
        for (String region : buildRegions) {
            if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
                throw new IllegalArgumentException("Context value " + BUILD_REGIONS
                        + " must list AWS regions separated by commas (e.g. eu-west-1,us-east-1), got: " + region);
            }
        }
        if (buildSubnetId != null && !buildSubnetId.matches("subnet-[0-9a-f]{8,17}")) {
            throw new IllegalArgumentException("Context value " + BUILD_SUBNET_ID + " must be a subnet id, got: "
                    + buildSubnetId);
        }
        buildSecurityGroupIds = List.copyOf(buildSecurityGroupIds);
        for (String group : buildSecurityGroupIds) {
            if (!group.matches("sg-[0-9a-f]{8,17}")) {
                throw new IllegalArgumentException("Context value " + BUILD_SECURITY_GROUP_IDS
                        + " must list security group ids separated by commas, got: " + group);
            }
        }
        if (!buildSecurityGroupIds.isEmpty() && buildSubnetId == null) {
            throw new IllegalArgumentException("Context value " + BUILD_SECURITY_GROUP_IDS + " needs "
                    + BUILD_SUBNET_ID + " as well (Image Builder takes security groups with a subnet only)");
        }
    }

    /** Settings with one artifact for every function and the build workflow's defaults. */
    public AtelierSettings(Path jar, Path siteDir, String mailFrom) {
        this(jar, jar, jar, siteDir, mailFrom, DEFAULT_BUILD_TIMEOUT, List.of(), null, List.of());
    }

    private static void requireJar(Path jar, String key) {
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("Lambda artifact not found: " + jar
                    + " (build the artifacts from the repository root with `mvn -DskipTests package`, or pass -c "
                    + key + "=<path>)");
        }
    }

    /** Reads the settings from the context of the given construct tree, falling back to the defaults. */
    public static AtelierSettings fromContext(Node node) {
        Path base = Paths.get(System.getProperty("user.dir"));
        String timeout = contextOr(node, BUILD_TIMEOUT_MINUTES, Long.toString(DEFAULT_BUILD_TIMEOUT.toMinutes()));
        Duration buildTimeout;
        try {
            buildTimeout = Duration.ofMinutes(Long.parseLong(timeout));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Context value " + BUILD_TIMEOUT_MINUTES
                    + " must be a number of minutes, got: " + timeout, e);
        }
        return new AtelierSettings(
                base.resolve(contextOr(node, API_JAR, DEFAULT_API_JAR)).normalize().toAbsolutePath(),
                base.resolve(contextOr(node, BUILDS_JAR, DEFAULT_BUILDS_JAR)).normalize().toAbsolutePath(),
                base.resolve(contextOr(node, WORKSTATIONS_JAR, DEFAULT_WORKSTATIONS_JAR)).normalize().toAbsolutePath(),
                base.resolve(contextOr(node, SITE_DIR, DEFAULT_SITE_DIR)).normalize().toAbsolutePath(),
                contextOr(node, MAIL_FROM, DEFAULT_MAIL_FROM),
                buildTimeout,
                contextList(node, BUILD_REGIONS),
                contextOr(node, BUILD_SUBNET_ID, null),
                contextList(node, BUILD_SECURITY_GROUP_IDS));
    }

    static String contextOr(Node node, String key, String fallback) {
        Object value = node.tryGetContext(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }

    /** A list given either as a JSON array (cdk.json) or as one comma-separated string ({@code -c}). */
    static List<String> contextList(Node node, String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return List.of();
        }
        java.util.stream.Stream<String> items = value instanceof Collection<?> collection
                ? collection.stream().map(String::valueOf)
                : Arrays.stream(value.toString().split(","));
        return items.map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
