package nl.betrokken.node.objection;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The bodies of the objection calls. Reasons and motivations are personal data: no {@code toString} prints them. */
final class ObjectionRequests {

    static final int REASON_MIN = 10;
    static final int REASON_MAX = 2000;
    static final int EMAIL_MAX = 200;
    /** An e-mail address: one {@code @}, a dot in the domain, no spaces or characters that could break a header. */
    static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile(
            "[^\\s@<>()\\[\\],;:\"\\\\]+@[^\\s@<>()\\[\\],;:\"\\\\]+\\.[^\\s@<>()\\[\\],;:\"\\\\.]+");

    private ObjectionRequests() {
    }

    /**
     * {@code POST /api/v1/objections}: the node holding the signal, the signal's id there, why, and optionally an
     * e-mail address to be told when a decision was taken.
     */
    @Serdeable
    record File(@NotBlank @Size(max = 64) String node, @NotBlank @Size(max = 64) String signalId,
                @NotBlank @Size(min = REASON_MIN, max = REASON_MAX) String reason,
                @Nullable @Size(max = EMAIL_MAX) String email) {
        @Override
        public String toString() {
            return "File[" + node + "]";
        }
    }

    /** {@code POST /api/v1/objections/{id}/decision}. */
    @Serdeable
    record Decision(@NotNull @Pattern(regexp = "UPHELD|REJECTED") String outcome,
                    @NotBlank @Size(max = REASON_MAX) String motivation) {
        @Override
        public String toString() {
            return "Decision[" + outcome + "]";
        }
    }

    /** {@code POST /api/v1/objections/{id}/advice}: the professional's advice. */
    @Serdeable
    record Advice(@NotBlank @Size(max = REASON_MAX) String advice) {
        @Override
        public String toString() {
            return "Advice[]";
        }
    }

    /**
     * {@code POST /federation/v1/objections}: the inzage tickets for the holding node, the signal, the reason, the
     * address to tell of the decision (or null), and the objection's id as the calling node chose and recorded it (or
     * null: the holding node chooses). Checked by the service after the node token (no constraints here, so that an
     * unauthenticated call is a 401 whatever its body).
     */
    @Serdeable
    record FederationFile(@Nullable List<String> tickets, @Nullable String signalId, @Nullable String reason,
                          @Nullable String email, @Nullable String id) {
        @Override
        public String toString() {
            return "FederationFile[" + signalId + "]";
        }
    }

    /**
     * {@code POST /federation/v1/objections/list}: the inzage tickets for the holding node, and the ids of the
     * objections the person filed there through the calling node (answered only when they came through it).
     */
    @Serdeable
    record FederationList(@Nullable List<String> tickets, @Nullable List<String> filed) {
    }
}
