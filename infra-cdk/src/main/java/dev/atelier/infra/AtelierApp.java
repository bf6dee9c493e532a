package dev.atelier.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app (see cdk.json): one stack, deployed into the account and region of the caller's
 * credentials. Context values: {@code mailFrom}, {@code lambdaJar}, {@code siteDir} and the build
 * settings ({@code atelier:build*}, see {@link AtelierSettings}).
 */
public final class AtelierApp {

    public static final String STACK_ID = "AtelierStack";

    private AtelierApp() { }

    /**
     * jsii answers each callback into Java (the stack's logical ids, aspects) one stack frame
     * deeper while a synthesis runs, so the app synthesises on a thread with a large stack.
     */
    static final long SYNTH_STACK_BYTES = 64L * 1024 * 1024;

    public static void main(String[] args) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread synth = new Thread(null, () -> {
            App app = new App();
            new AtelierStack(app, STACK_ID, StackProps.builder()
                    .description("Atelier: cloud workstations control plane")
                    .build());
            app.synth();
        }, "synth", SYNTH_STACK_BYTES);
        synth.setUncaughtExceptionHandler((thread, error) -> failure[0] = error);
        synth.start();
        synth.join();
        if (failure[0] instanceof RuntimeException runtime) {
            throw runtime;
        } else if (failure[0] instanceof Error error) {
            throw error;
        } else if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
    }
}
