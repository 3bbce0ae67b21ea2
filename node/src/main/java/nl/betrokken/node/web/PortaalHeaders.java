package nl.betrokken.node.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The headers of every portal and werkplek answer: {@code Cache-Control: no-store} (pages show personal data: no copy in the
 * browser's cache or history), no referrer to other sites, no content sniffing. The CSP header comes from micronaut-views' CSP
 * filter (application.yml), with a nonce per answer.
 */
@ServerFilter({"/portaal", "/portaal/**", "/dev/idp/inloggen", "/werkplek", "/werkplek/**", "/dev/werkplek/**"})
final class PortaalHeaders {

    @ResponseFilter
    void headers(MutableHttpResponse<?> response) {
        response.header(HttpHeaders.CACHE_CONTROL, "no-store");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on a form post, which the
        // server's CORS check refuses; other sites get no referrer either way.
        response.header("Referrer-Policy", "same-origin");
        response.header("X-Content-Type-Options", "nosniff");
    }
}
