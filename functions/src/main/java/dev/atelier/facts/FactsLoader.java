package dev.atelier.facts;

import dev.atelier.access.ResourceKind;
import dev.atelier.config.AtelierConfig;
import dev.atelier.grant.GrantsItem;
import dev.atelier.identity.Caller;
import dev.atelier.identity.TokenItem;
import dev.atelier.identity.TokenSecrets;
import dev.atelier.identity.UserItem;
import dev.atelier.identity.provider.IdTokenVerifier;
import dev.atelier.store.ItemKey;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.web.ApiException;
import dev.atelier.workspace.MemberItem;
import dev.atelier.workspace.Slug;
import dev.atelier.workspace.WorkspaceItem;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authenticates a request and loads its facts in one DynamoDB request: the token (found by the
 * hash of its secret) and, for a path inside a workspace, the workspace and the membership of
 * the user the token names — one BatchGetItem. Only when the token turns out to belong to
 * another user than it names (never for tokens Atelier issues) is the membership read again.
 * <p>An identity provider's id token (a JWT) is verified without DynamoDB; it names its Atelier
 * user, whose profile (existence, email, site administration) takes the stored token's place
 * in the same BatchGetItem.
 */
@Singleton
public class FactsLoader {

    private static final String BEARER = "Bearer ";

    /** The token id of callers signed in through the identity provider. */
    public static final String IDENTITY_PROVIDER_TOKEN_ID = "identity-provider";
    private static final java.util.regex.Pattern RESOURCE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Clock clock;
    private final IdTokenVerifier idTokens;

    public FactsLoader(DynamoDbClient dynamoDb, AtelierConfig config, Clock clock, IdTokenVerifier idTokens) {
        this.dynamoDb = dynamoDb;
        this.tableName = config.tableName();
        this.clock = clock;
        this.idTokens = idTokens;
    }

    /**
     * @param slug the workspace the request's path names, or null
     * @throws ApiException 401 when the header is missing, malformed, or names no valid token
     *                      (unknown, expired); the detail never repeats the presented value
     */
    public RequestFacts load(@Nullable String authorization, @Nullable String slug) {
        return load(authorization, slug, null, null);
    }

    /**
     * As {@link #load(String, String)}, also reading the resource the path names (and its grants)
     * in the same BatchGetItem.
     */
    public RequestFacts load(@Nullable String authorization, @Nullable String slug,
                             @Nullable ResourceKind kind, @Nullable String resourceId) {
        String secret = bearer(authorization);
        String verifiedUserId = IdTokenVerifier.looksLikeJwt(secret) ? idTokens.verify(secret) : null;
        if (verifiedUserId == null && !TokenSecrets.plausible(secret)) {
            throw ApiException.unauthorized("The token is not valid");
        }
        String hint = verifiedUserId != null ? verifiedUserId : TokenSecrets.userIdHint(secret);
        String workspaceSlug = slug != null && Slug.problem(slug).isEmpty() ? slug : null;

        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(verifiedUserId != null ? new ItemKey(Keys.user(verifiedUserId), Keys.PROFILE).toMap()
                : new ItemKey(Keys.token(TokenSecrets.hash(secret)), Keys.TOKEN).toMap());
        if (workspaceSlug != null) {
            keys.add(Keys.workspaceItem(workspaceSlug).toMap());
            keys.add(Keys.memberItem(workspaceSlug, hint).toMap());
        }
        boolean withResource = workspaceSlug != null && kind != null && resourceId != null && RESOURCE_ID.matcher(resourceId).matches();
        if (withResource) {
            keys.add(Keys.resourceItem(workspaceSlug, kind.wireName(), resourceId).toMap());
            keys.add(Keys.grantsItem(workspaceSlug, kind.wireName(), resourceId).toMap());
        }
        Map<String, Map<String, AttributeValue>> found = batchGet(keys);

        Caller caller = verifiedUserId != null ? userCaller(found, keys.get(0)) : tokenCaller(found, keys.get(0));
        if (workspaceSlug == null) {
            return new RequestFacts(caller, slug, null, null);
        }
        WorkspaceItem workspace = item(found, keys.get(1), WorkspaceItem.SCHEMA::mapToItem);
        MemberItem member = caller.userId().equals(hint)
                ? item(found, keys.get(2), MemberItem.SCHEMA::mapToItem)
                : item(batchGet(List.of(Keys.memberItem(workspaceSlug, caller.userId()).toMap())),
                        Keys.memberItem(workspaceSlug, caller.userId()).toMap(), MemberItem.SCHEMA::mapToItem);
        RequestFacts.Resource resource = kind == null || resourceId == null ? null
                : new RequestFacts.Resource(kind, resourceId, withResource ? found.get(id(keys.get(3))) : null,
                withResource ? item(found, keys.get(4), GrantsItem.SCHEMA::mapToItem) : null);
        return new RequestFacts(caller, slug, workspace, workspace == null ? null : member, resource);
    }

    private Caller tokenCaller(Map<String, Map<String, AttributeValue>> found, Map<String, AttributeValue> key) {
        TokenItem token = item(found, key, TokenItem.SCHEMA::mapToItem);
        if (token == null) {
            throw ApiException.unauthorized("The token is not valid");
        }
        if (token.expiredAt(clock.instant())) {
            throw ApiException.unauthorized("The token has expired");
        }
        return new Caller(token.userId(), token.email(), token.siteAdmin(), token.tokenId());
    }

    private static Caller userCaller(Map<String, Map<String, AttributeValue>> found, Map<String, AttributeValue> key) {
        UserItem user = item(found, key, UserItem.SCHEMA::mapToItem);
        if (user == null) {
            throw ApiException.unauthorized("The identity provider's user is not an Atelier user");
        }
        return new Caller(user.id(), user.email(), user.siteAdmin(), IDENTITY_PROVIDER_TOKEN_ID);
    }

    private static String bearer(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("An Authorization: Bearer <token> header is required");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("The Authorization header must use the Bearer scheme");
        }
        String secret = authorization.substring(BEARER.length()).trim();
        if (secret.isEmpty() || secret.length() > 8192) {
            throw ApiException.unauthorized("The token is not valid");
        }
        return secret;
    }

    /** One BatchGetItem (consistent), repeated only for keys DynamoDB left unprocessed. */
    private Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        Map<String, KeysAndAttributes> request = Map.of(tableName,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> pending = request;
            var response = dynamoDb.batchGetItem(r -> r.requestItems(pending));
            response.responses().getOrDefault(tableName, List.of())
                    .forEach(item -> found.put(id(item), item));
            request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
        }
        return found;
    }

    @Nullable
    private static <T> T item(Map<String, Map<String, AttributeValue>> found, Map<String, AttributeValue> key,
                              java.util.function.Function<Map<String, AttributeValue>, T> mapper) {
        Map<String, AttributeValue> item = found.get(id(key));
        return item == null ? null : mapper.apply(item);
    }

    private static String id(Map<String, AttributeValue> item) {
        return item.get(TableDefinition.PK).s() + "\u0000" + item.get(TableDefinition.SK).s();
    }
}
