package dev.atelier.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app (see cdk.json): one stack, deployed into the account and region of the caller's
 * credentials. Context values: {@code mailFrom}, {@code apiJar}, {@code buildsJar},
 * {@code workstationsJar}, {@code siteDir} and the build settings ({@code atelier:build*}, see {@link AtelierSettings}).
 */
public final class AtelierApp {

    public static final String STACK_ID = "AtelierStack";

    private AtelierApp() { }

    public static void main(String[] args) {
        App app = new App();
        new AtelierStack(app, STACK_ID, StackProps.builder()
                .description("Atelier: cloud workstations control plane")
                .build());
        app.synth();
    }
}
