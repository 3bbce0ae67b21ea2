package nl.betrokken.coordinator.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.problem.Problems;

/**
 * A fresh match ticket for a node that holds the match, so that contact requests and regie messages still go through
 * when the ticket the feed gave has expired ({@link Tickets#LIFETIME}): a match older than that, or a long outage.
 * Only while the match exists (an erased signal's matches are gone) and only for a node that is one of its parties;
 * otherwise 404, the same answer for both, so that a node learns nothing of matches that are not its own.
 */
@Singleton
public class TicketRenewal {

    private final TransactionOperations<Connection> transactions;
    private final Tickets tickets;
    private final CoordinatorAudit audit;

    TicketRenewal(TransactionOperations<Connection> transactions, Tickets tickets, CoordinatorAudit audit) {
        this.transactions = transactions;
        this.tickets = tickets;
        this.audit = audit;
    }

    /** The renewed ticket of {@code matchId} for {@code nodeId}, or a 404 problem. */
    public String renew(String nodeId, UUID matchId) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT m.match_type, a.node_id, a.ref, b.node_id, b.ref FROM signal_match m"
                            + " JOIN signal a ON a.id = m.signal_low JOIN signal b ON b.id = m.signal_high"
                            + " WHERE m.id = ?")) {
                select.setObject(1, matchId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next() || !nodeId.equals(rs.getString(2)) && !nodeId.equals(rs.getString(4))) {
                        throw Problems.notFound("match-not-found", "Match not found",
                                "no match " + matchId + " of a signal of your node (withdrawn, or never yours)");
                    }
                    String ticket = tickets.issueFresh(matchId, rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5));
                    audit.record(c, AuditEvent.of("ticket.renewed", "node:" + nodeId, "match:" + matchId));
                    return ticket;
                }
            }
        });
    }
}
