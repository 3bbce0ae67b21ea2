package nl.betrokken.node.staff;

import java.net.URI;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
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

/** The instellingscoördinator keeps the organisation's professionals: list, add, change contact, deactivate, log. */
@Controller("/api/v1/staff")
@Secured("COORDINATOR")
@Tag(name = "staff")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class StaffController {

    private final StaffService staff;

    StaffController(StaffService staff) {
        this.staff = staff;
    }

    /** For the organisation's instellingscoördinator. */
    @Get
    @Operation(summary = "The accounts of the caller's organisation")
    StaffMember.Page list(Authentication user) {
        return new StaffMember.Page(staff.list(caller(user)));
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Conflict
    @Post
    @Operation(summary = "Add a professional (or coördinator) to the caller's organisation",
            description = "409 naming username when the username is taken at this node.")
    HttpResponse<StaffMember> add(Authentication user, @Body @Valid NewStaffMember request) {
        StaffMember added = staff.add(caller(user), request);
        return HttpResponse.<StaffMember>status(HttpStatus.CREATED).body(added)
                .headers(h -> h.location(URI.create("/api/v1/staff/" + added.username())));
    }

    /** For the organisation's instellingscoördinator, for an account of the organisation. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Patch("/{username}")
    @Operation(summary = "Change display name, e-mail or phone; the other side of open matches sees the new contact")
    StaffMember change(Authentication user, @PathVariable String username, @Body @Valid ContactUpdate update) {
        return staff.changeContact(caller(user), username, update);
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/{username}/deactivate")
    @Operation(summary = "Deactivate one who leaves, handing signals and open matches to a colleague in one step",
            description = "409 naming handOverTo when the leaver has signals and no colleague is named, or the"
                    + " colleague is inactive; 400 naming handOverTo for oneself or someone outside the organisation.")
    StaffMember deactivate(Authentication user, @PathVariable String username, @Body @Valid Deactivation request) {
        return staff.deactivate(caller(user), username, request.handOverTo());
    }

    /** For the organisation's instellingscoördinator. */
    @Get("/changes")
    @Operation(summary = "Who changed which account of the organisation, when and how (newest first)")
    StaffChange.Page changes(Authentication user) {
        return new StaffChange.Page(staff.changes(caller(user)));
    }

    private static StaffService.Caller caller(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return new StaffService.Caller(user.getName(), organisation.toString());
    }
}
