package nl.betrokken.node.veiligthuis;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.inzage.InzageServing;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.signal.SignalView;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one of this node's signals to a Veilig Thuis worker's look-up, for the asking node (or this node itself). The
 * coordinator's ticket is checked as an inzage ticket is ({@link InzageServing#checkVeiligThuis}: its key, this node as
 * audience, the asker, five minutes, once), and must have the relation {@code VEILIG_THUIS}. Then the signal is served
 * whatever its status (active, ended, archived) and also when it is held back from the parents; the parents' age rules
 * do not apply. In the same transaction as the read: the look-up of this signal is held back from the parents
 * ({@code lookup:…}, {@link NodeAudit#hold}), stored with its reason sealed ({@link VeiligThuisLookupRow#SERVED}), and
 * logged as {@code veiligthuis.lookup} by {@code veiligthuis:<worker>} with the asking node, the signal and the
 * reason's keyed reference ({@link #reasonReference}). The gemeente releases it like any hold ({@code /api/v1/audit/held}); the parents then see it in
 * their access log.
 */
@Singleton
public class VeiligThuisServing {

    /** The shortest and the longest reason, in characters after trimming. */
    static final int REASON_MIN = 10;
    static final int REASON_MAX = 500;
    private static final int WORKER_MAX = 100;
    private static final Logger LOG = LoggerFactory.getLogger(VeiligThuisServing.class);

    private final InzageServing inzage;
    private final SignalService signals;
    private final Accounts accounts;
    private final NodeAudit audit;
    private final NodeKeys keys;
    private final VeiligThuisLookupRepository rows;
    private final TransactionOperations<Connection> transactions;
    private final NodeConfiguration node;
    private final Clock clock;

    VeiligThuisServing(InzageServing inzage, SignalService signals, Accounts accounts, NodeAudit audit, NodeKeys keys,
                       VeiligThuisLookupRepository rows, TransactionOperations<Connection> transactions,
                       NodeConfiguration node, Clock clock) {
        this.node = node;
        this.inzage = inzage;
        this.signals = signals;
        this.accounts = accounts;
        this.audit = audit;
        this.keys = keys;
        this.rows = rows;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What is wrong with a reason (the field {@code reason}); null when it is fine. Trimmed, 10 to 500 characters. */
    static @Nullable Problem.Violation reasonViolation(@Nullable String reason) {
        String r = reason == null ? "" : reason.strip();
        if (r.isEmpty()) {
            return new Problem.Violation("reason", "is required: why Veilig Thuis looks this youth up");
        }
        if (r.length() < REASON_MIN || r.length() > REASON_MAX) {
            return new Problem.Violation("reason", "must be " + REASON_MIN + " to " + REASON_MAX + " characters");
        }
        return null;
    }

    /**
     * The signal the ticket names, for look-up {@code lookupId} by {@code worker} of {@code askerNode} (already
     * authenticated by its node token, or this node), with {@code reason}.
     *
     * @throws nl.betrokken.problem.ProblemException 400 naming {@code reason} or {@code worker}; 403 when the ticket is
     *                                               refused; 404 when this node no longer holds the signal
     */
    public VeiligThuisItem serve(String askerNode, String ticketText, UUID lookupId, String worker, String reason) {
        Problem.Violation wrong = reasonViolation(reason);
        if (wrong != null) {
            throw Problems.invalidField(wrong.field(), wrong.message());
        }
        if (worker == null || worker.isBlank() || worker.length() > WORKER_MAX) {
            throw Problems.invalidField("worker", "is the asking Veilig Thuis worker's username, 1 to 100 characters");
        }
        InzageServing.Ticket ticket = inzage.checkVeiligThuis(askerNode, ticketText);
        if (!inzage.use(ticket)) {
            LOG.warn("refused a replayed Veilig Thuis ticket of node {}", askerNode);
            throw Problems.forbidden("the ticket was already used (jti seen before)");
        }
        String why = reason.strip();
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<SignalView> found = signals.byRef(c, ticket.ref());
            if (found.isEmpty()) {
                throw InzageServing.notFound();
            }
            SignalView s = found.get();
            String reference = audit.lookup(lookupId, s.id());
            audit.hold(c, reference); // before its entry: sealed until the gemeente releases it
            UUID rowId = UUID.randomUUID();
            rows.save(new VeiligThuisLookupRow(rowId, lookupId, VeiligThuisLookupRow.SERVED, askerNode, worker,
                    s.id(), null, null, clock.instant(), seal(keys, rowId, why)));
            audit.record(c, AuditEvent.of("veiligthuis.lookup", NodeAudit.actor("veiligthuis", worker), reference)
                    .with("signal", audit.signal(s.id())).with("node", askerNode)
                    .with("reasonRef", reasonReference(keys, lookupId, why)));
            Optional<Account> professional = accounts.find(s.professional());
            String organisation = accounts.organisation(s.organisation()).map(Accounts.Organisation::name)
                    .orElse(s.organisation());
            return new VeiligThuisItem(node.nodeId(), s.id().toString(),
                    organisation, professional.map(Account::displayName).orElse(s.professional()),
                    professional.map(Account::email).orElse(null), professional.map(Account::phone).orElse(null),
                    s.registeredOn(), s.status(), s.activeUntil());
        });
    }

    /** The reason sealed with the node's Aead, bound to its row. */
    static byte[] seal(NodeKeys keys, UUID rowId, String reason) {
        return keys.aead().encrypt(reason.getBytes(StandardCharsets.UTF_8), associated(rowId));
    }

    private static byte[] associated(UUID rowId) {
        return ("betrokken/node/veilig-thuis-lookup/" + rowId + "/reason").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The log's commitment to a look-up's reason: a keyed reference (HMAC-SHA256 under the node's audit-reference key,
     * {@link NodeKeys#auditReference}) of the look-up and its reason. A plain hash of a short text would let anyone
     * holding the entry confirm a guessed reason; this one only the node can recompute, from the sealed reason.
     */
    static String reasonReference(NodeKeys keys, UUID lookupId, String reason) {
        return keys.auditReference("veilig-thuis-reason/" + lookupId + "/" + reason);
    }
}
