package nl.betrokken.node.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.pseudonym.Pseudonym;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;
import nl.betrokken.node.keys.NodeKeys;

/**
 * Writes messages for the coordinator inside the caller's transaction. A message carries exactly what the
 * coordinator may know: the signal's opaque reference, the organisation's opaque reference, dates and pseudonyms
 * under every accepted federation epoch. No BSN, name, birth date or ground.
 */
@Singleton
public class Outbox {

    /** The kinds of message, each delivered to its own coordinator call. */
    public enum Kind { SIGNAL, CORRECT, END, ERASE }

    private final NodeKeys keys;
    private final JsonMapper json;
    private final Clock clock;

    Outbox(NodeKeys keys, JsonMapper json, Clock clock) {
        this.keys = keys;
        this.json = json;
        this.clock = clock;
    }

    /** The coordinator's signal record (docs/internal-api/signal-batch.json). */
    @Serdeable
    public record SignalRecord(String ref, String organisation, LocalDate activeFrom, LocalDate activeUntil,
                               List<EpochPseudonyms> pseudonyms) {
    }

    @Serdeable
    public record EpochPseudonyms(int epoch, String youth, List<String> parents) {
        @Override
        public String toString() {
            return "EpochPseudonyms[epoch=" + epoch + "]";
        }
    }

    /** The coordinator's end record (docs/internal-api/end-batch.json). */
    @Serdeable
    public record EndRecord(String ref, LocalDate on) {
    }

    /** A new signal, pseudonymised now. Requires an open transaction on {@code c}. */
    public void signal(Connection c, String ref, String organisationRef, LocalDate from, LocalDate until, Bsn youth,
                       List<Bsn> parents) throws SQLException {
        signal(c, keys.pseudonymizer(), ref, organisationRef, from, until, youth, parents);
    }

    /**
     * A signal pseudonymised under {@code federation}'s accepted epochs rather than the ring the node started with:
     * for resubmitting active signals when the federation ring is rotated (rotation/). The coordinator takes a record
     * it has stored before with pseudonyms under a new epoch as an update, and a repeat as a no-op. Requires an open
     * transaction on {@code c}.
     */
    public void signal(Connection c, Pseudonymizer federation, String ref, String organisationRef, LocalDate from,
                       LocalDate until, Bsn youth, List<Bsn> parents) throws SQLException {
        write(c, Kind.SIGNAL, ref, record(federation, ref, organisationRef, from, until, youth, parents));
    }

    /**
     * A signal corrected (signal/SignalChanges): the record as it is now, which replaces the coordinator's (its period
     * and persons; matches that no longer hold are withdrawn, new ones found). Requires an open transaction on
     * {@code c}.
     */
    public void correct(Connection c, String ref, String organisationRef, LocalDate from, LocalDate until, Bsn youth,
                        List<Bsn> parents) throws SQLException {
        write(c, Kind.CORRECT, ref, record(keys.pseudonymizer(), ref, organisationRef, from, until, youth, parents));
    }

    private static SignalRecord record(Pseudonymizer federation, String ref, String organisationRef, LocalDate from,
                                       LocalDate until, Bsn youth, List<Bsn> parents) {
        List<Pseudonym> youthPs = federation.pseudonymizeForMatching(youth);
        List<List<Pseudonym>> parentPs = parents.stream().map(federation::pseudonymizeForMatching).toList();
        List<EpochPseudonyms> epochs = new ArrayList<>();
        for (int i = 0; i < youthPs.size(); i++) {
            int epoch = i;
            epochs.add(new EpochPseudonyms(youthPs.get(i).epoch(), youthPs.get(i).encoded(),
                    parentPs.stream().map(p -> p.get(epoch).encoded()).toList()));
        }
        return new SignalRecord(ref, organisationRef, from, until, epochs);
    }

    /** A signal ended on {@code on}. Requires an open transaction on {@code c}. */
    public void end(Connection c, String ref, LocalDate on) throws SQLException {
        write(c, Kind.END, ref, new EndRecord(ref, on));
    }

    /**
     * The signal {@code ref} is to be erased at the coordinator (an objection upheld, objection/): it deletes it and
     * withdraws its matches through the feeds. Requires an open transaction on {@code c}.
     */
    public void erase(Connection c, String ref) throws SQLException {
        write(c, Kind.ERASE, ref, ref);
    }

    /** Writes one message about the signal {@code ref}; the sender keeps each signal's messages in this order. */
    private void write(Connection c, Kind kind, String ref, Object payload) throws SQLException {
        String text;
        try {
            text = json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO outbox (kind, payload, created_at, attempts, next_attempt_at, signal_ref)"
                        + " VALUES (?, ?, ?, 0, ?, ?)")) {
            Timestamp now = Timestamp.from(clock.instant());
            insert.setString(1, kind.name());
            insert.setString(2, text);
            insert.setTimestamp(3, now);
            insert.setTimestamp(4, now);
            insert.setString(5, ref);
            insert.executeUpdate();
        }
    }
}
