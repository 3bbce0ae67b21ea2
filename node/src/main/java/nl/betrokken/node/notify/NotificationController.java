package nl.betrokken.node.notify;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/**
 * What became of the notifications: the instellingscoördinator sees the failed deliveries to the organisation's
 * professionals, to correct their contact data; the gemeente sees the region's delivery figures, without identities.
 */
@Controller("/api/v1/notifications")
@Tag(name = "notifications")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class NotificationController {

    /** A period longer than this is refused: the figures are for months and years, not decades. */
    static final int MAX_DAYS = 3700;

    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    @Get("/failures")
    @Secured("COORDINATOR")
    @Operation(summary = "Failed e-mail to the professionals of the caller's organisation",
            description = "Bounced, refused, or given up after every retry (FAILED), and still failing (RETRYING),"
                    + " newest first, each with the address tried and why.")
    FailureView.Page failures(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return new FailureView.Page(notifications.failures(organisation.toString()));
    }

    /** For a gemeente; from and to are days (YYYY-MM-DD), to not before from (400 naming the field). */
    @ProblemAnswers.BadRequest
    @Get("/stats")
    @Secured("GEMEENTE")
    @Operation(summary = "The region's notification figures for the days from..to (both included)")
    StatsView stats(@QueryValue @Nullable String from, @QueryValue @Nullable String to) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (end.isBefore(start)) {
            throw Problems.invalidField("to", "must not be before from");
        }
        if (start.plusDays(MAX_DAYS).isBefore(end)) {
            throw Problems.invalidField("to", "must be at most " + MAX_DAYS + " days after from");
        }
        StatsView.Counts counts = notifications.counts(start.atStartOfDay(ClockFactory.ZONE).toInstant(),
                end.plusDays(1).atStartOfDay(ClockFactory.ZONE).toInstant());
        return new StatsView(start, end, counts.notifications(), counts.email(), counts.webhook());
    }

    private static LocalDate date(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw Problems.invalidField(field, "is required (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalidField(field, "must be a date YYYY-MM-DD");
        }
    }
}
