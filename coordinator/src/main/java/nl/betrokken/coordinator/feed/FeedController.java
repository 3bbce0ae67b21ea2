package nl.betrokken.coordinator.feed;

import java.time.Duration;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/** A node's match feed: long-poll from a cursor, then acknowledge. */
@Controller("/internal/v1/feed")
@Tag(name = "node feed")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class FeedController {

    private final FeedService feed;

    FeedController(FeedService feed) {
        this.feed = feed;
    }

    /**
     * Long-poll: answers at once when there are entries after the cursor, else waits up to waitSeconds (at most 60).
     * Unacknowledged entries are served again (at least once), each with a freshly signed match ticket.
     */
    @ProblemAnswers.BadRequest
    @Get
    @Operation(summary = "Entries after the cursor (default: after the acknowledged position), waiting up to"
            + " waitSeconds for one to arrive")
    FeedPage read(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                  @QueryValue @Nullable @PositiveOrZero Long after,
                  @QueryValue(defaultValue = "500") @Min(1) @Max(5000) int limit,
                  @QueryValue(defaultValue = "0") @Min(0) @Max(60) int waitSeconds) throws InterruptedException {
        return feed.read(nodeId, after, limit, Duration.ofSeconds(waitSeconds));
    }

    /** Moves the node's acknowledged position; entries up to it are not served again. 204. */
    @ProblemAnswers.BadRequest
    @Post("/ack")
    @Operation(summary = "Acknowledge every entry up to and including upTo")
    HttpResponse<Void> ack(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @Body @Valid AckRequest ack) {
        feed.ack(nodeId, ack.upTo());
        return HttpResponse.noContent();
    }
}
