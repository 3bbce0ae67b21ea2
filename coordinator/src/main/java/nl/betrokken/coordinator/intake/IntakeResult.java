package nl.betrokken.coordinator.intake;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;

/** What became of each record of a batch, in the batch's order. */
@Serdeable
public record IntakeResult(List<Item> results) {

    /** The outcome for one signal reference. */
    @Serdeable
    public record Item(String ref, Outcome outcome) {
    }

    public enum Outcome {
        /** Stored for the first time. */
        CREATED,
        /** Already stored with this content: nothing changed (a retry). */
        UNCHANGED,
        /** Already stored; pseudonyms under a new key epoch were added. */
        UPDATED,
        /** A correction (Corrections): the period or the parents changed; matches that no longer hold withdrawn. */
        CORRECTED,
        /** A correction of a signal this coordinator does not hold (erased, or deleted by retention): nothing done. */
        UNKNOWN
    }
}
