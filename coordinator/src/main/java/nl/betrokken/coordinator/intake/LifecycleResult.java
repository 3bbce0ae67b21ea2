package nl.betrokken.coordinator.intake;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;

/** What became of each end or erase, in the request's order. */
@Serdeable
public record LifecycleResult(List<Item> results) {

    @Serdeable
    public record Item(String ref, Outcome outcome) {
    }

    public enum Outcome {
        /** Ended now: archived, no more matching. */
        ENDED,
        /** Erased now, matches withdrawn. */
        ERASED,
        /** Already in that state: a retry. */
        UNCHANGED,
        /** No such signal of this node (never submitted, or already erased or deleted by retention). */
        UNKNOWN
    }
}
