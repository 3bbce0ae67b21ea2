package nl.betrokken.node.inzage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One signal as a parent or youth sees it (contract, "Parents and youths"): who registered it and how to reach them,
 * the dates that matter, the legal ground in plain Dutch, whether the parents were informed, and who did what with
 * it. Personal data: {@link #toString()} prints none.
 *
 * @param relation {@code SELF} (the signal is about the person) or {@code PARENT} (about their child)
 * @param ground the legal ground in plain Dutch; {@code groundCode} the letter of Jeugdwet 7.1.4.1
 */
@Serdeable
public record InzageItem(String node, String id, String relation, Youth youth, String organisation,
                         String professional, @Nullable String email, @Nullable String phone, LocalDate registeredOn,
                         String status, LocalDate activeUntil, LocalDate deleteAfter, String ground, String groundCode,
                         boolean parentsInformed, @Nullable LocalDate parentsInformedOn, List<Access> accesses) {

    @Serdeable
    public record Youth(String name, LocalDate birthDate) {
        @Override
        public String toString() {
            return "Youth[redacted]";
        }
    }

    /**
     * One entry of the signal's access log at its node: when, the actor's role ({@code prof}, {@code gemeente},
     * {@code node}, {@code system}, …) and organisation or node where the log names one, what was done (the audit
     * entry's kind) and why, where a reason was recorded.
     */
    @Serdeable
    public record Access(Instant at, String role, @Nullable String organisation, String action,
                         @Nullable String purpose) {
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
