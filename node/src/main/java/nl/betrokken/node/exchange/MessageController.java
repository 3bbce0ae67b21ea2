package nl.betrokken.node.exchange;

import java.util.UUID;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/** The messages between the two professionals of a match, for the professionals of this node's signal's organisation. */
@Controller("/api/v1/matches/{matchId}/messages")
@Secured("PROFESSIONAL")
@Tag(name = "exchange")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class MessageController {

    private final Exchanges exchanges;

    MessageController(Exchanges exchanges) {
        this.exchanges = exchanges;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post
    @Operation(summary = "Send information to the counterpart professional of a match",
            description = "Under the match's consent (else 403 problem+json whose type ends in the reason, e.g."
                    + " consent-withdrawn, with a consent member naming the consent), or under the Veilig Thuis"
                    + " exception (exception.reason; the exchange's audit entries are held until the gemeente"
                    + " releases them). An optional file of at most 5 MB, in base64.")
    HttpResponse<MessageView.Sent> send(Authentication user, @PathVariable UUID matchId,
                                        @Body @Valid MessageRequest request) {
        return HttpResponse.created(exchanges.send(caller(user), matchId, request));
    }

    /** For a professional of this side of the match. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get
    @Operation(summary = "The messages of a match, sent and received, oldest first (every read is logged)")
    MessageView.Page list(Authentication user, @PathVariable UUID matchId) {
        return exchanges.list(caller(user), matchId);
    }

    /** For a professional of this side of the match: the file with its own content type. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get(value = "/{messageId}/file", produces = MediaType.ALL)
    @Operation(summary = "The file of a message (the read is logged)")
    HttpResponse<byte[]> file(Authentication user, @PathVariable UUID matchId, @PathVariable UUID messageId) {
        Exchanges.FileContent file = exchanges.file(caller(user), matchId, messageId);
        MediaType type;
        try {
            type = MediaType.of(file.contentType());
        } catch (RuntimeException e) {
            type = MediaType.APPLICATION_OCTET_STREAM_TYPE;
        }
        String name = file.name().replaceAll("[^A-Za-z0-9._ -]", "_");
        return HttpResponse.ok(file.content()).contentType(type)
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("X-Content-Type-Options", "nosniff");
    }

    private static Exchanges.Caller caller(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return new Exchanges.Caller(user.getName(), organisation.toString());
    }
}
