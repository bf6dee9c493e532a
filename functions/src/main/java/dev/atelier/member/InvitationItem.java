package dev.atelier.member;

import dev.atelier.workspace.WorkspaceItem;
import io.micronaut.core.annotation.Nullable;
import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.time.Instant;

/**
 * An invitation to join a workspace, found by the SHA-256 of its token (never the token) and
 * listed per workspace through GSI1.
 *
 * @param workspaceId the id of the workspace invited to: a workspace deleted and created again
 *                    under the same slug is another workspace, which the invitation is not for
 *                    (null on invitations written before it was recorded)
 * @param status {@code pending} until accepted (then {@code accepted})
 * @param ttl    removed by DynamoDB a while after it expired
 */
public record InvitationItem(String tokenHash, String id, String slug, @Nullable String workspaceId, String email,
                             String invitedBy,
                             String createdAt, String expiresAt, String status, String acceptedBy, long ttl) {

    public static final String PENDING = "pending";
    public static final String ACCEPTED = "accepted";

    public static final TableSchema<InvitationItem> SCHEMA = ItemSchema.<InvitationItem>of(InvitationItem.class,
                    v -> new InvitationItem(v.get("tokenHash"), v.get("id"), v.get("slug"), v.get("workspaceId"), v.get("email"),
                            v.get("invitedBy"), v.get("createdAt"), v.get("expiresAt"), v.get("status"),
                            v.get("acceptedBy"), v.number(TableDefinition.TTL_ATTRIBUTE)),
                    i -> Keys.invitation(i.tokenHash()), i -> Keys.INVITATION)
            .gsi1(i -> Keys.invitationsOf(i.slug()), i -> Keys.invitationInList(i.createdAt(), i.id()))
            .string("tokenHash", InvitationItem::tokenHash)
            .string("id", InvitationItem::id)
            .string("slug", InvitationItem::slug)
            .string("workspaceId", InvitationItem::workspaceId)
            .string("email", InvitationItem::email)
            .string("invitedBy", InvitationItem::invitedBy)
            .string("createdAt", InvitationItem::createdAt)
            .string("expiresAt", InvitationItem::expiresAt)
            .string("status", InvitationItem::status)
            .string("acceptedBy", InvitationItem::acceptedBy)
            .number(TableDefinition.TTL_ATTRIBUTE, InvitationItem::ttl)
            .build();

    /** Whether it invites to {@code workspace} rather than to an earlier workspace of the same slug. */
    public boolean invitesTo(WorkspaceItem workspace) {
        return workspaceId == null || workspaceId.equals(workspace.id());
    }

    public boolean usableAt(Instant now) {
        return PENDING.equals(status) && now.isBefore(Instant.parse(expiresAt));
    }
}
