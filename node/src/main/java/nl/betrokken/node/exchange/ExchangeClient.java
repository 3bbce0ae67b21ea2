package nl.betrokken.node.exchange;

import java.util.Map;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.node.match.MatchTickets;
import nl.betrokken.node.match.Peers;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a message to the counterpart's node ({@code POST /federation/v1/messages}) with this node's token and the
 * match ticket, as match/ContactClient asks for a contact: an expired ticket, or one the counterpart refuses, is
 * renewed at the coordinator and the delivery tried once more (the message id makes it count once).
 */
@Singleton
class ExchangeClient {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeClient.class);

    private final NodeTokens tokens;
    private final MatchTickets tickets;
    private final JsonMapper json;
    private final Peers peers;

    ExchangeClient(NodeTokens tokens, MatchTickets tickets, JsonMapper json, Peers peers) {
        this.tokens = tokens;
        this.tickets = tickets;
        this.json = json;
        this.peers = peers;
    }

    /**
     * Delivers {@code d} to the counterpart of {@code side}.
     *
     * @throws Exchanges.Refused when the counterpart refuses it by its consent
     * @throws nl.betrokken.problem.ProblemException 410 when the match or the counterpart's signal is gone, 503 when
     *     the counterpart or the coordinator cannot be reached now
     */
    void deliver(Exchanges.Side side, Delivery d) {
        HttpClient http = peers.of(side.counterpartNode()).orElseThrow(() ->
                Problems.unavailable("the counterpart's node cannot be reached now; try again later"));
        MatchTickets.Ticket ticket = tickets.usable(side.matchId(), side.ticket());
        boolean renewed = side.ticket() == null || !ticket.usable() || !ticket.text().equals(side.ticket());
        for (int attempt = 0; ; attempt++) {
            if (ticket.isGone()) {
                throw Problems.gone("match-withdrawn", "Match withdrawn",
                        "the coordinator no longer has the match; nothing more is exchanged");
            }
            if (!ticket.usable()) {
                throw Problems.unavailable("the match ticket cannot be renewed now; try again later");
            }
            Delivery withTicket = new Delivery(ticket.text(), d.ref(), d.id(), d.sentAt(), d.from(), d.text(), d.file(),
                    d.consentToken(), d.exception());
            try {
                http.toBlocking().exchange(HttpRequest.POST("/federation/v1/messages", withTicket)
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(side.counterpartNode())));
                return;
            } catch (HttpClientResponseException e) {
                int status = e.getStatus().getCode();
                Map<String, Object> problem = problem(e);
                Object type = problem.get("type");
                String last = type == null ? "" : type.toString().substring(type.toString().lastIndexOf('/') + 1);
                LOG.warn("peer node {} refused message {} of match {}: {} {}", side.counterpartNode(), d.id(),
                        side.matchId(), status, last);
                if (status == 403 && last.matches("consent-[a-z-]{1,40}")) {
                    Object consent = problem.get("consent");
                    throw new Exchanges.Refused(last, consentId(consent));
                }
                if (status == 404 || status == 410) {
                    throw Problems.gone("counterpart-gone", "Counterpart gone",
                            "the counterpart's node no longer exchanges about this match (HTTP " + status + ")");
                }
                if (status != 403 || renewed || attempt > 0) {
                    throw Problems.unavailable("the counterpart's node did not accept the message now (HTTP " + status
                            + "); try again later");
                }
                ticket = tickets.renew(side.matchId()); // the counterpart refused the ticket: once more with a fresh one
                renewed = true;
            } catch (HttpClientException e) {
                LOG.info("peer node {} not reachable for message {}", side.counterpartNode(), d.id());
                throw Problems.unavailable("the counterpart's node cannot be reached now; try again later");
            }
        }
    }

    private Map<String, Object> problem(HttpClientResponseException e) {
        try {
            String body = e.getResponse().getBody(String.class).orElse("");
            return body.isBlank() ? Map.of() : json.readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return Map.of();
        }
    }

    /** The consent a peer's refusal names, or null when it names none or nothing that is a consent id. */
    private static java.util.UUID consentId(Object named) {
        try {
            return named == null ? null : java.util.UUID.fromString(named.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
