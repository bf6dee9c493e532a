package dev.atelier.identity;

/**
 * The authenticated subject of a request.
 *
 * @param userId    the user the token belongs to
 * @param email     the user's email address
 * @param siteAdmin whether the user administers the whole site (users, tokens); says nothing
 *                  about any workspace
 * @param tokenId   the token used, for audit and revocation
 */
public record Caller(String userId, String email, boolean siteAdmin, String tokenId) { }
