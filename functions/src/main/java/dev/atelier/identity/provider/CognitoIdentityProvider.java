package dev.atelier.identity.provider;

import io.micronaut.context.annotation.Requires;
import dev.atelier.web.ApiException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordResetRequiredException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Atelier's side of the Cognito user pool: password sign-in (with the first-sign-in new
 * password challenge) and creating the pool's user for an Atelier user, carrying the Atelier
 * user id as {@value IdTokenVerifier#USER_ID_CLAIM} so every id token names its Atelier user.
 */
@Singleton
@Requires(classes = CognitoIdentityProviderClient.class)
public class CognitoIdentityProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CognitoIdentityProvider.class);

    private final CognitoIdentityProviderClient cognito;
    private final UserPool pool;
    private final Clock clock;

    public CognitoIdentityProvider(CognitoIdentityProviderClient cognito, UserPool pool, Clock clock) {
        this.cognito = cognito;
        this.pool = pool;
        this.clock = clock;
    }

    /** The outcome of a sign-in step. */
    public sealed interface SignIn permits SignedIn, NewPasswordRequired { }

    /** Signed in: the id token to present as {@code Authorization: Bearer}. */
    public record SignedIn(String idToken, Instant expiresAt) implements SignIn { }

    /** First sign-in with a temporary password: a new password must be set with this session. */
    public record NewPasswordRequired(String session) implements SignIn { }

    /** Whether a pool is set up at all. */
    public boolean configured() {
        return pool.current().isPresent();
    }

    /**
     * One InitiateAuth (USER_PASSWORD_AUTH).
     *
     * @throws ApiException 401 for a wrong username or password (alike), 404 when no identity
     *                      provider is set up
     */
    public SignIn signIn(String username, String password) {
        UserPool.Coordinates coordinates = coordinates();
        try {
            var response = cognito.initiateAuth(r -> r.clientId(coordinates.clientId())
                    .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
            return outcome(response.challengeName(), response.session(), response.authenticationResult());
        } catch (NotAuthorizedException | UserNotFoundException | UserNotConfirmedException
                 | PasswordResetRequiredException | InvalidParameterException e) {
            throw ApiException.unauthorized("Wrong username or password");
        }
    }

    /**
     * One RespondToAuthChallenge (NEW_PASSWORD_REQUIRED).
     *
     * @throws ApiException 400 naming {@code newPassword} when the pool's password policy
     *                      refuses it; 401 when the session is not valid (any more)
     */
    public SignIn completeNewPassword(String username, String session, String newPassword) {
        UserPool.Coordinates coordinates = coordinates();
        try {
            var response = cognito.respondToAuthChallenge(r -> r.clientId(coordinates.clientId())
                    .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                    .session(session)
                    .challengeResponses(Map.of("USERNAME", username, "NEW_PASSWORD", newPassword)));
            return outcome(response.challengeName(), response.session(), response.authenticationResult());
        } catch (InvalidPasswordException e) {
            throw ApiException.invalid("newPassword", "does not meet the password policy");
        } catch (NotAuthorizedException | CodeMismatchException | ExpiredCodeException | UserNotFoundException
                 | InvalidParameterException | ResourceNotFoundException e) {
            // An unknown session answers ResourceNotFound from the local engine, NotAuthorized from AWS.
            throw ApiException.unauthorized("The session is not valid; sign in again");
        }
    }

    /**
     * Creates the pool's user for an Atelier user (AdminCreateUser; the email counts as
     * verified). In AWS, Cognito mails them a temporary password. A pool user with this email
     * that already exists is linked to the Atelier user instead. Does nothing without a pool.
     *
     * @throws software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException
     *         when the pool refuses
     */
    public void createUser(String email, String userId) {
        if (pool.current().isEmpty()) {
            return;
        }
        String poolId = pool.current().get().userPoolId();
        AttributeType idAttribute = AttributeType.builder().name(IdTokenVerifier.USER_ID_CLAIM).value(userId).build();
        try {
            cognito.adminCreateUser(r -> r.userPoolId(poolId).username(email)
                    .userAttributes(AttributeType.builder().name("email").value(email).build(),
                            AttributeType.builder().name("email_verified").value("true").build(),
                            idAttribute));
        } catch (UsernameExistsException exists) {
            LOG.info("The identity provider already had a user for a new Atelier user; linking it");
            cognito.adminUpdateUserAttributes(r -> r.userPoolId(poolId).username(email).userAttributes(idAttribute));
        }
    }

    private SignIn outcome(ChallengeNameType challenge, String session,
                           AuthenticationResultType result) {
        if (challenge == ChallengeNameType.NEW_PASSWORD_REQUIRED) {
            return new NewPasswordRequired(session);
        }
        if (challenge != null || result == null || result.idToken() == null) {
            // MFA and other challenges are not enabled on Atelier's pool.
            throw ApiException.unauthorized("This sign-in needs a step Atelier does not support");
        }
        int expiresIn = result.expiresIn() == null ? 3600 : result.expiresIn();
        return new SignedIn(result.idToken(), clock.instant().plusSeconds(expiresIn));
    }

    private UserPool.Coordinates coordinates() {
        return pool.current().orElseThrow(() -> ApiException.notFound("Sign-in with a password is not set up"));
    }
}
