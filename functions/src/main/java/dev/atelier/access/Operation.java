package dev.atelier.access;

import io.micronaut.core.annotation.Nullable;

/**
 * Everything a caller can ask to do inside a workspace, with what it needs (API.md, "The access
 * model"). Workspace operations need membership and, where named, an action or ownership;
 * resource operations need a level on the resource and, where named, an action.
 */
public enum Operation {
    // The workspace itself
    WORKSPACE_READ(Need.MEMBER, null, null, null),
    WORKSPACE_UPDATE(Need.ACTION, null, null, Action.SETTINGS_MANAGE),
    WORKSPACE_DELETE(Need.OWNER, null, null, null),
    SETTINGS_READ(Need.ACTION, null, null, Action.SETTINGS_MANAGE),
    MEMBERS_READ(Need.MEMBER, null, null, null),
    MEMBERS_MANAGE(Need.ACTION, null, null, Action.MEMBERS_MANAGE),
    PERMISSIONS_PREVIEW(Need.ACTION, null, null, Action.MEMBERS_MANAGE),
    AUDIT_READ(Need.OWNER, null, null, null),

    // Workstation definitions
    DEFINITION_CREATE(Need.ACTION, null, null, Action.IMAGES_MANAGE),
    DEFINITION_READ(Need.LEVEL, ResourceKind.DEFINITION, Level.READ, null),
    DEFINITION_WRITE(Need.LEVEL, ResourceKind.DEFINITION, Level.WRITE, null),
    DEFINITION_REBUILD(Need.LEVEL, ResourceKind.DEFINITION, Level.OPERATE, null),
    DEFINITION_LAUNCH(Need.LEVEL, ResourceKind.DEFINITION, Level.ACCESS, null),
    DEFINITION_PROMOTE(Need.LEVEL, ResourceKind.DEFINITION, Level.PROMOTE, null),
    DEFINITION_LOGS(Need.LEVEL, ResourceKind.DEFINITION, Level.READ, Action.LOGS_VIEW),

    // Images
    IMAGE_READ(Need.LEVEL, ResourceKind.IMAGE, Level.READ, null),
    IMAGE_WRITE(Need.LEVEL, ResourceKind.IMAGE, Level.WRITE, null),
    IMAGE_DELETE(Need.LEVEL, ResourceKind.IMAGE, Level.WRITE, Action.IMAGES_MANAGE),
    IMAGE_LAUNCH(Need.LEVEL, ResourceKind.IMAGE, Level.ACCESS, null),
    IMAGE_PROMOTE(Need.LEVEL, ResourceKind.IMAGE, Level.PROMOTE, null),

    // Running workstations
    WORKSTATION_READ(Need.LEVEL, ResourceKind.WORKSTATION, Level.READ, Action.WORKSTATIONS_VIEW),
    WORKSTATION_RESTART(Need.LEVEL, ResourceKind.WORKSTATION, Level.OPERATE, Action.WORKSTATIONS_RESTART),
    WORKSTATION_STOP(Need.LEVEL, ResourceKind.WORKSTATION, Level.OPERATE, Action.WORKSTATIONS_STOP),
    WORKSTATION_CONNECT(Need.LEVEL, ResourceKind.WORKSTATION, Level.ACCESS, Action.WORKSTATIONS_CONNECT),
    WORKSTATION_KEEP_ALIVE(Need.LEVEL, ResourceKind.WORKSTATION, Level.ACCESS, null),
    WORKSTATION_DELETE(Need.LEVEL, ResourceKind.WORKSTATION, Level.OPERATE, Action.WORKSTATIONS_DELETE),
    WORKSTATION_UPDATE(Need.LEVEL, ResourceKind.WORKSTATION, Level.OPERATE, null),
    WORKSTATION_LOGS(Need.LEVEL, ResourceKind.WORKSTATION, Level.READ, Action.LOGS_VIEW),
    WORKSTATION_IDE(Need.LEVEL, ResourceKind.WORKSTATION, Level.READ, Action.IDE_OPEN),
    WORKSTATION_PROMOTE(Need.LEVEL, ResourceKind.WORKSTATION, Level.PROMOTE, null);

    /** What kind of requirement an operation has. */
    public enum Need { MEMBER, ACTION, OWNER, LEVEL }

    private final Need need;
    private final ResourceKind kind;
    private final Level level;
    private final Action action;

    Operation(Need need, @Nullable ResourceKind kind, @Nullable Level level, @Nullable Action action) {
        this.need = need;
        this.kind = kind;
        this.level = level;
        this.action = action;
    }

    public Need need() {
        return need;
    }

    @Nullable
    public ResourceKind kind() {
        return kind;
    }

    @Nullable
    public Level level() {
        return level;
    }

    @Nullable
    public Action action() {
        return action;
    }

    /** The operation that decides whether a resource of this kind is visible at all. */
    public static Operation readOf(ResourceKind kind) {
        return switch (kind) {
            case DEFINITION -> DEFINITION_READ;
            case IMAGE -> IMAGE_READ;
            case WORKSTATION -> WORKSTATION_READ;
        };
    }

    /** The operation that changes a resource's grants. */
    public static Operation promoteOf(ResourceKind kind) {
        return switch (kind) {
            case DEFINITION -> DEFINITION_PROMOTE;
            case IMAGE -> IMAGE_PROMOTE;
            case WORKSTATION -> WORKSTATION_PROMOTE;
        };
    }
}
