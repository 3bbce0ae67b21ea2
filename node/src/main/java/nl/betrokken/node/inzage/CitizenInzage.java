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

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.pseudonym.Pseudonym;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inzage of a person signed in at this node: their BSN pseudonymised under every accepted federation epoch (as a
 * signal's youth is, outbox/Outbox), the coordinator asked which signals name that person
 * ({@code POST /internal/v1/inzage}, one ticket per signal), and each signal fetched from its node
 * ({@code POST /federation/v1/inzage}; this node's own through {@link InzageServing} directly). A 404 means "nothing
 * for you there" (no such signal, not for this person's age, or held back) and leaves the signal out; any other
 * failure names the node in {@code unavailable}, so a page is never complete-looking when it is not. Without an
 * answer from the coordinator the whole inzage is a 503.
 */
@Singleton
public class CitizenInzage {

    private static final Logger LOG = LoggerFactory.getLogger(CitizenInzage.class);

    private final HttpClient coordinator;
    private final NodeKeys keys;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final InzageServing serving;
    private final NodeAudit audit;
    private final Map<String, HttpClient> peers = new ConcurrentHashMap<>();

    CitizenInzage(@Client(id = "coordinator") HttpClient coordinator, NodeKeys keys, NodeTokens tokens,
                  NodeConfiguration node, InzageServing serving, NodeAudit audit) {
        this.coordinator = coordinator;
        this.keys = keys;
        this.tokens = tokens;
        this.node = node;
        this.serving = serving;
        this.audit = audit;
    }

    @PreDestroy
    void close() {
        peers.values().forEach(HttpClient::close);
    }

    @Serdeable
    record EpochPseudonym(int epoch, String person) {
        @Override
        public String toString() {
            return "EpochPseudonym[" + epoch + "]";
        }
    }

    @Serdeable
    record LookUp(List<EpochPseudonym> pseudonyms) {
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
    record Answer(@Nullable List<Found> signals) {
    }

    @Serdeable
    record Fetch(String ticket) {
    }

    /**
     * Asks the coordinator which signals name {@code person} (as youth or parent), each with a fresh inzage ticket
     * for its holding node (also used by objection/).
     *
     * @throws nl.betrokken.problem.ProblemException 503 when the coordinator does not answer
     */
    public List<Found> lookUp(Bsn person) {
        List<EpochPseudonym> pseudonyms = new ArrayList<>();
        for (Pseudonym p : keys.pseudonymizer().pseudonymizeForMatching(person)) {
            pseudonyms.add(new EpochPseudonym(p.epoch(), p.encoded()));
        }
        Answer answer;
        try {
            answer = coordinator.toBlocking().retrieve(HttpRequest.POST("/internal/v1/inzage", new LookUp(pseudonyms))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)), Answer.class);
        } catch (HttpClientException e) {
            LOG.warn("inzage: the coordinator did not answer: {}", e.getClass().getSimpleName());
            throw Problems.unavailable("the federation's look-up cannot be reached now; try again later");
        }
        return answer.signals() == null ? List.of() : answer.signals();
    }

    /** The HTTP client for node {@code nodeId} ({@code betrokken.peers}), or empty when no URL is configured. */
    public java.util.Optional<HttpClient> peer(String nodeId) {
        String base = node.peerUrls().get(nodeId);
        if (base == null) {
            LOG.warn("no URL for node {} (betrokken.peers)", nodeId);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(peers.computeIfAbsent(base, CitizenInzage::client));
    }

    /** The inzage of {@code person}: every signal they may see, and the regions that did not answer. */
    public InzageItem.Page signals(Bsn person) {
        List<Found> found = lookUp(person);
        List<InzageItem> items = new ArrayList<>();
        Set<String> unavailable = new TreeSet<>();
        for (Found f : found) {
            if (unavailable.contains(f.node())) {
                continue; // once a node did not answer, the person waits for no second time-out from it
            }
            try {
                items.add(fetch(f));
            } catch (HttpClientResponseException e) {
                if (e.getStatus().getCode() != 404) {
                    LOG.warn("inzage: node {} answered {}", f.node(), e.getStatus().getCode());
                    unavailable.add(f.node());
                }
            } catch (HttpClientException | Unreachable e) {
                LOG.info("inzage: node {} did not answer", f.node());
                unavailable.add(f.node());
            } catch (ProblemException e) {
                if (e.problem().status() != 404) {
                    LOG.warn("inzage: this node refused its own ticket: {}", e.problem().status());
                    unavailable.add(f.node());
                }
            }
        }
        audit.record(AuditEvent.of("inzage.asked", "citizen:signed-in", "node:" + node.nodeId())
                .with("signals", items.size()).with("unavailable", unavailable.size()));
        // Newest first, then by node: the same page for the same facts, whatever order the answers came in.
        items.sort(java.util.Comparator.comparing(InzageItem::registeredOn).reversed()
                .thenComparing(InzageItem::node).thenComparing(InzageItem::id));
        return new InzageItem.Page(items, List.copyOf(unavailable));
    }

    private InzageItem fetch(Found f) throws Unreachable {
        if (f.node().equals(node.nodeId())) {
            return serving.serve(node.nodeId(), f.ticket());
        }
        HttpClient peer = peer(f.node()).orElseThrow(Unreachable::new);
        return peer.toBlocking().retrieve(
                HttpRequest.POST("/federation/v1/inzage", new Fetch(f.ticket()))
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(f.node())), InzageItem.class);
    }

    private static final class Unreachable extends Exception {
        Unreachable() {
            super(null, null, false, false);
        }
    }

    private static HttpClient client(String base) {
        DefaultHttpClientConfiguration config = new DefaultHttpClientConfiguration();
        config.setReadTimeout(Duration.ofSeconds(10));
        config.setConnectTimeout(Duration.ofSeconds(3));
        try {
            return HttpClient.create(URI.create(base).toURL(), config);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("peer URL " + base + " is not a URL", e);
        }
    }
}
