package dev.atelier.member;

import dev.atelier.facts.RequestFacts;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;

/** {@code /api/v1/workspaces/{slug}/members|groups|invitations}. */
@Controller("/api/v1/workspaces/{slug}")
public class MemberController {

    private final MemberService members;
    private final GroupService groups;
    private final InvitationService invitations;

    public MemberController(MemberService members, GroupService groups, InvitationService invitations) {
        this.members = members;
        this.groups = groups;
        this.invitations = invitations;
    }

    @Get("/members")
    public Page<MemberView> members(RequestFacts facts, @PathVariable String slug,
                                    @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
        return members.list(facts, Cursors.limit(limit), cursor);
    }

    @Get("/members/{userId}")
    public HttpResponse<MemberView> member(RequestFacts facts, @PathVariable String slug, @PathVariable String userId) {
        MemberView member = members.get(facts, userId);
        return HttpResponse.ok(member).header(HttpHeaders.ETAG, member.etag());
    }

    @Put("/members/{userId}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<MemberView> setActions(RequestFacts facts, @PathVariable String slug,
                                               @PathVariable String userId, @Body @Nullable String body,
                                               @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        MemberView member = members.setActions(facts, userId, body, ifMatch);
        return HttpResponse.ok(member).header(HttpHeaders.ETAG, member.etag());
    }

    @Delete("/members/{userId}")
    public HttpResponse<Void> remove(RequestFacts facts, @PathVariable String slug, @PathVariable String userId) {
        members.remove(facts, userId);
        return HttpResponse.noContent();
    }

    @Post("/groups")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<GroupView> createGroup(RequestFacts facts, @PathVariable String slug, @Body @Nullable String body,
                                               @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        GroupService.Created created = groups.create(facts, body, idempotencyKey);
        return HttpResponse.created(created.group()).header(HttpHeaders.LOCATION, created.location())
                .header(HttpHeaders.ETAG, created.group().etag());
    }

    @Get("/groups")
    public Page<GroupView> groups(RequestFacts facts, @PathVariable String slug,
                                  @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
        return groups.list(facts, Cursors.limit(limit), cursor);
    }

    @Get("/groups/{groupId}")
    public HttpResponse<GroupView> group(RequestFacts facts, @PathVariable String slug, @PathVariable String groupId) {
        GroupView group = groups.get(facts, groupId);
        return HttpResponse.ok(group).header(HttpHeaders.ETAG, group.etag());
    }

    @Put("/groups/{groupId}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<GroupView> setGroupMembers(RequestFacts facts, @PathVariable String slug,
                                                   @PathVariable String groupId, @Body @Nullable String body,
                                                   @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch) {
        GroupView group = groups.setMembers(facts, groupId, body, ifMatch);
        return HttpResponse.ok(group).header(HttpHeaders.ETAG, group.etag());
    }

    @Delete("/groups/{groupId}")
    public HttpResponse<Void> deleteGroup(RequestFacts facts, @PathVariable String slug, @PathVariable String groupId) {
        groups.delete(facts, groupId);
        return HttpResponse.noContent();
    }

    @Post("/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<InvitationView> invite(RequestFacts facts, @PathVariable String slug, @Body @Nullable String body) {
        return HttpResponse.created(invitations.invite(facts, body));
    }

    @Get("/invitations")
    public Page<InvitationView> invitations(RequestFacts facts, @PathVariable String slug,
                                            @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
        return invitations.list(facts, Cursors.limit(limit), cursor);
    }
}
