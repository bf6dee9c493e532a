package dev.atelier.member;

import dev.atelier.audit.AuditLog;
import dev.atelier.store.TransactionPart;
import dev.atelier.store.WriteRefusedException;
import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Workspaces;
import dev.atelier.web.Page;
import dev.atelier.workspace.MemberItem;
import dev.atelier.workspace.WorkspaceItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.atelier.testing.Workspaces.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The invitation store's conditional writes, against the engine's DynamoDB: each refusal is named. */
class InvitationStoreTest extends AppUnderTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant EXPIRES = CREATED.plus(InvitationService.LIFETIME);

    private static InvitationStore store;
    private static AuditLog audit;

    @BeforeAll
    static void start() {
        store = app.context().getBean(InvitationStore.class);
        audit = app.context().getBean(AuditLog.class);
    }

    @Test
    void accept_shouldBeRefusedAsUsed_whenTheInvitationWasAcceptedAlready() {
        // GIVEN an invitation accepted once
        WorkspaceItem workspace = workspaces.workspace(workspaces.create().slug());
        InvitationItem invitation = created(workspace, "2026-12-01T10:00:00Z");
        store.accept(invitation, member(workspace, "first"), workspace.version(), CREATED.plusSeconds(60), entry(workspace));

        // WHEN another user accepts it with what they read before that
        WriteRefusedException refused = catchThrowableOfType(WriteRefusedException.class, () -> store.accept(
                invitation, member(workspace, "second"), workspace.version(), CREATED.plusSeconds(61), entry(workspace)));

        // THEN the write is refused as used (the pending-status condition); the invitation stays the first user's
        assertThat(refused.refusals()).containsExactly(InvitationStore.Refused.INVITATION_USED);
        assertThat(store.read(invitation.tokenHash(), workspace.slug()).invitation().acceptedBy()).startsWith("first-");
    }

    @Test
    void accept_shouldBeRefusedAsUsed_whenItExpiredBeforeTheWrite() {
        // GIVEN a pending invitation
        WorkspaceItem workspace = workspaces.workspace(workspaces.create().slug());
        InvitationItem invitation = created(workspace, "2026-12-01T10:00:00Z");

        // WHEN it is accepted at the very instant it expires
        WriteRefusedException refused = catchThrowableOfType(WriteRefusedException.class, () -> store.accept(
                invitation, member(workspace, "late"), workspace.version(), EXPIRES, entry(workspace)));

        // THEN the expiry condition (expiresAt > now) refuses it, and it stays pending
        assertThat(refused.refusals()).containsExactly(InvitationStore.Refused.INVITATION_USED);
        assertThat(store.read(invitation.tokenHash(), workspace.slug()).invitation().status())
                .isEqualTo(InvitationItem.PENDING);
    }

    @Test
    void accept_shouldBeRefusedAsAlreadyMember_andLeaveTheInvitationPending() {
        // GIVEN a pending invitation and a user who already is a member (the workspace's owner)
        Workspaces.Workspace ws = workspaces.create();
        WorkspaceItem workspace = workspaces.workspace(ws.slug());
        InvitationItem invitation = created(workspace, "2026-12-01T10:00:00Z");
        MemberItem owner = new MemberItem(workspace.slug(), ws.owner().id(), ws.owner().email(), MemberItem.MEMBER,
                CREATED.toString(), workspace.id(), workspace.name(), workspace.createdAt(), List.of(), List.of(), 1);

        // WHEN that user accepts it
        WriteRefusedException refused = catchThrowableOfType(WriteRefusedException.class, () -> store.accept(
                invitation, owner, workspace.version(), CREATED.plusSeconds(60), entry(workspace)));

        // THEN the refusal says they are a member already; nothing was written
        assertThat(refused.refusals()).containsExactly(InvitationStore.Refused.ALREADY_MEMBER);
        assertThat(store.read(invitation.tokenHash(), workspace.slug()).invitation().status())
                .isEqualTo(InvitationItem.PENDING);
    }

    @Test
    void create_shouldBeRefusedAsWorkspaceChanged_whenTheWorkspaceDoesNotExist() {
        // GIVEN a slug no workspace holds
        String slug = unique("gone");
        InvitationItem invitation = invitation(slug, null, "2026-12-01T10:00:00Z");

        // WHEN an invitation to it is created
        WriteRefusedException refused = catchThrowableOfType(WriteRefusedException.class,
                () -> store.create(invitation, audit.entry(slug, "someone", "invitation.create", "invitation:x", null, null)));

        // THEN the workspace check refuses it and no invitation is left
        assertThat(refused.refusals()).containsExactly(InvitationStore.Refused.WORKSPACE_CHANGED);
        assertThat(store.read(invitation.tokenHash(), slug).invitation()).isNull();
    }

    @Test
    void page_shouldListTheWorkspacesInvitationsOldestFirst_acrossPages() {
        // GIVEN three invitations to one workspace, created at different times
        WorkspaceItem workspace = workspaces.workspace(workspaces.create().slug());
        InvitationItem second = created(workspace, "2026-12-01T11:00:00Z");
        InvitationItem first = created(workspace, "2026-12-01T10:00:00Z");
        InvitationItem third = created(workspace, "2026-12-01T12:00:00Z");

        // WHEN they are listed two at a time
        Page<InvitationItem> one = store.page(workspace.slug(), 2, null);
        Page<InvitationItem> two = store.page(workspace.slug(), 2, one.nextCursor());

        // THEN the pages hold them oldest first, each once
        assertThat(one.items()).extracting(InvitationItem::id).containsExactly(first.id(), second.id());
        assertThat(two.items()).extracting(InvitationItem::id).containsExactly(third.id());
    }

    private static InvitationItem created(WorkspaceItem workspace, String createdAt) {
        InvitationItem invitation = invitation(workspace.slug(), workspace.id(), createdAt);
        store.create(invitation, entry(workspace));
        return invitation;
    }

    private static InvitationItem invitation(String slug, String workspaceId, String createdAt) {
        return new InvitationItem(UUID.randomUUID().toString(), UUID.randomUUID().toString(), slug, workspaceId,
                unique("invitee") + "@example.com", "inviter", createdAt,
                Instant.parse(createdAt).plus(InvitationService.LIFETIME).toString(), InvitationItem.PENDING, null, 0);
    }

    private static MemberItem member(WorkspaceItem workspace, String name) {
        return new MemberItem(workspace.slug(), unique(name), name + "@example.com", MemberItem.MEMBER,
                CREATED.toString(), workspace.id(), workspace.name(), workspace.createdAt(), List.of(), List.of(), 1);
    }

    private static TransactionPart entry(WorkspaceItem workspace) {
        return audit.entry(workspace.slug(), "tester", "invitation.test", "invitation:test", null, null);
    }
}
