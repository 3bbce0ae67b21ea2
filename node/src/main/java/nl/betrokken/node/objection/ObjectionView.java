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
 * @param adviceAskedOn when the gemeente asked the professional for advice, or null
 * @param advice the professional's advice: for the gemeente only (null in a citizen's list and to the professional)
 * @param advisedOn when the advice was given, or null
 * @param closedBecause for status CLOSED (the signal went another way, {@code decidedOn} the day it did):
 *                      SIGNAL_WITHDRAWN (its professional withdrew it as made in error) or SIGNAL_ERASED (erased after
 *                      another objection was upheld); else null
 */
@Serdeable
public record ObjectionView(String node, String id, String signalId, String status, LocalDate filedOn,
                            LocalDate deadline, String reason, @Nullable String motivation,
                            @Nullable LocalDate decidedOn, @Nullable LocalDate adviceAskedOn,
                            @Nullable String advice, @Nullable LocalDate advisedOn, @Nullable String closedBecause) {

    /** The view without the professional's advice, which is for the gemeente deciding (the person sees when). */
    ObjectionView withoutAdvice() {
        return new ObjectionView(node, id, signalId, status, filedOn, deadline, reason, motivation, decidedOn,
                adviceAskedOn, null, advisedOn, closedBecause);
    }

    @Override
    public String toString() {
        return "ObjectionView[" + node + ", " + id + ", " + status + "]";
    }

    /** {@code GET /api/v1/objections}: the objections, and the regions that did not answer (a citizen's list only). */
    @Serdeable
    public record Page(List<ObjectionView> items, List<String> unavailable) {
    }

    /**
     * {@code GET /api/v1/objections/advice-requests}: an open objection on which the gemeente asks the professional
     * for advice, with the person's reason (personal data: {@link #toString()} leaves it out).
     */
    @Serdeable
    public record AdviceRequest(String node, String id, String signalId, LocalDate filedOn, LocalDate deadline,
                                String reason, LocalDate adviceAskedOn) {
        @Override
        public String toString() {
            return "AdviceRequest[" + node + ", " + id + "]";
        }
    }

    /** A list of advice requests. */
    @Serdeable
    public record AdviceRequests(List<AdviceRequest> items) {
    }

    /** The answer to a filing: 201 {@code {"id", "status": "OPEN", "deadline"}}. */
    @Serdeable
    public record Filed(String id, String status, LocalDate deadline) {
    }
}
