package nl.betrokken.node.followup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.node.match.MatchTickets;
import nl.betrokken.node.match.Peers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the counterpart's node to e-mail its professional about a call on both sides of a match ({@link CallOns}),
 * with {@code POST /federation/v1/matches/{id}/call-on}, the node token and the match ticket (renewed when it has
 * expired, and once more when the other node refuses it). A call stays PENDING until the other node accepted it, and
 * is tried again with the regie messages' back-off ({@link RegieSender#backoff}: 5 s, 10 s … at most an hour), so it
 * is not lost while that node is down; the other node stores it once per call id, so a repeat e-mails no one twice. A
 * 404 or 410 (the match withdrawn, the signal gone) is final: DONE, with the reason. Runs every
 * {@code betrokken.follow-up.call-on-send-interval} (10 s), and once within the call itself.
 */
@Singleton
class CallOnSender {

    private static final Logger LOG = LoggerFactory.getLogger(CallOnSender.class);

    private final CallOnRepository rows;
    private final TransactionOperations<Connection> transactions;
    private final NodeTokens tokens;
    private final MatchTickets tickets;
    private final Peers peers;
    private final Clock clock;

    /** This node's side of the match as the call to the other node needs it. */
    private record Side(String counterpartNode, String ownRef, String ticket) {
    }

    CallOnSender(CallOnRepository rows, TransactionOperations<Connection> transactions, NodeTokens tokens,
                 MatchTickets tickets, Peers peers, Clock clock) {
        this.rows = rows;
        this.transactions = transactions;
        this.tokens = tokens;
        this.tickets = tickets;
        this.peers = peers;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${betrokken.follow-up.call-on-send-interval:10s}",
            initialDelay = "${betrokken.follow-up.call-on-send-interval:10s}")
    void scheduled() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            LOG.warn("call-on sender: {}", e.getClass().getSimpleName());
        }
    }

    /** Sends every call whose turn it is; returns how many the other nodes accepted. */
    int deliverDue() {
        int sent = 0;
        for (CallOnRow r : transactions.executeRead(status ->
                rows.findBySendStateAndNextAttemptAtLessThanEqualsOrderByCalledAt(CallOnRow.PENDING, clock.instant()))) {
            sent += CallOnRow.SENT.equals(send(r.rowId())) ? 1 : 0;
        }
        return sent;
    }

    /** Tries the call {@code rowId} once (when it is still PENDING) and returns its state afterwards. */
    synchronized String send(UUID rowId) {
        CallOnRow row = transactions.executeRead(status -> rows.findById(rowId)).orElse(null);
        if (row == null || !CallOnRow.PENDING.equals(row.sendState())) {
            return row == null ? CallOnRow.DONE : row.sendState();
        }
        Optional<Side> side = side(row);
        if (side.isEmpty()) {
            return save(row.attempted(CallOnRow.DONE, null, "this node no longer holds the match"));
        }
        Optional<HttpClient> peer = peers.of(side.get().counterpartNode());
        if (peer.isEmpty()) {
            return later(row, "no URL for node " + side.get().counterpartNode() + " (betrokken.peers)");
        }
        MatchTickets.Ticket ticket = tickets.usable(row.matchId(), side.get().ticket());
        boolean renewed = !ticket.usable() || !ticket.text().equals(side.get().ticket());
        while (true) {
            if (ticket.isGone()) {
                return save(row.attempted(CallOnRow.DONE, null, ticket.gone()));
            }
            if (!ticket.usable()) {
                return later(row, "no ticket for the match: the coordinator did not renew it now");
            }
            try {
                peer.get().toBlocking().exchange(HttpRequest.POST(
                                "/federation/v1/matches/" + row.matchId() + "/call-on",
                                Map.of("ticket", ticket.text(), "ref", side.get().ownRef(), "id", row.callId(),
                                        "at", row.calledAt().toString()))
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(side.get().counterpartNode())));
                return save(row.attempted(CallOnRow.SENT, null, null));
            } catch (HttpClientResponseException e) {
                int status = e.getStatus().getCode();
                LOG.warn("node {} refused a call on match {}: {}", side.get().counterpartNode(), row.matchId(), status);
                if (status == 404 || status == 410) {
                    return save(row.attempted(CallOnRow.DONE, null, "the other node answered HTTP " + status));
                }
                if (status == 403 && !renewed) {
                    ticket = tickets.renew(row.matchId()); // the other node refused the ticket: once more, fresh
                    renewed = true;
                    continue;
                }
                return later(row, "HTTP " + status);
            } catch (HttpClientException e) {
                LOG.info("node {} not reachable for a call on match {}", side.get().counterpartNode(), row.matchId());
                return later(row, "not reachable");
            }
        }
    }

    private String later(CallOnRow row, String error) {
        return save(row.attempted(CallOnRow.PENDING,
                clock.instant().plus(RegieSender.backoff(row.sendAttempts() + 1)), error));
    }

    private String save(CallOnRow row) {
        transactions.executeWrite(status -> rows.update(row));
        return row.sendState();
    }

    private Optional<Side> side(CallOnRow row) {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.counterpart_node, s.ref, m.ticket FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " WHERE m.match_id = ? AND m.signal_id = ?")) {
                select.setObject(1, row.matchId());
                select.setObject(2, row.signalId());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(new Side(rs.getString(1), rs.getString(2), rs.getString(3)))
                            : Optional.<Side>empty();
                }
            }
        });
    }
}
