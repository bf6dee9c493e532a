package dev.atelier.identity.provider;

import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Which Cognito user pool and app client Atelier trusts, if any: from configuration in AWS,
 * set by the local bootstrap once it has created the pool in the engine.
 */
@Singleton
public class UserPool {

    /** A pool and the app client whose id tokens are accepted. */
    public record Coordinates(String region, String userPoolId, String clientId) {

        /** The {@code iss} of the pool's tokens: always the AWS form, also from the local engine. */
        public String issuer() {
            return "https://cognito-idp." + region + ".amazonaws.com/" + userPoolId;
        }
    }

    private final String region;
    private volatile Coordinates current;

    public UserPool(CognitoConfig config) {
        this.region = blank(config.region()) ? "us-east-1" : config.region();
        if (!blank(config.userPoolId()) && !blank(config.clientId())) {
            this.current = new Coordinates(region, config.userPoolId(), config.clientId());
        }
    }

    /** The trusted pool; empty when sign-in through an identity provider is not set up. */
    public Optional<Coordinates> current() {
        return Optional.ofNullable(current);
    }

    /** Local mode: trust the pool the bootstrap just created or found in the engine. */
    public void use(String userPoolId, String clientId) {
        this.current = new Coordinates(region, userPoolId, clientId);
    }

    public String region() {
        return region;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
