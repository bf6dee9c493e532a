package dev.atelier.identity;

import dev.atelier.identity.provider.CognitoIdentityProvider;
import dev.atelier.web.Problem;
import dev.atelier.web.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code /api/v1/auth}: the public ways to sign in — a link mailed to the user, or the
 * identity provider's username and password. Nothing here needs a token.
 */
@Controller("/api/v1/auth")
public class SignInController {

    private final LoginLinkService links;
    private final CognitoIdentityProvider identityProvider;
    private final JsonMapper json;

    public SignInController(LoginLinkService links, CognitoIdentityProvider identityProvider, JsonMapper json) {
        this.links = links;
        this.identityProvider = identityProvider;
        this.json = json;
    }

    /** A session: the token to present as {@code Authorization: Bearer} until {@code expiresAt}. */
    @Serdeable
    public record Session(String token, String expiresAt) { }

    /** Signed in through the identity provider: its id token is the bearer token. */
    @Serdeable
    public record IdentityProviderSession(String idToken, String expiresAt) { }

    /** The 409 problem of a first sign-in: set a new password with this {@code session}. */
    @Serdeable
    public record NewPasswordRequiredProblem(String type, String title, int status, String detail, String session) { }

    @Post("/login-links")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<Void> requestLink(@Body @Nullable String body) {
        links.request(IdentityRequests.loginLinkEmail(json, body));
        return HttpResponse.accepted();
    }

    @Post("/login-links/redeem")
    @Consumes(MediaType.APPLICATION_JSON)
    public Session redeemLink(@Body @Nullable String body) {
        TokenService.IssuedToken token = links.redeem(IdentityRequests.loginLinkToken(json, body));
        return new Session(token.token(), token.expiresAt());
    }

    @Post("/sign-in")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> signIn(@Body @Nullable String body) {
        IdentityRequests.SignIn request = IdentityRequests.signIn(json, body);
        return answer(identityProvider.signIn(request.username(), request.password()));
    }

    @Post("/sign-in/new-password")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> newPassword(@Body @Nullable String body) {
        IdentityRequests.NewPassword request = IdentityRequests.newPassword(json, body);
        return answer(identityProvider.completeNewPassword(request.username(), request.session(), request.newPassword()));
    }

    private static HttpResponse<?> answer(CognitoIdentityProvider.SignIn outcome) {
        if (outcome instanceof CognitoIdentityProvider.NewPasswordRequired required) {
            return HttpResponse.status(HttpStatus.CONFLICT)
                    .contentType(MediaType.of(Problem.MEDIA_TYPE))
                    .body(new NewPasswordRequiredProblem(Problems.TYPE_BASE + "new-password-required",
                            "New password required", 409,
                            "Set a new password: POST /api/v1/auth/sign-in/new-password with this session",
                            required.session()));
        }
        CognitoIdentityProvider.SignedIn signedIn = (CognitoIdentityProvider.SignedIn) outcome;
        return HttpResponse.ok(new IdentityProviderSession(signedIn.idToken(), signedIn.expiresAt().toString()));
    }
}
