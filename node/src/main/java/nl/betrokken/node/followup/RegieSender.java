package nl.betrokken.node.followup;

import java.net.MalformedURLException;
import java.net.URI;
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
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.keys.NodeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the counterpart's node of regie claims and releases ({@code regie_message}), oldest first per side of a
 * match, with {@code POST /federation/v1/matches/{id}/regie}, the node token and the match ticket. A message is
 * deleted only once the other node accepted it; until then it is tried again with back-off (5 s, 10 s, 20 s … at
 * most an hour), so nothing is lost while a node is down, and no message of a side overtakes an older one.
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
    private final Clock clock;
    private final Map<String, HttpClient> peers = new ConcurrentHashMap<>();

    private record Message(long id, UUID matchId, String action, Instant at, int attempts, String ownRef,
                           String counterpartNode, String ticket) {
    }

    RegieSender(TransactionOperations<Connection> transactions, NodeConfiguration node, NodeTokens tokens, Clock clock) {
        this.transactions = transactions;
        this.node = node;
        this.tokens = tokens;
        this.clock = clock;
    }

    @PreDestroy
    void close() {
        peers.values().forEach(HttpClient::close);
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
            if (due.isEmpty()) {
                return delivered;
            }
            int before = delivered;
            for (Message m : due) {
                delivered += send(m) ? 1 : 0;
            }
            if (delivered == before) {
                return delivered; // every head failed and waits; the messages behind them wait too
            }
        }
    }

    private boolean send(Message m) {
        if (m.ticket() == null) {
            postpone(m, "no ticket for the match");
            return false;
        }
        String base = node.peerUrls().get(m.counterpartNode());
        if (base == null) {
            postpone(m, "no URL for node " + m.counterpartNode() + " (betrokken.peers)");
            return false;
        }
        try {
            peers.computeIfAbsent(base, RegieSender::client).toBlocking().exchange(HttpRequest.POST(
                            "/federation/v1/matches/" + m.matchId() + "/regie",
                            Map.of("ticket", m.ticket(), "ref", m.ownRef(), "action", m.action(), "at", m.at().toString()))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(m.counterpartNode())));
            delete(m);
            return true;
        } catch (HttpClientResponseException e) {
            LOG.warn("node {} refused a regie message for match {}: {}", m.counterpartNode(), m.matchId(),
                    e.getStatus().getCode());
            postpone(m, "HTTP " + e.getStatus().getCode());
        } catch (HttpClientException e) {
            LOG.info("node {} not reachable for a regie message of match {}", m.counterpartNode(), m.matchId());
            postpone(m, "not reachable");
        }
        return false;
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
                            + " WHERE r.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM regie_message o"
                            + "   WHERE o.match_id = r.match_id AND o.signal_id = r.signal_id AND o.id < r.id)"
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

    private void delete(Message m) {
        transactions.executeWrite(status -> {
            try (PreparedStatement delete = status.getConnection().prepareStatement(
                    "DELETE FROM regie_message WHERE id = ?")) {
                delete.setLong(1, m.id());
                return delete.executeUpdate();
            }
        });
    }

    private static HttpClient client(String base) {
        try {
            return HttpClient.create(URI.create(base).toURL());
        } catch (MalformedURLException e) {
            throw new IllegalStateException("peer URL " + base + " is not a URL", e);
        }
    }
}
