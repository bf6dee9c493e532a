package dev.atelier.identity;

import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;

/** {@code /api/v1/users}: the site's users and the tokens administrators issue to them. */
@Controller("/api/v1/users")
public class UserController {

    private final UserService users;
    private final TokenService tokens;
    private final JsonMapper json;

    public UserController(UserService users, TokenService tokens, JsonMapper json) {
        this.users = users;
        this.tokens = tokens;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<UserService.CreatedUser> create(Caller caller, @Body @Nullable String body,
                                                        @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        // Who may comes before what is asked: others get 403 whatever they send.
        UserService.requireSiteAdmin(caller);
        UserService.CreatedUser created = users.create(caller, IdentityRequests.newUser(json, body), idempotencyKey);
        return HttpResponse.created(created).header(HttpHeaders.LOCATION, UserService.location(created.id()));
    }

    @Get
    public Page<UserService.ListedUser> list(Caller caller, @QueryValue @Nullable String limit,
                                             @QueryValue @Nullable String cursor) {
        UserService.requireSiteAdmin(caller);
        return users.list(caller, Cursors.limit(limit), cursor);
    }

    @Post("/{userId}/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<TokenService.IssuedToken> issueToken(Caller caller, @PathVariable String userId,
                                                             @Body @Nullable String body) {
        UserService.requireSiteAdmin(caller);
        return HttpResponse.created(tokens.issueTo(caller, userId, IdentityRequests.newToken(json, body)));
    }
}
