package nl.betrokken.node.match;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.http.client.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.observability.Clients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP clients for calls to the other nodes about a match (contacts, regie, the exchange): one per node URL
 * ({@code betrokken.peers}), made on first use and closed when this node stops.
 */
@Singleton
public class Peers {

    private static final Logger LOG = LoggerFactory.getLogger(Peers.class);

    private final NodeConfiguration node;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    private final Clients made;

    Peers(NodeConfiguration node, Clients made) {
        this.made = made;
        this.node = node;
    }

    /** The client for node {@code nodeId}, or empty (with a warning) when no URL is configured for it. */
    public Optional<HttpClient> of(String nodeId) {
        String base = node.peerUrls().get(nodeId);
        if (base == null) {
            LOG.warn("no URL for peer node {} (betrokken.peers)", nodeId);
            return Optional.empty();
        }
        return Optional.of(clients.computeIfAbsent(base, this::client));
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
    }

    private HttpClient client(String base) {
        try {
            URI.create(base).toURL(); // a URL, or refused here
            return made.create(URI.create(base), new DefaultHttpClientConfiguration());
        } catch (MalformedURLException e) {
            throw new IllegalStateException("peer URL " + base + " is not a URL", e);
        }
    }
}
