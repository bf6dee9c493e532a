package dev.atelier.identity;

import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;

/** {@code /api/v1/me/tokens}: the caller's own access tokens. */
@Controller("/api/v1/me/tokens")
public class MyTokenController {

    private final TokenService tokens;
    private final JsonMapper json;

    public MyTokenController(TokenService tokens, JsonMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<TokenService.IssuedToken> create(Caller caller, @Body @Nullable String body) {
        return HttpResponse.created(tokens.issueOwn(caller, IdentityRequests.newToken(json, body)));
    }

    @Get
    public Page<TokenService.ListedToken> list(Caller caller, @QueryValue @Nullable String limit,
                                               @QueryValue @Nullable String cursor) {
        return tokens.list(caller, Cursors.limit(limit), cursor);
    }

    @Delete("/{id}")
    public HttpResponse<Void> revoke(Caller caller, @PathVariable String id) {
        tokens.revoke(caller, id);
        return HttpResponse.noContent();
    }
}
