package nl.betrokken.node.match;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.keys.NodeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's match tickets as this node holds them ({@code node_match.ticket}), renewed when they have expired
 * or the counterpart refused them: a ticket lives 30 days, a match and its follow-up much longer, and an outage can
 * outlast a ticket. The coordinator renews only for a party of a match that still exists
 * ({@code POST /internal/v1/matches/{id}/ticket}); its 404 or 410 is final: the match was withdrawn.
 */
@Singleton
public class MatchTickets {

    /** A ticket this close to its expiry is renewed before use, so it does not expire on the way. */
    static final Duration MARGIN = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(MatchTickets.class);

    /** What became of asking for a ticket: one to use, gone for good (with the reason), or not now. */
    public record Ticket(@Nullable String text, @Nullable String gone) {
        static Ticket of(String text) {
            return new Ticket(text, null);
        }

        static Ticket gone(String reason) {
            return new Ticket(null, reason);
        }

        static final Ticket LATER = new Ticket(null, null);

        public boolean usable() {
            return text != null;
        }

        public boolean isGone() {
            return gone != null;
        }
    }

    @Serdeable
    record Renewed(String ticket) {
    }

    private final HttpClient coordinator;
    private final NodeTokens tokens;
    private final TransactionOperations<Connection> transactions;
    private final JsonMapper json;
    private final Clock clock;
    private final NodeAudit audit;

    MatchTickets(@Client(id = "coordinator") HttpClient coordinator, NodeTokens tokens,
                 TransactionOperations<Connection> transactions, JsonMapper json, Clock clock, NodeAudit audit) {
        this.coordinator = coordinator;
        this.tokens = tokens;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
        this.audit = audit;
    }

    /** {@code stored} when it is still valid for a while, else a renewed one. */
    public Ticket usable(UUID matchId, @Nullable String stored) {
        return stored != null && !expired(stored) ? Ticket.of(stored) : renew(matchId);
    }

    /**
     * Whether {@code ticket} has expired or will within {@link #MARGIN}, by its {@code exp} claim. The signature is not
     * checked here: this only decides whether to ask for a new one; the counterpart checks the ticket itself.
     */
    boolean expired(String ticket) {
        try {
            String[] parts = ticket.split("\\.");
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            Object exp = json.readValue(new String(payload, StandardCharsets.UTF_8), Map.class).get("exp");
            return !(exp instanceof Number n)
                    || !Instant.ofEpochSecond(n.longValue()).isAfter(clock.instant().plus(MARGIN));
        } catch (Exception unreadable) {
            return true;
        }
    }

    /** Asks the coordinator for a fresh ticket for {@code matchId} and stores it for every side of the match here. */
    public Ticket renew(UUID matchId) {
        String ticket;
        try {
            ticket = coordinator.toBlocking().retrieve(HttpRequest.POST("/internal/v1/matches/" + matchId + "/ticket", "")
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)), Renewed.class).ticket();
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            if (status == 404 || status == 410) {
                return Ticket.gone("the coordinator no longer has the match (HTTP " + status + ")");
            }
            LOG.info("coordinator answered {} to a ticket renewal for match {}", status, matchId);
            return Ticket.LATER;
        } catch (HttpClientException | IllegalStateException e) {
            LOG.info("coordinator not reachable for a ticket renewal of match {}", matchId);
            return Ticket.LATER;
        }
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement update = c.prepareStatement("UPDATE node_match SET ticket = ? WHERE match_id = ?")) {
                update.setString(1, ticket);
                update.setObject(2, matchId);
                update.executeUpdate();
            }
            audit.record(c, AuditEvent.of("ticket.renewed", "system:tickets", audit.match(matchId)));
            return null;
        });
        return Ticket.of(ticket);
    }
}
