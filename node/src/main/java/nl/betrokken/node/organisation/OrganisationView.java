package nl.betrokken.node.organisation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An organisation of the convenant as the gemeente sees it: no personal data, only counts. {@code sector} is absent
 * for organisations made before the gemeente kept them (the dev profile's); {@code professionals} counts its active
 * professional accounts, {@code activeSignals} its active signals.
 */
@Serdeable
public record OrganisationView(String id, String name, @Nullable String sector, String status,
                               @Nullable Instant admittedAt, int professionals, int activeSignals) {

    @Serdeable
    public record Page(List<OrganisationView> items) {
    }

    /** One organisation with its accounts (contact data: personal, so never printed). */
    @Serdeable
    public record Detail(OrganisationView organisation, List<Member> accounts, int openSignals) {
        @Override
        public String toString() {
            return "Detail[" + organisation.id() + "]";
        }
    }

    /** An account of the organisation. */
    @Serdeable
    public record Member(String username, String role, String displayName, @Nullable String email, boolean active) {
        @Override
        public String toString() {
            return "Member[" + username + "]";
        }
    }

    /**
     * A signal still to be decided on when the organisation is removed: no youth, no ground; who holds it, its
     * dates, and how many open matches would follow it.
     */
    @Serdeable
    public record OpenSignal(UUID id, String status, LocalDate registeredOn, LocalDate activeUntil,
                             String professional, int openMatches) {
    }

    /** A professional of another active organisation who may take signals over. */
    @Serdeable
    public record Candidate(String username, String displayName, String organisation) {
        @Override
        public String toString() {
            return "Candidate[" + username + "]";
        }
    }

    /** {@code GET /api/v1/organisations/{id}/signals}: the signals to decide on, and who may take them over. */
    @Serdeable
    public record ToDecide(List<OpenSignal> items, List<Candidate> handOverTo) {
    }

    /** The answer to a removal. */
    @Serdeable
    public record Removed(OrganisationView organisation, int handedOver, int ended, int accountsDeactivated) {
    }
}
