package dev.atelier.access;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Workspace-wide toggles a member holds, each granted separately; a new member holds none. */
public enum Action {
    WORKSTATIONS_VIEW("workstations.view"),
    WORKSTATIONS_RESTART("workstations.restart"),
    WORKSTATIONS_STOP("workstations.stop"),
    WORKSTATIONS_CONNECT("workstations.connect"),
    WORKSTATIONS_DELETE("workstations.delete"),
    IMAGES_MANAGE("images.manage"),
    LOGS_VIEW("logs.view"),
    IDE_OPEN("ide.open"),
    SETTINGS_MANAGE("settings.manage"),
    MEMBERS_MANAGE("members.manage");

    private static final Map<String, Action> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(Action::wireName, Function.identity()));

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the API, e.g. {@code workstations.view}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<Action> parse(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
