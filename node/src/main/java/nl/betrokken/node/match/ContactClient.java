package nl.betrokken.node.match;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.node.keys.NodeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the counterpart's contact data for new matches: from this node's own records when the counterpart is
 * here, else from the counterpart's node with the match ticket ({@code POST /federation/v1/contacts}). A match
 * whose counterpart does not answer keeps no contact yet and is tried again after the next feed page, with back-off
 * per match, so that it holds up no newer one. An expired ticket, or one the counterpart refuses, is renewed at the
 * coordinator ({@link MatchTickets}) and the request tried again. A request refused for good (the coordinator or the
 * counterpart's node answers 404 or 410: the match withdrawn, the signal erased) is marked done with the reason.
 */
@Singleton
class ContactClient {

    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(ContactClient.class);

    private final Matches matches;
    private final NodeConfiguration node;
    private final NodeTokens tokens;
    private final MatchTickets tickets;
    private final Peers peers;

    ContactClient(Matches matches, NodeConfiguration node, NodeTokens tokens, MatchTickets tickets, Peers peers) {
        this.matches = matches;
        this.node = node;
        this.tokens = tokens;
        this.tickets = tickets;
        this.peers = peers;
    }

    /** What became of asking for a counterpart's contact: the contact, gone for good (with why), or not now. */
    record Fetched(@Nullable Contact contact, @Nullable String gone) {
        static final Fetched LATER = new Fetched(null, null);

        static Fetched gone(String reason) {
            return new Fetched(null, reason);
        }
    }

    /** Asks for the contact of every match whose turn it is; returns how many were fetched. */
    int fetchPending() {
        int fetched = 0;
        List<Matches.Pending> due = matches.pending(200);
        // First in one call per other node; what that does not bring, one by one (renewing a ticket, learning why).
        Map<String, List<Matches.Pending>> byPeer = new HashMap<>();
        for (Matches.Pending p : due) {
            if (!p.counterpartNode().equals(node.nodeId())) {
                byPeer.computeIfAbsent(p.counterpartNode(), k -> new ArrayList<>()).add(p);
            }
        }
        Map<UUID, Contact> found = new HashMap<>();
        Set<String> failed = new HashSet<>();
        byPeer.forEach((peer, pending) -> {
            Batch batch = fetchAll(peer, pending);
            found.putAll(batch.found());
            if (batch.outcome() == Outcome.FAILED) {
                failed.add(peer);
            }
        });
        for (Matches.Pending p : due) {
            Contact contact = found.get(p.matchId());
            // A peer that failed the batch call is not asked one by one now: each match waits its back-off.
            Fetched f = contact != null ? new Fetched(contact, null)
                    : failed.contains(p.counterpartNode()) ? Fetched.LATER : fetchOrRenew(p);
            if (f.contact() != null) {
                matches.contactKnown(p, f.contact());
                fetched++;
            } else if (f.gone() != null) {
                LOG.info("contact for match {} refused for good: {}", p.matchId(), f.gone());
                matches.contactRefused(p, f.gone());
            } else {
                matches.contactLater(p, backoff(p.attempts() + 1));
            }
        }
        return fetched;
    }

    /** 1 s, 2 s, 4 s … after the n-th failure in a row, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int failures) {
        long seconds = 1L << Math.min(Math.max(failures - 1, 0), 20);
        return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }

    /** The counterpart's contact, or empty when its node does not answer now. */
    Optional<Contact> fetch(Matches.Pending p) {
        return Optional.ofNullable(fetchOrRenew(p).contact());
    }

    /** What a batch call brought: the contacts by match id, and whether the peer answered it at all. */
    record Batch(Map<UUID, Contact> found, Outcome outcome) {
    }

    /** ANSWERED: the peer answered (a match left out was refused); NO_BATCH: it does not know the call (404); FAILED. */
    enum Outcome { ANSWERED, NO_BATCH, FAILED }

    /**
     * The contacts of new matches whose counterparts are all at {@code peerNode}, asked in calls of up to
     * {@link ContactBatchRequest#MAX} matches and {@link ContactBatchRequest#MAX_CHARS} characters of tickets
     * ({@code POST /federation/v1/contacts/batch}), by match id. What is not found is asked again by
     * {@link #fetchPending}: one by one after a call that answered or that the peer does not know (an older node), after
     * a back-off when the peer failed.
     */
    Batch fetchAll(String peerNode, List<Matches.Pending> pending) {
        Optional<HttpClient> peer = peers.of(peerNode);
        Map<UUID, Contact> found = new HashMap<>();
        if (peer.isEmpty()) {
            return new Batch(found, Outcome.FAILED);
        }
        Map<UUID, String> refOf = new HashMap<>();
        List<ContactRequest> usable = new ArrayList<>();
        for (Matches.Pending p : pending) {
            MatchTickets.Ticket ticket = tickets.usable(p.matchId(), p.ticket());
            if (ticket.usable()) {
                usable.add(new ContactRequest(ticket.text(), p.ownRef()));
                refOf.put(p.matchId(), p.ownRef());
            }
        }
        for (List<ContactRequest> asked : calls(usable)) {
            try {
                List<Matches.Served> served = peer.get().toBlocking().retrieve(
                        HttpRequest.POST("/federation/v1/contacts/batch", new ContactBatchRequest(asked))
                                .contentType(MediaType.APPLICATION_JSON_TYPE)
                                .bearerAuth(tokens.forCall(peerNode)), Argument.listOf(Matches.Served.class));
                for (Matches.Served s : served) {
                    if (s.ref().equals(refOf.get(s.matchId()))) {
                        found.put(s.matchId(), s.contact());
                    }
                }
            } catch (HttpClientResponseException e) {
                if (e.getStatus() == HttpStatus.NOT_FOUND) {
                    return new Batch(found, Outcome.NO_BATCH);
                }
                LOG.warn("peer node {} refused a batch of {} contact requests: {}", peerNode, asked.size(),
                        e.getStatus().getCode());
                return new Batch(found, Outcome.FAILED);
            } catch (HttpClientException e) {
                LOG.info("peer node {} not reachable for {} contact requests", peerNode, asked.size());
                return new Batch(found, Outcome.FAILED);
            }
        }
        return new Batch(found, Outcome.ANSWERED);
    }

    /** {@code asked} cut into calls of at most {@link ContactBatchRequest#MAX} and {@link ContactBatchRequest#MAX_CHARS}. */
    private static List<List<ContactRequest>> calls(List<ContactRequest> asked) {
        List<List<ContactRequest>> calls = new ArrayList<>();
        List<ContactRequest> call = new ArrayList<>();
        int chars = 0;
        for (ContactRequest r : asked) {
            int size = r.ticket().length() + r.ref().length() + 32;
            if (!call.isEmpty() && (call.size() == ContactBatchRequest.MAX || chars + size > ContactBatchRequest.MAX_CHARS)) {
                calls.add(call);
                call = new ArrayList<>();
                chars = 0;
            }
            call.add(r);
            chars += size;
        }
        if (!call.isEmpty()) {
            calls.add(call);
        }
        return calls;
    }

    /** Asks for the contact with the stored ticket, renewed first when it has expired and again when refused. */
    Fetched fetchOrRenew(Matches.Pending p) {
        if (p.counterpartNode().equals(node.nodeId())) {
            // Both signals at this node: the same rules as for another node's request, and the same record.
            try {
                return new Fetched(matches.serveContact(node.nodeId(), p.ownRef(), p.matchId(), p.counterpartRef()),
                        null);
            } catch (ProblemException refused) {
                return Fetched.gone("this node refused its own counterpart's contact: HTTP "
                        + refused.problem().status());
            }
        }
        Optional<HttpClient> peer = peers.of(p.counterpartNode());
        if (peer.isEmpty()) {
            return Fetched.LATER;
        }
        MatchTickets.Ticket ticket = tickets.usable(p.matchId(), p.ticket());
        boolean renewed = !ticket.usable() || !ticket.text().equals(p.ticket());
        for (int attempt = 0; ; attempt++) {
            if (ticket.isGone()) {
                return Fetched.gone(ticket.gone());
            }
            if (!ticket.usable()) {
                return Fetched.LATER;
            }
            try {
                return new Fetched(peer.get().toBlocking().retrieve(HttpRequest.POST("/federation/v1/contacts",
                                Map.of("ticket", ticket.text(), "ref", p.ownRef()))
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(p.counterpartNode())), Contact.class), null);
            } catch (HttpClientResponseException e) {
                int status = e.getStatus().getCode();
                LOG.warn("peer node {} refused a contact request for match {}: {}", p.counterpartNode(), p.matchId(),
                        status);
                if (status == 404 || status == 410) {
                    return Fetched.gone("the counterpart's node answered HTTP " + status);
                }
                if (status != 403 || renewed || attempt > 0) {
                    return Fetched.LATER;
                }
                ticket = tickets.renew(p.matchId()); // the counterpart refused the ticket: once more with a fresh one
                renewed = true;
            } catch (HttpClientException e) {
                LOG.info("peer node {} not reachable for match {}", p.counterpartNode(), p.matchId());
                return Fetched.LATER;
            }
        }
    }

    /** What became of telling a peer node about a changed contact. */
    enum Push { DELIVERED, GONE, FAILED }

    /**
     * Tells {@code peerNode} that the contact behind this node's signal {@code ownRef} in match {@code matchId} is now
     * {@code contact} ({@code POST /federation/v1/contacts/changed}). GONE: the peer no longer holds that match.
     */
    Push push(String peerNode, UUID matchId, String ownRef, Contact contact) {
        Optional<HttpClient> peer = peers.of(peerNode);
        if (peer.isEmpty()) {
            return Push.FAILED;
        }
        try {
            peer.get().toBlocking().exchange(HttpRequest.POST("/federation/v1/contacts/changed",
                            new ContactChange(matchId, ownRef, contact))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(peerNode)));
            return Push.DELIVERED;
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 404 || e.getStatus().getCode() == 410) {
                return Push.GONE;
            }
            LOG.warn("peer node {} refused a contact change for match {}: {}", peerNode, matchId,
                    e.getStatus().getCode());
        } catch (HttpClientException e) {
            LOG.info("peer node {} not reachable for a contact change of match {}", peerNode, matchId);
        }
        return Push.FAILED;
    }
}
