package nl.betrokken.node.inzage;

import java.time.LocalDate;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.account.Citizens;
import nl.betrokken.problem.Problems;
import nl.betrokken.node.openapi.CitizenApi;

/**
 * {@code GET /api/v1/citizen/signals}: the signed-in parent's or youth's inzage, across every region;
 * {@code GET /api/v1/citizen/access-log}: its access log as one file to download and verify offline.
 */
@Controller("/api/v1/citizen")
@Secured("CITIZEN")
@Tag(name = "citizen")
@CitizenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class CitizenController {

    private final CitizenInzage inzage;
    private final CitizenAccessLog accessLog;

    CitizenController(CitizenInzage inzage, CitizenAccessLog accessLog) {
        this.inzage = inzage;
        this.accessLog = accessLog;
    }

    /**
     * For the signed-in parent or youth: their own signals from 12, their children's while the child is under 16; a
     * signal held back under the Veilig Thuis exception does not appear. Every read is logged.
     */
    @Get("/signals")
    @Operation(summary = "Every signal the signed-in person may see, in every region; the regions that did not answer")
    InzageItem.Page signals(Authentication user) {
        return inzage.signals(person(user));
    }

    /** For the signed-in parent or youth, as a JSON attachment to verify offline. */
    @Get(value = "/access-log", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The access log of every signal the person may see, with inclusion proofs against checkpoints"
            + " countersigned by the coordinator, as a file (java -jar audit.jar verify-inzage FILE)")
    HttpResponse<String> accessLog(Authentication user) {
        String json = accessLog.json(person(user));
        return HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"toegangslog-"
                        + LocalDate.now(ClockFactory.ZONE) + ".json\"");
    }

    private static Bsn person(Authentication user) {
        return Citizens.bsn(user).orElseThrow(() -> Problems.forbidden("only a citizen has an inzage"));
    }
}
