package dev.atelier.infra;

/**
 * The cdk-nag (AwsSolutions) findings Atelier accepts, each on the resource it concerns with the
 * reason it is acceptable for this product. Everything else the rule pack reports is fixed in the
 * stack; infra-cdk/README.md lists both.
 */
final class AtelierNagSuppressions {

    private AtelierNagSuppressions() { }

    static void addTo(AtelierStack stack) {
    }
}
