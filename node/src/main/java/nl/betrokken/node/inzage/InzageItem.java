package nl.betrokken.node.inzage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import nl.betrokken.audit.AccessLogFile;
import nl.betrokken.node.audit.AccessProofs;

/**
 * One signal as a parent or youth sees it (contract, "Parents and youths"): who registered it and how to reach them,
 * the dates that matter, the legal ground in plain Dutch, whether the parents were informed, and who did what with
 * it. Personal data: {@link #toString()} prints none.
 *
 * <p>When asked for proofs (the access-log download, {@link CitizenAccessLog}), each access carries its {@code proof}
 * and {@code accessLog} what it takes to check them; the inzage itself ({@code GET /api/v1/citizen/signals}) carries
 * neither.
 *
 * @param relation {@code SELF} (the signal is about the person) or {@code PARENT} (about their child)
 * @param ground the legal ground in plain Dutch; {@code groundCode} the letter of Jeugdwet 7.1.4.1
 */
@Serdeable
public record InzageItem(String node, String id, String relation, Youth youth, String organisation,
                         String professional, @Nullable String email, @Nullable String phone, LocalDate registeredOn,
                         String status, LocalDate activeUntil, LocalDate deleteAfter, String ground, String groundCode,
                         boolean parentsInformed, @Nullable LocalDate parentsInformedOn, List<Access> accesses,
                         @Schema(type = "object") @Nullable AccessProofs.Header accessLog) {

    @Serdeable
    public record Youth(String name, LocalDate birthDate) {
        @Override
        public String toString() {
            return "Youth[redacted]";
        }
    }

    /**
     * One entry of the signal's access log at its node (audit/NodeAudit): when, the actor's role ({@code prof},
     * {@code gemeente}, {@code node}, {@code system}, …) and organisation where it is known, what was done (the audit
     * entry's kind) and why, in plain Dutch.
     *
     * @param index           the entry's index in the holding node's audit log
     * @param node            for an actor that is another node: that node
     * @param professional    the registering professional's name, on the registration only (the law names no other)
     * @param counterpart     for an entry about a match: the organisation on the other side, once its node gave it
     * @param counterpartNode for an entry about a match: the node of the other side
     * @param proof           the entry's leaf and inclusion proof, only when proofs were asked for
     */
    @Serdeable
    public record Access(Instant at, String role, @Nullable String organisation, String action,
                         @Nullable String purpose, long index, @Nullable String node, @Nullable String professional,
                         @Nullable String counterpart, @Nullable String counterpartNode,
                         @Schema(type = "object") @Nullable AccessLogFile.Proof proof) {

        Access withProof(@Nullable AccessLogFile.Proof p) {
            return new Access(at, role, organisation, action, purpose, index, node, professional, counterpart,
                    counterpartNode, p);
        }
    }

    /** The same item without proofs: what the inzage page shows. */
    public InzageItem withoutProofs() {
        return withProofs(accesses.stream().map(a -> a.withProof(null)).toList(), null);
    }

    InzageItem withProofs(List<Access> proven, @Nullable AccessProofs.Header log) {
        return new InzageItem(node, id, relation, youth, organisation, professional, email, phone, registeredOn, status,
                activeUntil, deleteAfter, ground, groundCode, parentsInformed, parentsInformedOn, proven, log);
    }

    @Override
    public String toString() {
        return "InzageItem[" + node + ", " + relation + "]";
    }

    /** {@code GET /api/v1/citizen/signals}: what could be fetched, and the regions that did not answer. */
    @Serdeable
    public record Page(List<InzageItem> items, List<String> unavailable) {
    }
}
