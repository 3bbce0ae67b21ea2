package nl.betrokken.node.inzage;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.node.account.Citizens;
import nl.betrokken.problem.Problems;

/** {@code GET /api/v1/citizen/signals}: the signed-in parent's or youth's inzage, across every region. */
@Controller("/api/v1/citizen")
@Secured("CITIZEN")
@Tag(name = "citizen")
@ExecuteOn(TaskExecutors.BLOCKING)
class CitizenController {

    private final CitizenInzage inzage;

    CitizenController(CitizenInzage inzage) {
        this.inzage = inzage;
    }

    @Get("/signals")
    @Operation(summary = "Every signal the signed-in person may see, in every region; the regions that did not answer")
    InzageItem.Page signals(Authentication user) {
        return inzage.signals(Citizens.bsn(user).orElseThrow(() -> Problems.forbidden("only a citizen has an inzage")));
    }
}
