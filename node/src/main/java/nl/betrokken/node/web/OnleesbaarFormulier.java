package nl.betrokken.node.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import jakarta.inject.Singleton;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.Problems;

/**
 * A form body that cannot be decoded (a {@code %} not followed by two hex digits, a broken multipart body) is the
 * sender's fault: a 400 problem naming {@code body}, as a JSON body that is no JSON is, instead of the 500 that
 * Micronaut answers to the decoder's exception. Nothing of the form was read, so nothing of it was stored.
 */
@Singleton
@Produces
@Requires(classes = HttpPostRequestDecoder.ErrorDataDecoderException.class)
final class OnleesbaarFormulier
        implements ExceptionHandler<HttpPostRequestDecoder.ErrorDataDecoderException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, HttpPostRequestDecoder.ErrorDataDecoderException e) {
        return HttpResponse.<Problem>status(HttpStatus.BAD_REQUEST)
                .contentType(MediaType.of("application/problem+json"))
                .body(new Problem(Problems.TYPE_BASE + "invalid-request", "Invalid request", 400,
                        "body is not a well-formed form", java.util.List.of(new Problem.Violation("body",
                        "is not a well-formed form"))));
    }
}
