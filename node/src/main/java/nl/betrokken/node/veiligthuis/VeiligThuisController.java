package nl.betrokken.node.veiligthuis;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/**
 * {@code POST /api/v1/veilig-thuis/lookups} (role {@code VEILIG_THUIS}): a Veilig Thuis worker looks up a youth by BSN
 * in every region, with a reason ({@link VeiligThuisLookups}). Others are refused (403).
 */
@Controller("/api/v1/veilig-thuis/lookups")
@Tag(name = "veilig-thuis")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class VeiligThuisController {

    private final VeiligThuisLookups lookups;

    VeiligThuisController(VeiligThuisLookups lookups) {
        this.lookups = lookups;
    }

    /** The youth's BSN and why Veilig Thuis looks them up. Personal data: never printed. */
    @Serdeable
    record LookupRequest(@Nullable String bsn, @Nullable String reason) {
        @Override
        public String toString() {
            return "LookupRequest[redacted]";
        }
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Unavailable
    @Post
    @Secured("VEILIG_THUIS")
    @Operation(summary = "Look up a youth by BSN in every region, with a reason (10 to 500 characters)",
            description = "Answers the signals about the youth, active, ended and archived, each with its region,"
                    + " organisation, professional and contact data, registration date, status and active-until date;"
                    + " never the legal ground. Regions that did not answer are named in unavailable. Each answering"
                    + " node logs the look-up with the reason, held back from the parents until its gemeente releases"
                    + " it. 400 naming bsn or reason; 503 when the coordinator cannot be reached.")
    VeiligThuisItem.Page lookUp(Authentication user, @Body LookupRequest request) {
        return lookups.lookUp(user.getName(), request.bsn(), request.reason());
    }
}
