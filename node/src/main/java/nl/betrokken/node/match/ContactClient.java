package nl.betrokken.node.match;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.keys.NodeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the counterpart's contact data for new matches: from this node's own records when the counterpart is
 * here, else from the counterpart's node with the match ticket ({@code POST /federation/v1/contacts}). A match
 * whose counterpart does not answer keeps no contact yet and is tried again after the next feed page.
 */
@Singleton
class ContactClient {

    private static final Logger LOG = LoggerFactory.getLogger(ContactClient.class);

    private final Matches matches;
    private final NodeConfiguration node;
    private final NodeTokens tokens;
    private final Map<String, HttpClient> peers = new ConcurrentHashMap<>();

    ContactClient(Matches matches, NodeConfiguration node, NodeTokens tokens) {
        this.matches = matches;
        this.node = node;
        this.tokens = tokens;
    }

    @PreDestroy
    void close() {
        peers.values().forEach(HttpClient::close);
    }

    void fetchPending() {
        for (Matches.Pending p : matches.pending(200)) {
            fetch(p).ifPresent(contact -> matches.contactKnown(p, contact));
        }
    }

    /** The counterpart's contact, or empty when its node does not answer now. */
    Optional<Contact> fetch(Matches.Pending p) {
        if (p.counterpartNode().equals(node.nodeId())) {
            return matches.contactOf(p.counterpartRef());
        }
        String base = node.peerUrls().get(p.counterpartNode());
        if (base == null) {
            LOG.warn("no URL for peer node {} (betrokken.peers)", p.counterpartNode());
            return Optional.empty();
        }
        try {
            HttpClient http = peers.computeIfAbsent(base, ContactClient::client);
            return Optional.of(http.toBlocking().retrieve(HttpRequest.POST("/federation/v1/contacts",
                            Map.of("ticket", p.ticket(), "ref", p.ownRef()))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(p.counterpartNode())), Contact.class));
        } catch (HttpClientResponseException e) {
            LOG.warn("peer node {} refused a contact request for match {}: {}", p.counterpartNode(), p.matchId(),
                    e.getStatus().getCode());
        } catch (HttpClientException e) {
            LOG.info("peer node {} not reachable for match {}", p.counterpartNode(), p.matchId());
        }
        return Optional.empty();
    }

    /** What became of telling a peer node about a changed contact. */
    enum Push { DELIVERED, GONE, FAILED }

    /**
     * Tells {@code peerNode} that the contact behind this node's signal {@code ownRef} in match {@code matchId} is now
     * {@code contact} ({@code POST /federation/v1/contacts/changed}). GONE: the peer no longer holds that match.
     */
    Push push(String peerNode, UUID matchId, String ownRef, Contact contact) {
        String base = node.peerUrls().get(peerNode);
        if (base == null) {
            LOG.warn("no URL for peer node {} (betrokken.peers)", peerNode);
            return Push.FAILED;
        }
        try {
            HttpClient http = peers.computeIfAbsent(base, ContactClient::client);
            http.toBlocking().exchange(HttpRequest.POST("/federation/v1/contacts/changed",
                            new ContactChange(matchId, ownRef, contact))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(peerNode)));
            return Push.DELIVERED;
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 404) {
                return Push.GONE;
            }
            LOG.warn("peer node {} refused a contact change for match {}: {}", peerNode, matchId,
                    e.getStatus().getCode());
        } catch (HttpClientException e) {
            LOG.info("peer node {} not reachable for a contact change of match {}", peerNode, matchId);
        }
        return Push.FAILED;
    }

    private static HttpClient client(String base) {
        try {
            return HttpClient.create(URI.create(base).toURL());
        } catch (MalformedURLException e) {
            throw new IllegalStateException("peer URL " + base + " is not a URL", e);
        }
    }
}
