package nl.betrokken.coordinator.intake;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/** The internal API by which an enrolled node submits its signals. */
@Controller("/internal/v1/signals")
@Tag(name = "node intake")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class IntakeController {

    private final IntakeService intake;
    private final LifecycleService lifecycle;
    private final Corrections corrections;

    IntakeController(IntakeService intake, LifecycleService lifecycle, Corrections corrections) {
        this.intake = intake;
        this.lifecycle = lifecycle;
        this.corrections = corrections;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Conflict
    @Post
    @Operation(summary = "Submit a batch of pseudonymised signal records (all or none are stored)",
            description = "A record already stored with the same content is a no-op; with other content the batch is"
                    + " refused with 409 naming the record.")
    IntakeResult submit(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @Body @Valid SignalBatch batch) {
        return intake.submit(nodeId, batch);
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Conflict
    @Post("/correct")
    @Operation(summary = "Correct signals submitted before: their period and persons replaced, matches that no longer"
            + " hold withdrawn at both sides, new ones found",
            description = "The same activeFrom and youth (409 naming the field otherwise); the organisation reference"
                    + " stored stays; the same correction again is UNCHANGED, an unknown reference UNKNOWN.")
    IntakeResult correct(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @Body @Valid SignalBatch batch) {
        return corrections.correct(nodeId, batch);
    }

    /**
     * Each signal is archived at once (no more matching) and its active period ends on the given day; an unknown
     * reference is answered UNKNOWN, not refused.
     */
    @ProblemAnswers.BadRequest
    @Post("/end")
    @Operation(summary = "End signals: they stop matching at once and move to the archive; their matches stay")
    LifecycleResult end(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @Body @Valid EndBatch batch) {
        return lifecycle.end(nodeId, batch);
    }

    /**
     * Each signal, its person links and its matches go; both sides of each match get MATCH_WITHDRAWN in their feeds.
     */
    @ProblemAnswers.BadRequest
    @Post("/erase")
    @Operation(summary = "Erase signals (objection upheld): removed, their matches withdrawn and both sides told")
    LifecycleResult erase(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @Body @Valid EraseBatch batch) {
        return lifecycle.erase(nodeId, batch);
    }
}
