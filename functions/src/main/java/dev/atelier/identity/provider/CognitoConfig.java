package dev.atelier.identity.provider;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The Cognito user pool Atelier trusts, from {@code ATELIER_COGNITO_USER_POOL_ID} and
 * {@code ATELIER_COGNITO_CLIENT_ID} (set by the CDK stack). Locally both stay empty and the
 * local bootstrap creates a pool in the engine instead (see {@link UserPool#use}).
 *
 * @param region the pool's region; part of the issuer every id token names
 */
@ConfigurationProperties("atelier.cognito")
public record CognitoConfig(@Nullable String userPoolId, @Nullable String clientId, @Nullable String region) { }
