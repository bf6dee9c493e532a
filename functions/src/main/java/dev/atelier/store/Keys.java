package dev.atelier.store;

/**
 * Every key format of the table, in one place. The access patterns they serve are listed in
 * docs/access-patterns.md.
 */
public final class Keys {

    public static final String PROFILE = "PROFILE";
    public static final String TOKEN = "TOKEN";
    /** GSI1SK of a profile: sorts after the user's tokens and before their workspaces. */
    public static final String PROFILE_IN_USER_INDEX = "USER";
    public static final String WORKSPACE = "WORKSPACE";
    public static final String IDEMPOTENCY = "IDEMPOTENCY";
    public static final String SITE = "SITE";
    public static final String BOOTSTRAP = "BOOTSTRAP";
    /** SK of a workspace's AI settings, under the workspace's PK. */
    public static final String AI_SETTINGS = "SETTINGS#AI";
    /** Prefix of every member's SK: a Query with it lists a workspace's members. */
    public static final String MEMBER_PREFIX = "MEMBER#";

    private Keys() { }

    /** A user's profile: PK. Also GSI1PK of everything listed per user. */
    public static String user(String userId) {
        return "USER#" + userId;
    }

    /** An access token, found by the SHA-256 of its secret: PK. */
    public static String token(String secretHash) {
        return "TOKEN#" + secretHash;
    }

    /** A user's token in their token list: GSI1SK. */
    public static String tokenOfUser(String tokenId) {
        return "TOKEN#" + tokenId;
    }

    /** A workspace and everything in it: PK. */
    public static String workspace(String slug) {
        return "WS#" + slug;
    }

    /** A member of a workspace: SK under the workspace's PK. */
    public static String member(String userId) {
        return MEMBER_PREFIX + userId;
    }

    /** A workspace in its member's list of workspaces: GSI1SK. */
    public static String workspaceOfMember(String slug) {
        return "WS#" + slug;
    }

    /** A workspace's audit log: PK (kept apart from the workspace partition, which lists members). */
    public static String audit(String slug) {
        return "AUDIT#" + slug;
    }

    /** Where a workspace's logo blobs live in the blob bucket (S3 key prefix). */
    public static String logoPrefix(String slug) {
        return "logos/" + slug + "/";
    }

    /** One stored logo: a new key per upload, so a reader never sees half of a replaced one. */
    public static String logo(String slug, String uploadId) {
        return logoPrefix(slug) + uploadId;
    }

    /** A replayable result of a create, per caller and Idempotency-Key: PK. */
    public static String idempotency(String userId, String key) {
        return "IDEMPOTENCY#" + userId + "#" + key;
    }
}
