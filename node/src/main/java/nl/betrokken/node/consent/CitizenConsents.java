package nl.betrokken.node.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;

/**
 * The consent requests and consents of a person signed in at this node, at every node holding a signal the person
 * may see (as an inzage finds them). Used by the citizen API and by the portal pages.
 */
@Singleton
public class CitizenConsents {

    /** One consent part the person answers (or answered) for. */
    public record Item(String node, String id, String matchType, String role /*PARENT|YOUTH: the person's role*/,
                       String youthName, String purpose, String askingOrganisation, String askingProfessional,
                       String counterpartOrganisation, String status, List<String> needs, List<String> granted,
                       @Nullable String myAnswer /*GRANTED|REFUSED|null*/, @Nullable LocalDate validUntil,
                       boolean canAnswer, boolean canWithdraw, Instant askedAt) {
    }

    /** The items, and the nodes that could not be asked now. */
    public record Page(List<Item> items, List<String> unavailable) {
    }

    /** What the person may answer: PENDING, their role still needed and unanswered. */
    public Page requests(Bsn person) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Every consent where the person is or was a needed role, any status. */
    public Page consents(Bsn person) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Grants for the person's role: 404 when nothing of theirs, 409 when not pending. */
    public void grant(Bsn person, UUID id, @Nullable LocalDate validUntil) {
        throw new UnsupportedOperationException("not yet");
    }

    public void refuse(Bsn person, UUID id) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Withdraws: 404 when nothing of theirs, 409 when not granted or pending. */
    public void withdraw(Bsn person, UUID id) {
        throw new UnsupportedOperationException("not yet");
    }
}
