package dev.atelier.identity;

import dev.atelier.audit.AuditLog;
import dev.atelier.store.Keys;
import dev.atelier.web.Cursors;
import dev.atelier.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

/** {@code GET /api/v1/audit}: the site's own audit log (users created, tokens issued to others). */
@Controller("/api/v1/audit")
public class SiteAuditController {

    private final AuditLog audit;

    public SiteAuditController(AuditLog audit) {
        this.audit = audit;
    }

    @Get
    public Page<AuditLog.Entry> list(Caller caller, @QueryValue @Nullable String limit,
                                     @QueryValue @Nullable String cursor) {
        UserService.requireSiteAdmin(caller);
        return audit.list(Keys.SITE_AUDIT, Cursors.limit(limit), cursor);
    }
}
