package dev.atelier.infra;

import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.ClientAttributes;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardAttribute;
import software.amazon.awscdk.services.cognito.StandardAttributes;
import software.amazon.awscdk.services.cognito.StandardAttributesMask;
import software.amazon.awscdk.services.cognito.StringAttribute;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.ses.EmailIdentity;
import software.constructs.Construct;

/**
 * Who people are and how Atelier reaches them: the Cognito user pool and its app client, and
 * the SES identity mail is sent from.
 *
 * <p>Users are created only by Atelier (AdminCreateUser, when a site administrator adds a user),
 * sign in with their email, and carry their Atelier user id in an attribute that only
 * administrators can set.
 */
final class Identity extends StackPart {

    /** The password policy, the same as the local identity provider's (LocalResources). */
    static final int MIN_PASSWORD_LENGTH = 12;

    final UserPool userPool;
    final UserPoolClient userPoolClient;
    final EmailIdentity mailIdentity;

    Identity(Construct scope, String id, AtelierSettings settings) {
        super(scope, id);
        this.mailIdentity = EmailIdentity.Builder.create(this, "MailIdentity")
                .identity(email(settings.mailFrom()))
                .build();

        this.userPool = UserPool.Builder.create(this, "UserPool")
                .userPoolName("atelier")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().email(true).build())
                .signInCaseSensitive(false)
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                .standardAttributes(StandardAttributes.builder()
                        .email(StandardAttribute.builder().required(true).mutable(true).build())
                        .build())
                .customAttributes(Map.of(AtelierStack.USER_ID_ATTRIBUTE, StringAttribute.Builder.create()
                        .minLen(1).maxLen(64).mutable(true).build()))
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(MIN_PASSWORD_LENGTH)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireDigits(true)
                        .requireSymbols(false)
                        .tempPasswordValidity(Duration.days(7))
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.userPoolClient = userPool.addClient("AppClient", UserPoolClientOptions.builder()
                .userPoolClientName("atelier")
                .generateSecret(false)
                .authFlows(AuthFlow.builder().userPassword(true).userSrp(true).build())
                .preventUserExistenceErrors(true)
                .idTokenValidity(Duration.hours(1))
                // Users may change their email and name, never the attribute naming their Atelier user.
                .writeAttributes(new ClientAttributes().withStandardAttributes(StandardAttributesMask.builder()
                        .email(true).fullname(true).build()))
                .build());
    }

    private static software.amazon.awscdk.services.ses.Identity email(String address) {
        return software.amazon.awscdk.services.ses.Identity.email(address);
    }
}
