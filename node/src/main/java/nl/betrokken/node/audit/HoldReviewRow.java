package nl.betrokken.node.audit;

import java.time.Instant;
import java.time.LocalDate;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A review date of a hold as stored (V22, {@code audit_hold_review}): the hold's reference, the day to look at it
 * again, the gemeente's reason (null for the first, set when the hold started), when and by whom ({@code gemeente:…},
 * or {@code system:holds}). The newest row of a reference is its review date.
 */
@MappedEntity("audit_hold_review")
record HoldReviewRow(@Id @GeneratedValue @Nullable Long id, String reference, LocalDate reviewOn,
                     @Nullable String reason, Instant setAt, String setBy) {

    @Override
    public String toString() {
        return "HoldReviewRow[" + id + ", " + reviewOn + "]";
    }
}
