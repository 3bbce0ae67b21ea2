package nl.betrokken.node.match;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.consent.ConsentFeed;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.node.outbox.CoordinatorContact;
import io.micronaut.core.propagation.PropagatedContext;
import nl.betrokken.observability.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows this node's match feed at the coordinator on one background thread: long-polls from the stored cursor,
 * stores a page's entries in one transaction (a redelivery is a no-op), then moves the cursor and acknowledges.
 * Delivery is at least once, so an entry delivered again after a crash changes nothing. A new match is stored with
 * its counterpart's contact data, asked of the other node with the match ticket, a page's in one call per other
 * node; matches whose counterpart did not answer are asked again after each page, each after its own back-off, and
 * those refused for good are marked done ({@link ContactClient}).
 */
@Singleton
public class FeedFollower implements ApplicationEventListener<ServerStartupEvent> {

    static final int WAIT_SECONDS = 25;
    /**
     * How many calls for a page's contacts run at once: one per other node with that node's matches, and one per
     * match whose counterpart is at this node. The matches are stored in feed order, a page's in one transaction.
     */
    static final int CONTACT_FETCHERS = 8;
    /** A consent on a match of one of this node's signals ended (withdrawn, expired): consent/ConsentFeed. */
    static final String CONSENT_ENDED = "CONSENT_ENDED";
    private static final Logger LOG = LoggerFactory.getLogger(FeedFollower.class);

    private final HttpClient coordinator;
    private final NodeTokens tokens;
    private final CoordinatorContact contact;
    private final Matches matches;
    private final ContactClient contacts;
    private final TransactionOperations<Connection> transactions;
    private final Trust trust;
    private final ConsentFeed consents;
    private final boolean enabled;
    private final String nodeId;
    private volatile Thread thread;
    private final ExecutorService fetchers = Executors.newFixedThreadPool(CONTACT_FETCHERS, r -> {
        Thread t = new Thread(r, "feed-contact-fetch");
        t.setDaemon(true);
        return t;
    });

    @Serdeable
    record Page(List<Entry> entries, long next) {
    }

    /** {@code consentId} and {@code reason}: of a CONSENT_ENDED entry only (absent otherwise, and from old coordinators). */
    @Serdeable
    record Entry(long seq, String kind, UUID matchId, @Nullable String type, String ref,
                 @Nullable Counterpart counterpart, boolean crossRegion, @Nullable String ticket,
                 @Nullable UUID consentId, @Nullable String reason) {
    }

    @Serdeable
    record Counterpart(String node, String ref) {
    }

    FeedFollower(@Client(id = "coordinator") HttpClient coordinator, NodeTokens tokens, Matches matches,
                 ContactClient contacts, TransactionOperations<Connection> transactions, Trust trust,
                 ConsentFeed consents, CoordinatorContact contact, NodeConfiguration node,
                 @Value("${betrokken.feed.follower.enabled:true}") boolean enabled) {
        this.enabled = enabled;
        this.nodeId = node.nodeId();
        this.contact = contact;
        this.consents = consents;
        this.trust = trust;
        this.coordinator = coordinator;
        this.tokens = tokens;
        this.matches = matches;
        this.contacts = contacts;
        this.transactions = transactions;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (thread == null && enabled) {
            thread = new Thread(this::run, "feed-follower");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops the thread when the application stops; what was not yet done stays in the database for the next start. */
    @PreDestroy
    void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        fetchers.shutdownNow();
    }

    private void run() {
        int failures = 0;
        boolean warm = false;
        while (!Thread.currentThread().isInterrupted()) {
            // Each pass has a request id of its own, sent on its calls to the coordinator and to other nodes.
            PropagatedContext.Scope pass = RequestIds.background("feed");
            try {
                if (!warm) {
                    trust.warmUp();
                    warm = true;
                }
                long cursor = cursor();
                Page page = coordinator.toBlocking().retrieve(HttpRequest.GET(
                                "/internal/v1/feed?after=" + cursor + "&waitSeconds=" + WAIT_SECONDS)
                        .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)), Page.class);
                contact.answered();
                List<Future<Map<UUID, Contact>>> fetched = fetchContacts(page.entries());
                List<Matches.WithContact> batch = new ArrayList<>();
                for (int i = 0; i < page.entries().size(); i++) {
                    Entry e = page.entries().get(i);
                    if (CONSENT_ENDED.equals(e.kind())) {
                        matches.applyAll(batch); // in feed order: the matches before it first
                        batch.clear();
                        if (e.consentId() != null) {
                            consents.ended(e.consentId(), e.matchId(), e.reason() == null ? "ENDED" : e.reason(),
                                    e.ref());
                        }
                        continue;
                    }
                    if (!"MATCH_CREATED".equals(e.kind()) && !"MATCH_WITHDRAWN".equals(e.kind())) {
                        LOG.info("feed: entry {} of a kind this node does not know ({}) skipped", e.seq(), e.kind());
                        continue;
                    }
                    // The contact is asked first, so that a professional sees the match with whom to call at once;
                    // if the other node does not answer now, the match is stored without and asked again later.
                    batch.add(new Matches.WithContact(delivered(e),
                            fetched.get(i) == null ? null : contact(fetched.get(i), e.matchId())));
                }
                matches.applyAll(batch);
                if (!page.entries().isEmpty()) {
                    storeCursor(page.next());
                    coordinator.toBlocking().exchange(HttpRequest.POST("/internal/v1/feed/ack",
                                    Map.of("upTo", page.next()))
                            .contentType(MediaType.APPLICATION_JSON_TYPE)
                            .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)));
                }
                contacts.fetchPending();
                failures = 0;
            } catch (HttpClientException | IllegalStateException e) {
                failures++;
                LOG.info("feed: coordinator not reachable ({} failure(s) in a row)", failures);
                if (!pause(Math.min(30_000L, 500L << Math.min(failures, 6)))) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failures++;
                LOG.warn("feed: {}", e.getClass().getSimpleName());
                if (!pause(5_000)) {
                    return;
                }
            } finally {
                pass.close();
            }
        }
    }

    private static Matches.Delivered delivered(Entry e) {
        return new Matches.Delivered(e.matchId(), e.kind(), e.type(), e.ref(), e.counterpart().node(),
                e.counterpart().ref(), e.crossRegion(), e.ticket());
    }

    /**
     * Asks the contacts of the page's new matches: those whose counterpart is at another node in one call per node
     * ({@link ContactClient#fetchAll}), those here one by one, {@link #CONTACT_FETCHERS} at a time; for each entry
     * the contacts found by match id (null for other entries).
     */
    private List<Future<Map<UUID, Contact>>> fetchContacts(List<Entry> entries) {
        List<Future<Map<UUID, Contact>>> fetched = new ArrayList<>(entries.size());
        Map<String, List<Matches.Pending>> byPeer = new LinkedHashMap<>();
        Map<String, Future<Map<UUID, Contact>>> ofPeer = new HashMap<>();
        for (Entry e : entries) {
            if ("MATCH_CREATED".equals(e.kind()) && e.counterpart() != null && !e.counterpart().node().equals(nodeId)) {
                byPeer.computeIfAbsent(e.counterpart().node(), k -> new ArrayList<>()).add(delivered(e).pending());
            }
        }
        // The pass's request id goes with each fetch to the other node.
        byPeer.forEach((peer, pending) -> {
            Callable<Map<UUID, Contact>> fetch = () -> contacts.fetchAll(peer, pending).found();
            ofPeer.put(peer, fetchers.submit(PropagatedContext.wrapCurrent(fetch)));
        });
        for (Entry e : entries) {
            if (!"MATCH_CREATED".equals(e.kind()) || e.counterpart() == null) {
                fetched.add(null);
            } else if (ofPeer.containsKey(e.counterpart().node())) {
                fetched.add(ofPeer.get(e.counterpart().node()));
            } else {
                Matches.Pending pending = delivered(e).pending();
                Callable<Map<UUID, Contact>> fetch = () -> contacts.fetch(pending)
                        .map(contact -> Map.of(pending.matchId(), contact)).orElse(Map.of());
                fetched.add(fetchers.submit(PropagatedContext.wrapCurrent(fetch)));
            }
        }
        return fetched;
    }

    private static @Nullable Contact contact(Future<Map<UUID, Contact>> fetched, UUID matchId)
            throws InterruptedException {
        try {
            return fetched.get().get(matchId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private long cursor() {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT after_seq FROM feed_cursor WHERE id = 1");
                 ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private void storeCursor(long next) {
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE feed_cursor SET after_seq = ? WHERE id = 1 AND after_seq < ?")) {
                update.setLong(1, next);
                update.setLong(2, next);
                return update.executeUpdate();
            }
        });
    }

    /** For tests and tools: whether the follower thread runs. */
    boolean running() {
        return Optional.ofNullable(thread).map(Thread::isAlive).orElse(false);
    }
}
