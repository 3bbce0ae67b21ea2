package nl.betrokken.node.followup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.node.match.MatchTickets;
import nl.betrokken.node.match.Peers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the counterpart's node of regie claims and releases ({@code regie_message}), oldest first per side of a
 * match, with {@code POST /federation/v1/matches/{id}/regie}, the node token and the match ticket. A message is
 * deleted only once the other node accepted it; until then it is tried again with back-off (5 s, 10 s, 20 s … at
 * most an hour), so nothing is lost while a node is down, and no message of a side overtakes an older one. An expired
 * ticket is renewed at the coordinator; a message refused for good is marked done with the reason.
 * Runs every {@code betrokken.follow-up.regie-send-interval} (10 s), and on demand through {@link #deliverDue()}.
 */
@Singleton
public class RegieSender {

    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(RegieSender.class);

    private final TransactionOperations<Connection> transactions;
    private final NodeConfiguration node;
    private final NodeTokens tokens;
    private final MatchTickets tickets;
    private final Clock clock;
    private final Peers peers;

    private record Message(long id, UUID matchId, String action, Instant at, int attempts, String ownRef,
                           String counterpartNode, String ticket) {
    }

    RegieSender(TransactionOperations<Connection> transactions, NodeConfiguration node, NodeTokens tokens,
                MatchTickets tickets, Clock clock, Peers peers) {
        this.transactions = transactions;
        this.node = node;
        this.tokens = tokens;
        this.tickets = tickets;
        this.clock = clock;
        this.peers = peers;
    }

    @Scheduled(fixedDelay = "${betrokken.follow-up.regie-send-interval:10s}",
            initialDelay = "${betrokken.follow-up.regie-send-interval:10s}")
    void scheduled() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            LOG.warn("regie sender: {}", e.getClass().getSimpleName());
        }
    }

    /** Sends every message that is due now, the oldest of each side first; returns how many were delivered. */
    public synchronized int deliverDue() {
        int delivered = 0;
        while (true) {
            List<Message> due = due();
            boolean progress = false;
            for (Message m : due) {
                Sent sent = send(m);
                delivered += sent == Sent.DELIVERED ? 1 : 0;
                progress |= sent != Sent.WAITS;
            }
            if (!progress) {
                return delivered; // every head failed and waits (or none is due); the messages behind them wait too
            }
        }
    }

    /** What became of a message: delivered, done without delivery (refused for good), or waiting for a retry. */
    private enum Sent { DELIVERED, DONE, WAITS }

    /**
     * Sends one message: with the stored ticket, renewed first when it has expired and once more when the other node
     * refuses it (403). A 404 or 410 (of the coordinator or the other node: the match withdrawn, the signal erased) is
     * final: the message is marked done with the reason and holds up nothing behind it.
     */
    private Sent send(Message m) {
        java.util.Optional<HttpClient> peer = peers.of(m.counterpartNode());
        if (peer.isEmpty()) {
            postpone(m, "no URL for node " + m.counterpartNode() + " (betrokken.peers)");
            return Sent.WAITS;
        }
        MatchTickets.Ticket ticket = tickets.usable(m.matchId(), m.ticket());
        boolean renewed = !ticket.usable() || !ticket.text().equals(m.ticket());
        while (true) {
            if (ticket.isGone()) {
                done(m, ticket.gone());
                return Sent.DONE;
            }
            if (!ticket.usable()) {
                postpone(m, "no ticket for the match: the coordinator did not renew it now");
                return Sent.WAITS;
            }
            try {
                peer.get().toBlocking().exchange(HttpRequest.POST(
                                "/federation/v1/matches/" + m.matchId() + "/regie",
                                Map.of("ticket", ticket.text(), "ref", m.ownRef(), "action", m.action(),
                                        "at", m.at().toString()))
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(m.counterpartNode())));
                delete(m);
                return Sent.DELIVERED;
            } catch (HttpClientResponseException e) {
                int status = e.getStatus().getCode();
                LOG.warn("node {} refused a regie message for match {}: {}", m.counterpartNode(), m.matchId(), status);
                if (status == 404 || status == 410) {
                    done(m, "the other node answered HTTP " + status);
                    return Sent.DONE;
                }
                if (status == 409 && "CLAIM".equals(m.action())) {
                    lost(m); // the other side's node heard another claim first: ours does not hold
                    return Sent.DONE;
                }
                if (status == 403 && !renewed) {
                    ticket = tickets.renew(m.matchId()); // the other node refused the ticket: once more with a fresh one
                    renewed = true;
                    continue;
                }
                postpone(m, "HTTP " + status);
            } catch (HttpClientException e) {
                LOG.info("node {} not reachable for a regie message of match {}", m.counterpartNode(), m.matchId());
                postpone(m, "not reachable");
            }
            return Sent.WAITS;
        }
    }

    /** The oldest message of each side whose turn it is; a side whose match or signal is gone loses its messages. */
    private List<Message> due() {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement orphans = c.prepareStatement("DELETE FROM regie_message r WHERE NOT EXISTS"
                    + " (SELECT 1 FROM node_match m WHERE m.match_id = r.match_id AND m.signal_id = r.signal_id)")) {
                orphans.executeUpdate();
            }
            List<Message> due = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT r.id, r.match_id, r.action, r.at, r.attempts, s.ref, m.counterpart_node, m.ticket"
                            + " FROM regie_message r JOIN node_match m ON m.match_id = r.match_id AND m.signal_id = r.signal_id"
                            + " JOIN signal s ON s.id = r.signal_id"
                            + " WHERE r.done_at IS NULL AND r.next_attempt_at <= ? AND NOT EXISTS (SELECT 1"
                            + "   FROM regie_message o WHERE o.match_id = r.match_id AND o.signal_id = r.signal_id"
                            + "   AND o.id < r.id AND o.done_at IS NULL)"
                            + " ORDER BY r.id LIMIT 200")) {
                select.setTimestamp(1, Timestamp.from(clock.instant()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Message(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getString(6), rs.getString(7),
                                rs.getString(8)));
                    }
                }
            }
            return due;
        });
    }

    /** 5 s, 10 s, 20 s … after the n-th failure, at most an hour. */
    static Duration backoff(int failures) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 20));
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    private void postpone(Message m, String error) {
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE regie_message SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(clock.instant().plus(backoff(m.attempts() + 1))));
                update.setString(2, error);
                update.setLong(3, m.id());
                return update.executeUpdate();
            }
        });
    }

    /** Marks {@code m} done for good with {@code reason}: kept for the record, never sent again, blocking nothing. */
    private void done(Message m, String reason) {
        LOG.info("regie message for match {} done without delivery: {}", m.matchId(), reason);
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE regie_message SET attempts = attempts + 1, done_at = ?, done_reason = ? WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, reason.length() > 200 ? reason.substring(0, 200) : reason);
                update.setLong(3, m.id());
                return update.executeUpdate();
            }
        });
    }

    /**
     * The other side's node refused this side's claim because it heard another first (409): the claim is marked done,
     * and this side no longer holds regie by it (the other side's claim reaches this node as its own message).
     */
    private void lost(Message m) {
        LOG.info("regie claim for match {} not taken: the other side's node heard another claim first", m.matchId());
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE regie_message SET attempts = attempts + 1, done_at = ?, done_reason = ? WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, "not taken: the other side's node heard another claim first");
                update.setLong(3, m.id());
                update.executeUpdate();
            }
            try (PreparedStatement clear = c.prepareStatement(
                    "DELETE FROM match_regie WHERE match_id = ? AND signal_id = (SELECT signal_id FROM regie_message"
                            + " WHERE id = ?) AND holder_node = ? AND holder_ref = ? AND since = ?")) {
                clear.setObject(1, m.matchId());
                clear.setLong(2, m.id());
                clear.setString(3, node.nodeId());
                clear.setString(4, m.ownRef());
                clear.setTimestamp(5, Timestamp.from(m.at()));
                clear.executeUpdate();
            }
            return null;
        });
    }

    private void delete(Message m) {
        transactions.executeWrite(status -> {
            try (PreparedStatement delete = status.getConnection().prepareStatement(
                    "DELETE FROM regie_message WHERE id = ?")) {
                delete.setLong(1, m.id());
                return delete.executeUpdate();
            }
        });
    }
}
