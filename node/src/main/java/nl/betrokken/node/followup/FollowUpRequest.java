package nl.betrokken.node.followup;

import java.time.LocalDate;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code PUT /api/v1/matches/{matchId}/follow-up}: one of {@code {"outcome": "CONTACT_MADE", "on": date}},
 * {@code {"outcome": "NOT_NEEDED", "reason": …, "note": …}} or {@code {"outcome": "TAKES_REGIE"}}. Which fields go
 * with which outcome, and the dates, are checked by {@link FollowUps}. The note is free text that stays at this
 * node; it must not name anyone, so it is never printed.
 */
@Serdeable
public record FollowUpRequest(
        @NotBlank @Pattern(regexp = "CONTACT_MADE|NOT_NEEDED|TAKES_REGIE",
                message = "must be CONTACT_MADE, NOT_NEEDED or TAKES_REGIE") String outcome,
        @Nullable LocalDate on,
        @Nullable @Pattern(regexp = "ALREADY_IN_CONTACT|NO_LONGER_INVOLVED|OTHER",
                message = "must be ALREADY_IN_CONTACT, NO_LONGER_INVOLVED or OTHER") String reason,
        @Nullable @Size(min = 1, max = 200) String note) {

    @Override
    public String toString() {
        return "FollowUpRequest[" + outcome + "]";
    }
}
