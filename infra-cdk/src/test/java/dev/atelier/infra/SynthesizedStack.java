package dev.atelier.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The stack synthesised once for all tests, from a tiny stand-in jar and site directory passed
 * through CDK context (so the tests need neither the real Lambda jar nor the built site), plus
 * helpers to read the template as plain maps.
 */
final class SynthesizedStack {

    static final String MAIL_FROM = "portal@acme.example";

    private static SynthesizedStack instance;

    final AtelierStack stack;
    final Template template;
    final Map<String, Object> json;

    private SynthesizedStack() {
        try {
            Path work = Files.createTempDirectory("atelier-cdk-test");
            Path jar = work.resolve("functions-lambda.jar");
            writeTinyJar(jar);
            Path site = Files.createDirectories(work.resolve("site"));
            Files.writeString(site.resolve("index.html"), "<!doctype html><title>Atelier</title>");

            App app = App.Builder.create()
                    .outdir(work.resolve("cdk.out").toString())
                    .context(Map.of(
                            AtelierSettings.API_JAR, jar.toString(),
                            AtelierSettings.BUILDS_JAR, jar.toString(),
                            AtelierSettings.WORKSTATIONS_JAR, jar.toString(),
                            AtelierSettings.SITE_DIR, site.toString(),
                            AtelierSettings.MAIL_FROM, MAIL_FROM))
                    .build();
            this.stack = new AtelierStack(app, AtelierApp.STACK_ID, StackProps.builder().build());
            // cdk-nag's AwsSolutions pack reports on the same synthesis (NagComplianceTest reads it).
            Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
            this.template = Template.fromStack(stack);
            this.json = template.toJSON();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stack of its own, synthesised below {@code dir} from a stand-in jar and site directory
     * with the given context values (as {@code -c key=value} gives them): for settings the shared
     * stack does not have.
     */
    static AtelierStack withContext(Path dir, String stackId, Map<String, String> context) throws IOException {
        Path jar = Files.createFile(dir.resolve("f.jar"));
        Path site = Files.createDirectories(dir.resolve("site"));
        Map<String, Object> all = new LinkedHashMap<>(context);
        all.put(AtelierSettings.API_JAR, jar.toString());
        all.put(AtelierSettings.BUILDS_JAR, jar.toString());
        all.put(AtelierSettings.WORKSTATIONS_JAR, jar.toString());
        all.put(AtelierSettings.SITE_DIR, site.toString());
        App app = App.Builder.create().outdir(dir.resolve("out").toString()).context(all).build();
        return new AtelierStack(app, stackId, StackProps.builder().build());
    }

    static synchronized SynthesizedStack get() {
        if (instance == null) {
            instance = new SynthesizedStack();
        }
        return instance;
    }

    private static void writeTinyJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("README.txt"));
            jarOut.write("stand-in for the Lambda jar".getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
    }

    /** The logical id of a construct's CloudFormation resource. */
    String logicalId(IConstruct construct) {
        IConstruct element = construct instanceof CfnElement ? construct : construct.getNode().getDefaultChild();
        return stack.getLogicalId((CfnElement) element);
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) json.get("Resources");
    }

    Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError("No resource " + logicalId);
        }
        return resource;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).get("Properties");
    }

    Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                found.put(id, resource);
            }
        });
        return found;
    }

    /** The environment every application function gets: the stack's resources, the sender, the JVM options. */
    Map<String, Object> sharedEnvironment() {
        return Map.of(
                "ATELIER_TABLE_NAME", ref(logicalId(stack.getTable())),
                "ATELIER_BLOB_BUCKET", ref(logicalId(stack.getBlobBucket())),
                "ATELIER_KMS_KEY_ID", ref(logicalId(stack.getKey())),
                "ATELIER_MAIL_FROM", MAIL_FROM,
                "ATELIER_COGNITO_USER_POOL_ID", ref(logicalId(stack.getUserPool())),
                "ATELIER_COGNITO_CLIENT_ID", ref(logicalId(stack.getUserPoolClient())),
                "JAVA_TOOL_OPTIONS", ApplicationFunctions.JAVA_TOOL_OPTIONS);
    }

    /** Every IAM policy statement attached to the given role (by its logical id). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statementsOfRole(String roleLogicalId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        resourcesOfType("AWS::IAM::Policy").values().forEach(policy -> {
            Map<String, Object> props = (Map<String, Object>) policy.get("Properties");
            List<Object> roles = (List<Object>) props.get("Roles");
            if (roles != null && roles.contains(Map.of("Ref", roleLogicalId))) {
                Map<String, Object> document = (Map<String, Object>) props.get("PolicyDocument");
                statements.addAll((List<Map<String, Object>>) document.get("Statement"));
            }
        });
        return statements;
    }

    /** A value that CloudFormation may give as one item or as a list, always as a list. */
    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return value instanceof List ? (List<Object>) value : value == null ? List.of() : List.of(value);
    }

    static List<String> actions(Map<String, Object> statement) {
        return asList(statement.get("Action")).stream().map(String::valueOf).toList();
    }

    static Map<String, Object> getAttArn(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }
}
