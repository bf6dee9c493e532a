package dev.atelier.infra;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;

/**
 * The Lambda functions running the application (API, first administrator, build steps, build
 * events, workstation worker): three code assets, one per artifact of the functions module (each
 * carrying only the AWS SDK modules its functions call), one environment that every function is
 * configured with, and the settings they share. A function adds only what it alone needs to the
 * environment.
 */
final class ApplicationFunctions {

    static final Runtime RUNTIME = Runtime.JAVA_17;
    /** C1 only: the functions start faster, and their requests are short. */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    /** The artifacts of the functions module, one per kind of function. */
    enum Artifact {
        /** The API and the first administrator. */
        API,
        /** The build workflow's steps and Image Builder's state changes. */
        BUILDS,
        /** The workstation worker. */
        WORKSTATIONS
    }

    private final Map<Artifact, Code> code = new EnumMap<>(Artifact.class);
    private final Map<String, String> environment;

    ApplicationFunctions(AtelierSettings settings, Data data, Identity identity) {
        code.put(Artifact.API, Code.fromAsset(settings.apiJar().toString()));
        code.put(Artifact.BUILDS, Code.fromAsset(settings.buildsJar().toString()));
        code.put(Artifact.WORKSTATIONS, Code.fromAsset(settings.workstationsJar().toString()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ATELIER_TABLE_NAME", data.table.getTableName());
        env.put("ATELIER_BLOB_BUCKET", data.blobBucket.getBucketName());
        env.put("ATELIER_KMS_KEY_ID", data.key.getKeyId());
        env.put("ATELIER_MAIL_FROM", settings.mailFrom());
        env.put("ATELIER_COGNITO_USER_POOL_ID", identity.userPool.getUserPoolId());
        env.put("ATELIER_COGNITO_CLIENT_ID", identity.userPoolClient.getUserPoolClientId());
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        this.environment = Collections.unmodifiableMap(env);
    }

    /** What every application function is configured with. */
    Map<String, String> environment() {
        return environment;
    }

    /**
     * A function running {@code handler} of {@code artifact}, logging to a group of its own ({@code <id>Logs}, kept
     * one month) and allowed to write there only: the role gets no AWS managed logging policy
     * (which would let it create and write any log group of the account).
     */
    Function create(StackPart scope, String id, String description, Artifact artifact, String handler, int memoryMb,
                    Duration timeout, Map<String, String> ownEnvironment, Consumer<Function.Builder> customize) {
        LogGroup logs = scope.logGroup(id + "Logs");
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(ownEnvironment);
        Function.Builder builder = Function.Builder.create(scope, id)
                .description(description)
                .runtime(RUNTIME)
                // arm64 (Graviton): the jars are pure Java (url-connection-client, no CRT or other
                // native library), so it runs unchanged there, at about 20% less per GB-second
                // than x86_64, and SnapStart supports arm64. Switch to X86_64 only if a native
                // dependency without an aarch64 build is added.
                .architecture(Architecture.ARM_64)
                .memorySize(memoryMb)
                .timeout(timeout)
                .handler(handler)
                .code(code.get(artifact))
                .logGroup(logs)
                .environment(env);
        customize.accept(builder);
        Function function = builder.build();
        ((CfnRole) function.getRole().getNode().getDefaultChild()).setManagedPolicyArns((List<String>) null);
        logs.grantWrite(function);
        return function;
    }
}
