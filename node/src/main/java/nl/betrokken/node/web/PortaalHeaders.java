package nl.betrokken.node.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The headers of every portal answer: {@code Cache-Control: no-store} (pages show personal data: no copy in the
 * browser's cache or history), no referrer, no content sniffing. The CSP header comes from micronaut-views' CSP
 * filter (application.yml), with a nonce per answer.
 */
@ServerFilter({"/portaal", "/portaal/**", "/dev/idp/inloggen"})
final class PortaalHeaders {

    @ResponseFilter
    void headers(MutableHttpResponse<?> response) {
        response.header(HttpHeaders.CACHE_CONTROL, "no-store");
        response.header("Referrer-Policy", "no-referrer");
        response.header("X-Content-Type-Options", "nosniff");
    }
}
