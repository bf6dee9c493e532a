package dev.atelier.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * One concern of {@link AtelierStack} (data, identity, API, portal, first administrator, image
 * builds): a construct that groups the resources of that concern.
 *
 * <p>A part does not show in the logical ids or generated names of what it holds: the stack held
 * its resources directly before it was split into parts, and a resource whose logical id changes
 * is replaced on the next deployment (a new table, a new bucket, a new user pool). So ids are
 * worked out as if every part were left out of the path, with CDK's own algorithm (see
 * {@link #flatUniqueId}); {@link AtelierStack} allocates logical ids that way.
 */
abstract class StackPart extends Construct {

    private static final String HIDDEN_ID = "Default";
    private static final String HIDDEN_FROM_HUMAN_ID = "Resource";
    private static final int HASH_LENGTH = 8;
    private static final int MAX_HUMAN_LENGTH = 240;
    private static final int MAX_ID_LENGTH = 255;

    StackPart(Construct scope, String id) {
        super(scope, id);
    }

    /** A log group of this part, kept one month and deleted with the stack. */
    LogGroup logGroup(String id) {
        return LogGroup.Builder.create(this, id)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    /** The logical id CDK would give the element if no part stood between it and its stack. */
    static String flatLogicalId(CfnElement element) {
        List<IConstruct> scopes = element.getNode().getScopes();
        return flatUniqueId(withoutParts(scopes.subList(scopes.indexOf(Stack.of(element)) + 1, scopes.size())));
    }

    /**
     * {@code Names.uniqueId} of a construct as if no part stood in its path: what CDK derives
     * physical names and ids from (CloudFront function names, origin ids, event source ids).
     */
    static String flatUniqueId(IConstruct construct) {
        List<IConstruct> scopes = construct.getNode().getScopes();
        return flatUniqueId(withoutParts(scopes.subList(1, scopes.size())));
    }

    /**
     * What {@link #flatUniqueId(IConstruct)} gives a construct that would sit at
     * {@code childIds} below this part: for ids and names that must be set before it exists.
     */
    String flatUniqueIdBelow(String... childIds) {
        List<IConstruct> scopes = getNode().getScopes();
        List<String> path = new ArrayList<>(withoutParts(scopes.subList(1, scopes.size())));
        path.addAll(List.of(childIds));
        return flatUniqueId(path);
    }

    private static List<String> withoutParts(List<IConstruct> scopes) {
        return scopes.stream().filter(scope -> !(scope instanceof StackPart)).map(scope -> scope.getNode().getId()).toList();
    }

    /** CDK's {@code makeUniqueId}: the readable path plus eight hex digits of the MD5 of the full path. */
    static String flatUniqueId(List<String> components) {
        List<String> path = components.stream().filter(id -> !HIDDEN_ID.equals(id)).toList();
        if (path.isEmpty()) {
            throw new IllegalArgumentException("Unable to calculate a unique id for an empty path");
        }
        if (path.size() == 1) {
            String candidate = alphanumeric(path.get(0));
            if (candidate.length() <= MAX_ID_LENGTH) {
                return candidate;
            }
        }
        StringBuilder human = new StringBuilder();
        String previous = null;
        for (String id : path) {
            // CDK drops a component that its predecessor already ends with (ApiFunction/Function).
            boolean duplicate = previous != null && previous.endsWith(id);
            if (!duplicate) {
                previous = id;
                if (!HIDDEN_FROM_HUMAN_ID.equals(id)) {
                    human.append(alphanumeric(id));
                }
            }
        }
        String readable = human.length() > MAX_HUMAN_LENGTH ? human.substring(0, MAX_HUMAN_LENGTH) : human.toString();
        return readable + md5(String.join("/", path)).substring(0, HASH_LENGTH).toUpperCase();
    }

    private static String alphanumeric(String id) {
        return id.replaceAll("[^A-Za-z0-9]", "");
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
