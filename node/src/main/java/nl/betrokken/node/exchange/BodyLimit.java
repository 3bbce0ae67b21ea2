package nl.betrokken.node.exchange;

import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.HttpServerConfiguration;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.Problems;

/**
 * The node's request limit ({@code micronaut.server.max-request-size}, 8 MB) is there for one body only: a message to
 * the other side of a match with its file ({@code POST /api/v1/matches/{id}/messages}, the werkplek's form for it,
 * {@code POST /werkplek/matches/{id}/berichten}, and its delivery, {@code POST /federation/v1/messages}). Every other
 * request that says it is longer than {@value #LIMIT} bytes, or that sends its body in chunks without saying how long
 * it is, is refused with 413 before it is read, whoever sends it (also before any sign-in is checked). The werkplek's
 * message form over the node's limit is sent back to the match page, which shows the error at the file field.
 */
@ServerFilter("/**")
final class BodyLimit {

    /** The most any other body may hold: far above what any other request's fields allow. */
    static final long LIMIT = 64 * 1024;
    private static final Pattern MESSAGES = Pattern.compile(
            "/api/v1/matches/[^/]{1,64}/messages|/federation/v1/messages|/werkplek/matches/[^/]{1,64}/berichten");
    private static final Pattern WERKPLEK = Pattern.compile("/werkplek/matches/([0-9a-fA-F-]{36})/berichten");

    private final long maxRequestSize;

    BodyLimit(HttpServerConfiguration server) {
        this.maxRequestSize = server.getMaxRequestSize();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> limit(HttpRequest<?> request) {
        long length = request.getContentLength();
        boolean chunked = length < 0 && request.getHeaders().contains(io.micronaut.http.HttpHeaders.TRANSFER_ENCODING);
        Matcher werkplek = WERKPLEK.matcher(request.getPath());
        if (request.getMethod() == HttpMethod.POST && werkplek.matches() && (length > maxRequestSize || chunked)) {
            // The werkplek's message form with a file over the node's limit: the server would not read it (a browser
            // would wait for an answer); the match page instead, with the error at the file field.
            return HttpResponse.seeOther(URI.create("/werkplek/matches/" + werkplek.group(1)
                    + "?bestand=te-groot#berichten"));
        }
        if (length <= LIMIT && !chunked
                || request.getMethod() == HttpMethod.POST && MESSAGES.matcher(request.getPath()).matches()) {
            return null;
        }
        Problem problem = new Problem(Problems.TYPE_BASE + "request-entity-too-large", "Request Entity Too Large",
                HttpStatus.REQUEST_ENTITY_TOO_LARGE.getCode(), "the body is longer than " + LIMIT / 1024
                + " KB; only a message to a match may be longer", List.of(new Problem.Violation("body", "is too long")));
        return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).contentType(MediaType.of("application/problem+json"))
                .body(problem);
    }
}
