package nl.betrokken.node.inzage;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.observability.Clients;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inzage of a person signed in at this node: the relation source ({@link ParentalRelations}; by default the
 * coordinator's look-up of the signals that name the person, {@link SignalNamedParents}) gives one ticket per signal
 * the person may see, and each signal fetched from its node
 * ({@code POST /federation/v1/inzage}; this node's own through {@link InzageServing} directly). A 404 means "nothing
 * for you there" (no such signal, not for this person's age, or held back) and leaves the signal out; any other
 * failure names the node in {@code unavailable}, so a page is never complete-looking when it is not. Without an
 * answer from the coordinator the whole inzage is a 503.
 */
@Singleton
public class CitizenInzage {

    private static final Logger LOG = LoggerFactory.getLogger(CitizenInzage.class);

    private final ParentalRelations relations;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final Clients made;
    private final InzageServing serving;
    private final NodeAudit audit;
    private final Map<String, HttpClient> peers = new ConcurrentHashMap<>();

    CitizenInzage(ParentalRelations relations, NodeTokens tokens, NodeConfiguration node, InzageServing serving,
                  NodeAudit audit, Clients made) {
        this.made = made;
        this.relations = relations;
        this.tokens = tokens;
        this.node = node;
        this.serving = serving;
        this.audit = audit;
    }

    @PreDestroy
    void close() {
        peers.values().forEach(HttpClient::close);
    }

    /** One signal the coordinator found for the person: its node, its reference there, the relation, a ticket. */
    @Serdeable
    public record Found(String node, String ref, String relation, String ticket) {
        @Override
        public String toString() {
            return "Found[" + node + ", " + relation + "]";
        }
    }

    @Serdeable
    record Fetch(String ticket, boolean proofs) {
    }

    /**
     * The signals {@code person} may see in every region, each with a fresh inzage ticket for its holding node, from
     * the relation source ({@link ParentalRelations}; also used by objection/).
     *
     * @throws nl.betrokken.problem.ProblemException 503 when the source (by default the coordinator) does not answer
     */
    public List<Found> lookUp(Bsn person) {
        return relations.signalsFor(person);
    }

    /** The HTTP client for node {@code nodeId} ({@code betrokken.peers}), or empty when no URL is configured. */
    public java.util.Optional<HttpClient> peer(String nodeId) {
        String base = node.peerUrls().get(nodeId);
        if (base == null) {
            LOG.warn("no URL for node {} (betrokken.peers)", nodeId);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(peers.computeIfAbsent(base, this::client));
    }

    /**
     * The person's inzage: every signal they may see, without proofs (what the portal's page shows), and the nodes
     * that did not answer. Appends {@code inzage.asked}.
     */
    public InzageItem.Page signals(Bsn person) {
        return collect(person, false);
    }

    /**
     * The same, each access with its leaf and inclusion proof and each item with what it takes to check them, as the
     * holding nodes gave them in the same call as the item ({@link CitizenAccessLog}).
     */
    InzageItem.Page signalsWithProofs(Bsn person) {
        return collect(person, true);
    }

    private InzageItem.Page collect(Bsn person, boolean proofs) {
        List<Found> found = lookUp(person);
        Set<String> unavailable = new TreeSet<>();
        List<InzageItem> items = fetchEach("inzage", found, f -> {
            InzageItem item = fetch(f, proofs);
            return proofs ? item : item.withoutProofs();
        }, unavailable);
        AuditEvent asked = AuditEvent.of("inzage.asked", "citizen:signed-in", "node:" + node.nodeId())
                .with("signals", items.size()).with("unavailable", unavailable.size());
        audit.record(proofs ? asked.with("download", "access-log") : asked);
        // Newest first, then by node: the same page for the same facts, whatever order the answers came in.
        items.sort(java.util.Comparator.comparing(InzageItem::registeredOn).reversed()
                .thenComparing(InzageItem::node).thenComparing(InzageItem::id));
        return new InzageItem.Page(items, List.copyOf(unavailable));
    }

    /**
     * Fetches each of {@code found} from its node with {@code fetch} (used by the inzage and by veiligthuis/). A 404
     * (HTTP, or this node's own {@link ProblemException}) means "nothing for you there" and leaves the signal out; any
     * other failure, or {@link Unreachable}, adds the node to {@code unavailable}, and that node is not asked again in
     * this call, so the person waits for no second time-out from it.
     */
    public static <T> List<T> fetchEach(String what, List<Found> found, java.util.function.Function<Found, T> fetch,
                                        Set<String> unavailable) {
        List<T> out = new ArrayList<>();
        for (Found f : found) {
            if (unavailable.contains(f.node())) {
                continue;
            }
            try {
                out.add(fetch.apply(f));
            } catch (HttpClientResponseException e) {
                if (e.getStatus().getCode() != 404) {
                    LOG.warn("{}: node {} answered {}", what, f.node(), e.getStatus().getCode());
                    unavailable.add(f.node());
                }
            } catch (HttpClientException | Unreachable e) {
                LOG.info("{}: node {} did not answer", what, f.node());
                unavailable.add(f.node());
            } catch (ProblemException e) {
                if (e.problem().status() != 404) {
                    LOG.warn("{}: this node refused its own ticket: {}", what, e.problem().status());
                    unavailable.add(f.node());
                }
            }
        }
        return out;
    }

    private InzageItem fetch(Found f, boolean proofs) {
        if (f.node().equals(node.nodeId())) {
            return serving.serve(node.nodeId(), f.ticket(), proofs);
        }
        return peer(f.node()).orElseThrow(Unreachable::new).toBlocking().retrieve(
                HttpRequest.POST("/federation/v1/inzage", new Fetch(f.ticket(), proofs))
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(f.node())), InzageItem.class);
    }

    /** A node with no URL in {@code betrokken.peers}: it counts as one that did not answer ({@link #fetchEach}). */
    public static final class Unreachable extends RuntimeException {
        public Unreachable() {
            super(null, null, false, false);
        }
    }

    private HttpClient client(String base) {
        DefaultHttpClientConfiguration config = new DefaultHttpClientConfiguration();
        config.setReadTimeout(Duration.ofSeconds(10));
        config.setConnectTimeout(Duration.ofSeconds(3));
        try {
            URI.create(base).toURL(); // a URL, or refused here
            return made.create(URI.create(base), config);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("peer URL " + base + " is not a URL", e);
        }
    }
}
