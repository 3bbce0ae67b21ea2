package nl.betrokken.node.signal;

import java.time.LocalDate;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/signals}: who the signal is about, the legal ground (Jeugdwet 7.1.4.1, a–l), and whether the
 * parents were informed (on a date) or why not. Rules that need the clock or the elfproef are checked by
 * {@link SignalService}; this record checks shape.
 */
@Serdeable
public record RegisterSignalRequest(
        @NotNull @Valid Youth youth,
        @Nullable @Size(max = 4) List<@NotNull @Valid Parent> parents,
        @NotNull @Pattern(regexp = "[a-l]", message = "must be one of the legal grounds a to l") String ground,
        @NotNull @Valid ParentsInformed parentsInformed) {

    /** The youth. Personal data: never printed. */
    @Serdeable
    public record Youth(
            @NotNull @Pattern(regexp = "[0-9]{9}", message = "must be exactly 9 digits") String bsn,
            @NotNull LocalDate birthDate,
            @NotBlank @Size(max = 200) String name) {
        @Override
        public String toString() {
            return "Youth[redacted]";
        }
    }

    /** A parent, known by BSN only. Personal data: never printed. */
    @Serdeable
    public record Parent(@NotNull @Pattern(regexp = "[0-9]{9}", message = "must be exactly 9 digits") String bsn) {
        @Override
        public String toString() {
            return "Parent[redacted]";
        }
    }

    /** Exactly one of: the day the parents were informed, or why they were not (the Meldcode exception). */
    @Serdeable
    public record ParentsInformed(@Nullable LocalDate on, @Nullable @Size(min = 1, max = 500) String notInformedReason) {
        @Override
        public String toString() {
            return "ParentsInformed[" + (on != null ? "on" : "reason") + "]";
        }
    }

    public List<Parent> parentsOrEmpty() {
        return parents == null ? List.of() : parents;
    }
}
