package nl.betrokken.coordinator.intake;

import java.time.LocalDate;
import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One signal as a node submits it: its own opaque reference, an opaque organisation reference, the active period
 * the node computed, and the pseudonyms of the youth and parents under one or more key epochs.
 *
 * <p>Nothing here identifies a person: references are meaningless outside their node, pseudonyms are keyed hashes
 * the coordinator re-keys before it stores them.
 */
@Serdeable
public record SignalRecord(
        @NotNull @Pattern(regexp = OPAQUE, message = "must be 1 to 100 characters of A-Z a-z 0-9 . _ -") String ref,
        @NotNull @Pattern(regexp = OPAQUE, message = "must be 1 to 100 characters of A-Z a-z 0-9 . _ -") String organisation,
        @NotNull LocalDate activeFrom,
        @NotNull LocalDate activeUntil,
        @NotNull @Size(min = 1, max = 4) List<@NotNull @Valid EpochPseudonyms> pseudonyms) {

    static final String OPAQUE = "[A-Za-z0-9._-]{1,100}";

    /** The pseudonyms of one signal under one key epoch. */
    @Serdeable
    public record EpochPseudonyms(
            int epoch,
            @NotNull String youth,
            @NotNull @Size(max = 8) List<@NotNull String> parents) {

        /** Pseudonyms are still personal data: never printed. */
        @Override
        public String toString() {
            return "EpochPseudonyms[epoch=" + epoch + ", parents=" + (parents == null ? 0 : parents.size()) + "]";
        }
    }
}
