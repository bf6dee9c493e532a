package dev.atelier.audit;

import dev.atelier.access.Operation;
import dev.atelier.facts.RequestFacts;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

/** {@code GET /api/v1/workspaces/{slug}/audit}: the workspace's changes, newest first (owner only). */
@Controller("/api/v1/workspaces/{slug}/audit")
public class AuditController {

    private final AuditLog audit;

    public AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @Get
    public Page<AuditLog.Entry> list(RequestFacts facts, @PathVariable String slug,
                                     @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
        RequestFacts.Membership found = facts.require(Operation.AUDIT_READ);
        return audit.list(slug, found.workspace().createdAt(), Cursors.limit(limit), cursor);
    }
}
