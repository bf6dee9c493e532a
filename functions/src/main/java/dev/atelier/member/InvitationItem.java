package dev.atelier.member;

import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.time.Instant;

/**
 * An invitation to join a workspace, found by the SHA-256 of its token (never the token) and
 * listed per workspace through GSI1.
 *
 * @param status {@code pending} until accepted (then {@code accepted})
 * @param ttl    removed by DynamoDB a while after it expired
 */
public record InvitationItem(String tokenHash, String id, String slug, String email, String invitedBy,
                             String createdAt, String expiresAt, String status, String acceptedBy, long ttl) {

    public static final String PENDING = "pending";
    public static final String ACCEPTED = "accepted";

    public static final TableSchema<InvitationItem> SCHEMA = ItemSchema.<InvitationItem>of(InvitationItem.class,
                    v -> new InvitationItem(v.get("tokenHash"), v.get("id"), v.get("slug"), v.get("email"),
                            v.get("invitedBy"), v.get("createdAt"), v.get("expiresAt"), v.get("status"),
                            v.get("acceptedBy"), v.number(TableDefinition.TTL_ATTRIBUTE)),
                    i -> Keys.invitation(i.tokenHash()), i -> Keys.INVITATION)
            .gsi1(i -> Keys.invitationsOf(i.slug()), i -> i.createdAt() + "#" + i.id())
            .string("tokenHash", InvitationItem::tokenHash)
            .string("id", InvitationItem::id)
            .string("slug", InvitationItem::slug)
            .string("email", InvitationItem::email)
            .string("invitedBy", InvitationItem::invitedBy)
            .string("createdAt", InvitationItem::createdAt)
            .string("expiresAt", InvitationItem::expiresAt)
            .string("status", InvitationItem::status)
            .string("acceptedBy", InvitationItem::acceptedBy)
            .number(TableDefinition.TTL_ATTRIBUTE, InvitationItem::ttl)
            .build();

    public boolean usableAt(Instant now) {
        return PENDING.equals(status) && now.isBefore(Instant.parse(expiresAt));
    }
}
