package nl.betrokken.node.staff;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
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

/** The signed-in professional's own contact data, as the other side of their matches sees them. */
@Controller("/api/v1/me")
@Secured("PROFESSIONAL")
@Tag(name = "staff")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class OwnContactController {

    private final StaffService staff;

    OwnContactController(StaffService staff) {
        this.staff = staff;
    }

    /** For a professional: the contact data the other side of a match sees. */
    @Get
    @Operation(summary = "The signed-in professional's own account and contact data")
    StaffMember get(Authentication user) {
        return staff.own(self(user));
    }

    @ProblemAnswers.BadRequest
    @Patch
    @Operation(summary = "Change one's own display name, e-mail or phone",
            description = "The same rules as PATCH /api/v1/staff/{username}; the other side of open matches sees the"
                    + " new contact; recorded in the organisation's change log with the professional as actor.")
    StaffMember change(Authentication user, @Body @Valid ContactUpdate update) {
        return staff.changeOwnContact(self(user), update);
    }

    /** The organisation's active professionals: whom a signal can be handed to. */
    @Serdeable
    record Colleagues(List<StaffMember> colleagues) {
    }

    @Get("/colleagues")
    @Operation(summary = "The active professionals of one's own organisation, to hand a signal to",
            description = "Each with their username, name and work contact data, as the other side of their matches"
                    + " sees them; the werkplek's hand-over page shows this list.")
    Colleagues colleagues(Authentication user) {
        return new Colleagues(staff.colleagues(self(user)));
    }

    static StaffService.Caller self(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return new StaffService.Caller(user.getName(), organisation.toString());
    }
}
