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
    public static final String EMAIL = "EMAIL";
    /** SK of the site's portal address under {@link #SITE}, stored at deploy time. */
    public static final String PORTAL = "PORTAL";
    public static final String LOGIN_LINK = "LOGIN_LINK";
    /** GSI1PK of every user's email item: the site's user directory, ordered by email. */
    public static final String USERS = "USERS";
    /** The site-level audit log (users, tokens issued by administrators): its slug in {@link #audit}. */
    public static final String SITE_AUDIT = "site";
    /**
     * SK of a workspace's AI settings, under the workspace's PK (sorts before {@code MEMBER#},
     * so nothing falls between the members and the workspace item).
     */
    public static final String AI_SETTINGS = "AI#SETTINGS";
    /** Prefix of every member's SK: a Query with it lists a workspace's members. */
    public static final String MEMBER_PREFIX = "MEMBER#";
    public static final String INVITATION = "INVITATION";

    private Keys() { }

    /** A user's profile: PK. Also GSI1PK of everything listed per user. */
    public static String user(String userId) {
        return "USER#" + userId;
    }

    /** An access token, found by the SHA-256 of its secret: PK. */
    public static String token(String secretHash) {
        return "TOKEN#" + secretHash;
    }

    /** A user's token in their token list: SK under the user's PK. */
    public static String tokenOfUser(String tokenId) {
        return "TOKEN#" + tokenId;
    }

    /** An email address in use (uniqueness, and the user directory): PK; also GSI1SK under {@link #USERS}. */
    public static String email(String normalisedEmail) {
        return "EMAIL#" + normalisedEmail;
    }

    /** A single-use sign-in link, found by the SHA-256 of its token: PK. */
    public static String loginLink(String tokenHash) {
        return "LOGIN_LINK#" + tokenHash;
    }

    /** How many sign-in links were sent to one address: PK. */
    public static String loginLinkThrottle(String normalisedEmail) {
        return "LOGIN_LINK_THROTTLE#" + normalisedEmail;
    }

    /** The window of a throttle counter (one per hour): SK. */
    public static String throttleWindow(String hour) {
        return "HOUR#" + hour;
    }

    /** A workspace and everything in it: PK. */
    public static String workspace(String slug) {
        return "WS#" + slug;
    }

    /** A member of a workspace: SK under the workspace's PK. */
    public static String member(String userId) {
        return MEMBER_PREFIX + userId;
    }

    /** Keeps definitions' CLI names unique in a workspace: SK under the workspace's PK. */
    public static String cliName(String cliName) {
        return "CLINAME#" + cliName;
    }

    /** A group of a workspace: SK under the workspace's PK. */
    public static String group(String groupId) {
        return "GROUP#" + groupId;
    }

    /** Keeps group names unique in a workspace: SK under the workspace's PK. */
    public static String groupName(String lowerCaseName) {
        return "GROUPNAME#" + lowerCaseName;
    }

    /** An invitation, found by the SHA-256 of its token: PK. */
    public static String invitation(String tokenHash) {
        return "INVITATION#" + tokenHash;
    }

    /** A workspace's invitations in GSI1: GSI1PK. */
    public static String invitationsOf(String slug) {
        return "INVITATIONS#" + slug;
    }

    /** An invitation in its workspace's list: GSI1SK, oldest first. */
    public static String invitationInList(String createdAt, String invitationId) {
        return createdAt + "#" + invitationId;
    }

    /**
     * A resource that carries grants (definition, image, running workstation): SK under the
     * workspace's PK, e.g. {@code DEFINITION#<id>}.
     */
    public static String resource(String kind, String id) {
        return kind.toUpperCase(java.util.Locale.ROOT) + "#" + id;
    }

    /** Prefix of every build's SK: a Query with it lists a workspace's builds. */
    public static final String BUILD_PREFIX = "BUILD#";

    /** Prefix of the SKs of one definition's builds: a Query with it lists them, newest first. */
    public static String buildsOf(String definitionId) {
        return BUILD_PREFIX + definitionId + "#";
    }

    /** Whether an item of a workspace's partition is a build. */
    public static boolean isBuild(String sk) {
        return sk.startsWith(BUILD_PREFIX);
    }

    /** One image build of a definition: SK under the workspace's PK (build ids sort by time). */
    public static String build(String definitionId, String buildId) {
        return buildsOf(definitionId) + buildId;
    }

    /** A build found by its Image Builder image, for its state-change events: GSI1PK. */
    public static String buildImage(String imageArn) {
        return "BUILD_IMAGE#" + imageArn;
    }

    /** SK in GSI1 of a workstation found by its instance ({@link #instance}). */
    public static final String WORKSTATION = "WORKSTATION";

    /** A workstation found by its EC2 instance, for the instance's state-change events: GSI1PK. */
    public static String instance(String instanceId) {
        return "INSTANCE#" + instanceId;
    }

    /** The workspace's auto-stop default: SK under the workspace's PK. */
    public static final String AUTO_STOP = "AUTOSTOP";

    /** The grants on one resource: SK under the workspace's PK. */
    public static String grants(String kind, String id) {
        return "GRANTS#" + kind.toUpperCase(java.util.Locale.ROOT) + "#" + id;
    }

    /** A workspace in its member's list of workspaces: GSI1SK. */
    public static String workspaceOfMember(String slug) {
        return "WS#" + slug;
    }

    /**
     * A workspace's audit log: PK (kept apart from the workspace partition, which lists members).
     * {@code AUDIT#site} ({@link #SITE_AUDIT}) is the site's own log; "site" is a reserved slug.
     */
    public static String audit(String slug) {
        return "AUDIT#" + slug;
    }

    /** Where a workspace's logo blobs live in the blob bucket (S3 key prefix). */
    public static String logoPrefix(String slug) {
        return "logos/" + slug + "/";
    }

    /** Where the texts a workspace's builds use live in the blob bucket (S3 key prefix). */
    public static String workspaceBlobsPrefix(String slug) {
        return "workspaces/" + slug + "/";
    }

    /** One stored logo: a new key per upload, so a reader never sees half of a replaced one. */
    public static String logo(String slug, String uploadId) {
        return logoPrefix(slug) + uploadId;
    }

    // --- whole item keys -----------------------------------------------------------------

    /** The workspace item. */
    public static ItemKey workspaceItem(String slug) {
        return new ItemKey(workspace(slug), WORKSPACE);
    }

    /** An invitation ({@link #invitation}). */
    public static ItemKey invitationItem(String tokenHash) {
        return new ItemKey(invitation(tokenHash), INVITATION);
    }

    /** One member of a workspace. */
    public static ItemKey memberItem(String slug, String userId) {
        return new ItemKey(workspace(slug), member(userId));
    }

    /** A resource of a workspace that carries grants ({@link #resource}). */
    public static ItemKey resourceItem(String slug, String kind, String id) {
        return new ItemKey(workspace(slug), resource(kind, id));
    }

    /** A workstation definition (its grants' resource). */
    public static ItemKey definitionItem(String slug, String definitionId) {
        return resourceItem(slug, "definition", definitionId);
    }

    /** A workspace image (its grants' resource). */
    public static ItemKey imageItem(String slug, String imageId) {
        return resourceItem(slug, "image", imageId);
    }

    /** A running workstation (its grants' resource). */
    public static ItemKey workstationItem(String slug, String workstationId) {
        return resourceItem(slug, "workstation", workstationId);
    }

    /** The grants on one resource ({@link #grants}). */
    public static ItemKey grantsItem(String slug, String kind, String id) {
        return new ItemKey(workspace(slug), grants(kind, id));
    }

    /** One image build of a definition ({@link #build}). */
    public static ItemKey buildItem(String slug, String definitionId, String buildId) {
        return new ItemKey(workspace(slug), build(definitionId, buildId));
    }

    /** A group of a workspace. */
    public static ItemKey groupItem(String slug, String groupId) {
        return new ItemKey(workspace(slug), group(groupId));
    }

    /** A group name's claim in a workspace. */
    public static ItemKey groupNameItem(String slug, String lowerCaseName) {
        return new ItemKey(workspace(slug), groupName(lowerCaseName));
    }

    /** A definition CLI name's claim in a workspace. */
    public static ItemKey cliNameItem(String slug, String cliName) {
        return new ItemKey(workspace(slug), cliName(cliName));
    }

    /** A replayable result of a create, per caller and Idempotency-Key: PK. */
    public static String idempotency(String userId, String key) {
        return "IDEMPOTENCY#" + userId + "#" + key;
    }
}
