package nl.betrokken.node.objection;

import java.time.LocalDate;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One objection as the person or the gemeente sees it. The reason and the motivation are personal data:
 * {@link #toString()} prints neither.
 *
 * @param node the node that holds the signal (and the objection)
 * @param signalId the signal's id at that node (the objection keeps it after an upheld objection erased the signal)
 */
@Serdeable
public record ObjectionView(String node, String id, String signalId, String status, LocalDate filedOn,
                            LocalDate deadline, String reason, @Nullable String motivation,
                            @Nullable LocalDate decidedOn) {

    @Override
    public String toString() {
        return "ObjectionView[" + node + ", " + id + ", " + status + "]";
    }

    /** {@code GET /api/v1/objections}: the objections, and the regions that did not answer (a citizen's list only). */
    @Serdeable
    public record Page(List<ObjectionView> items, List<String> unavailable) {
    }

    /** The answer to a filing: 201 {@code {"id", "status": "OPEN", "deadline"}}. */
    @Serdeable
    public record Filed(String id, String status, LocalDate deadline) {
    }
}
