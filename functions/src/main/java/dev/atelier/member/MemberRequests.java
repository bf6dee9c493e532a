package dev.atelier.member;

import dev.atelier.access.Action;
import dev.atelier.web.EchoedFields;
import dev.atelier.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the bodies that change a member's actions and a group's members. Each may be what GET
 * answered with its changes: the read-only fields it carries are checked against the member or
 * group once read ({@link EchoedFields#check}).
 */
final class MemberRequests {

    /** What {@link MemberView} shows besides {@code actions}. */
    static final Set<String> MEMBER_READ_ONLY = Set.of("userId", "email", "role", "groups", "joinedAt", "etag");
    /** What {@link GroupView} shows besides {@code userIds}. */
    static final Set<String> GROUP_READ_ONLY = Set.of("id", "name", "createdAt", "etag");

    private MemberRequests() { }

    /** A member's actions (sorted, without duplicates), and the read-only fields sent with them. */
    record Actions(List<String> actions, EchoedFields echoed) { }

    /** A group's members in the order given, and the read-only fields sent with them. */
    record GroupMembers(List<String> userIds, EchoedFields echoed) { }

    /** @throws dev.atelier.web.ApiException 400 naming each invalid field */
    static Actions actions(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("actions"), MEMBER_READ_ONLY);
        List<String> values = body.requiredStrings("actions");
        Set<String> actions = new TreeSet<>();
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                String name = values.get(i);
                if (name == null || Action.parse(name).isEmpty()) {
                    body.reject("actions[" + i + "]", "is not an action; one of " + actionNames());
                } else {
                    actions.add(name);
                }
            }
        }
        body.validate();
        return new Actions(new ArrayList<>(actions), body.echoed());
    }

    /** @throws dev.atelier.web.ApiException 400 naming each invalid field */
    static GroupMembers groupMembers(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("userIds"), GROUP_READ_ONLY);
        List<String> userIds = body.requiredStrings("userIds");
        body.validate();
        return new GroupMembers(userIds, body.echoed());
    }

    static String actionNames() {
        return String.join(", ", Arrays.stream(Action.values()).map(Action::wireName).toList());
    }
}
