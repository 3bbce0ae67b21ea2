package nl.betrokken.node.signal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.archive.ErasureFollower;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.outbox.Outbox;
import nl.betrokken.node.outbox.OutboxSender;
import nl.betrokken.problem.Problems;

/**
 * Changing a signal after its registration: correcting it, and withdrawing one made in error. Only the professionals
 * of the signal's organisation, only while it is not archived (another organisation's signal is a 404).
 *
 * <ul>
 *   <li><b>Correct</b> ({@link #correct}): the youth's name and birth date, and the parents (the whole new list), with
 *       the registration's checks (400 naming the field, nothing written); only an active signal (409 otherwise). A
 *       new birth date gives a new {@code activeUntil} ({@link ActivePeriod}, from the same registration day). When
 *       the birth date or the parents change, the signal as it is now goes to the coordinator through the outbox
 *       (in the same transaction): it withdraws the matches that no longer hold at both sides and finds the new ones.
 *       The same correction again changes nothing and sends nothing. The audit entry names the fields, never
 *       their values.</li>
 *   <li><b>Withdraw</b> ({@link #withdraw}): a signal made in error is erased here and at the coordinator as an upheld
 *       objection erases it ({@link ArchiveService#eraseEverywhere}): nothing is archived, its matches are withdrawn
 *       at both sides, and its open objection is closed (objection/). Asked again, the signal is gone: 404.</li>
 * </ul>
 */
@Singleton
public class SignalChanges {

    private final TransactionOperations<Connection> transactions;
    private final SignalService signals;
    private final Accounts accounts;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final JsonMapper json;
    private final Clock clock;
    private final NodeAudit audit;
    private final ArchiveService archive;

    SignalChanges(TransactionOperations<Connection> transactions, SignalService signals, Accounts accounts,
                  Outbox outbox, OutboxSender sender, JsonMapper json, Clock clock, NodeAudit audit,
                  ArchiveService archive) {
        this.archive = archive;
        this.transactions = transactions;
        this.signals = signals;
        this.accounts = accounts;
        this.outbox = outbox;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
        this.audit = audit;
    }

    /** What a correction starts from: the youth's name and birth date and the parents' BSNs. Never printed. */
    public record Current(SignalView signal, List<String> parents) {
        @Override
        public String toString() {
            return "Current[" + signal.id() + "]";
        }
    }

    /** The signal with its parents' BSNs, for the correction form; the read is a {@code signal.viewed} entry. */
    public Current current(SignalService.Caller caller, UUID id) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            SignalView view = signals.view(c, id)
                    .filter(v -> v.organisation().equals(caller.organisationId())
                            && !SignalService.ARCHIVED.equals(v.status()))
                    .orElseThrow(() -> SignalService.notFound(id));
            List<String> parents = parents(c, id).stream().map(Bsn::digits).toList();
            audit.record(c, AuditEvent.of("signal.viewed", NodeAudit.actor("prof", caller.username()),
                    audit.signal(id)));
            return new Current(view, parents);
        });
    }

    /** Corrects the active signal {@code id}; answers it as it is now. */
    public SignalView correct(SignalService.Caller caller, UUID id, SignalCorrection correction) {
        LocalDate today = LocalDate.now(clock);
        SignalCorrection.Youth y = correction.youth();
        if (y != null && y.bsn() != null) {
            throw Problems.invalidField("youth.bsn", "the youth's BSN is not corrected; withdraw this signal and"
                    + " register a new one");
        }
        if (y != null && y.birthDate() != null) {
            SignalService.checkBirthDate(y.birthDate(), today);
        }
        Accounts.Organisation organisation = accounts.organisation(caller.organisationId())
                .orElseThrow(() -> Problems.forbidden("the signed-in user belongs to no organisation"));
        boolean[] sent = new boolean[1];
        SignalView corrected = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            SignalService.Locked locked = SignalService.lockOwn(c, caller, id);
            if (!"ACTIVE".equals(locked.status())) {
                throw Problems.conflict("signal-not-active", "Signal not active", "id",
                        "the signal was " + locked.status().toLowerCase() + "; only an active signal is corrected");
            }
            String ref = locked.ref();
            LocalDate registeredOn;
            SignalService.SealedYouth before;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT registered_on, youth_sealed FROM signal WHERE id = ?")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    registeredOn = rs.getObject(1, LocalDate.class);
                    before = json.readValue(signals.open(rs.getBytes(2), id, "youth"), SignalService.SealedYouth.class);
                }
            }
            Bsn youth = Bsn.parse(before.bsn());
            List<Bsn> parentsBefore = parents(c, id);
            List<Bsn> parents = correction.parents() == null ? parentsBefore
                    : SignalService.parents(youth, correction.parents());
            String name = y == null || y.name() == null ? before.name() : y.name().strip();
            LocalDate birth = y == null || y.birthDate() == null ? before.birthDate() : y.birthDate();
            List<String> fields = new ArrayList<>();
            if (!name.equals(before.name())) {
                fields.add("youth.name");
            }
            if (!birth.equals(before.birthDate())) {
                fields.add("youth.birthDate");
            }
            if (!parents.equals(parentsBefore)) {
                fields.add("parents");
            }
            if (fields.isEmpty()) {
                return signals.view(c, id).orElseThrow();
            }
            LocalDate until = ActivePeriod.activeUntil(registeredOn, birth);
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE signal SET youth_sealed = ?, active_until = ? WHERE id = ?")) {
                update.setBytes(1, signals.seal(json.writeValueAsBytes(
                        new SignalService.SealedYouth(before.bsn(), name, birth)), id, "youth"));
                update.setObject(2, until);
                update.setObject(3, id);
                update.executeUpdate();
            }
            if (fields.contains("parents")) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM signal_parent WHERE signal_id = ?")) {
                    delete.setObject(1, id);
                    delete.executeUpdate();
                }
                signals.insertParents(c, id, parents);
            }
            if (fields.contains("youth.birthDate") || fields.contains("parents")) {
                // The coordinator knows no name: a name alone is not sent.
                outbox.correct(c, ref, organisation.ref(), registeredOn, until, youth, parents);
                sent[0] = true;
            }
            audit.record(c, AuditEvent.of("signal.corrected", NodeAudit.actor("prof", caller.username()),
                    audit.signal(id)).with("fields", String.join(",", fields)));
            return signals.view(c, id).orElseThrow();
        });
        if (sent[0]) {
            sender.wake();
        }
        return corrected;
    }

    /** Withdraws the signal {@code id} as made in error: erased here and at the coordinator, matches withdrawn. */
    public void withdraw(SignalService.Caller caller, UUID id) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            String ref = SignalService.lockOwn(c, caller, id).ref();
            return archive.eraseEverywhere(c, id, ref, NodeAudit.actor("prof", caller.username()),
                    ErasureFollower.IN_ERROR);
        });
        sender.wake();
    }

    private List<Bsn> parents(Connection c, UUID id) throws SQLException, java.security.GeneralSecurityException {
        List<Bsn> parents = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT parent_sealed FROM signal_parent WHERE signal_id = ? ORDER BY position")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    parents.add(Bsn.parse(new String(signals.open(rs.getBytes(1), id, "parent"),
                            StandardCharsets.US_ASCII)));
                }
            }
        }
        return parents;
    }
}
