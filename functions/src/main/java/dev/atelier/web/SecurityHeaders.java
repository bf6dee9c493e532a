package dev.atelier.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security headers every answer of the portal and the API carries, in one place: the local
 * server sends them itself and the CDK stack gives the same values to CloudFront's response
 * headers policy, so the portal is as strict on a laptop as in AWS.
 * <p>The portal loads scripts, styles and images only from its own origin and runs no inline
 * script: an injected {@code <script>} or {@code onerror=} attribute does not run, which is what
 * keeps the bearer token (in the page's storage) out of reach of injected markup.
 */
public final class SecurityHeaders {

    /**
     * Scripts, styles, fetches and images from the portal's own origin only; no inline script,
     * style attribute, {@code javascript:} URL or eval; no HTML written from strings; never framed.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            // The portal writes no HTML from strings (API data goes in with textContent): the DOM's
            // HTML and script sinks (innerHTML, insertAdjacentHTML, script text, eval) refuse
            // strings, where browsers know Trusted Types, and no page may make a policy to pass them.
            "require-trusted-types-for 'script'",
            "trusted-types 'none'");

    /** Two years, subdomains included: the portal is only ever served over HTTPS in AWS. */
    public static final int HSTS_MAX_AGE_SECONDS = 63_072_000;
    public static final String STRICT_TRANSPORT_SECURITY = "max-age=" + HSTS_MAX_AGE_SECONDS + "; includeSubDomains";
    public static final String REFERRER_POLICY = "same-origin";
    public static final String CONTENT_TYPE_OPTIONS = "nosniff";
    public static final String FRAME_OPTIONS = "DENY";

    private SecurityHeaders() { }

    /** Every header, by name, in a stable order. */
    public static Map<String, String> all() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        headers.put("X-Content-Type-Options", CONTENT_TYPE_OPTIONS);
        headers.put("Referrer-Policy", REFERRER_POLICY);
        headers.put("X-Frame-Options", FRAME_OPTIONS);
        return headers;
    }
}
