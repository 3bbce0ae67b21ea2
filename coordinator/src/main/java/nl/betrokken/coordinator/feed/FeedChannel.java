package nl.betrokken.coordinator.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries feed wake-ups between coordinator instances on one PostgreSQL database, with {@code LISTEN/NOTIFY}: when
 * an instance appends entries to a node's feed, every other instance wakes its readers of that feed at once.
 *
 * <p>Started with the server, on PostgreSQL only (the embedded H2 default is one instance). The channel is named
 * after the database schema, so coordinators on other schemas of the same database do not wake each other. A
 * notification carries the sending instance's id and node ids only. While the listening connection is lost, readers
 * fall back to re-reading the database every second ({@link FeedNotifier#recheck()}); after reconnecting, every
 * reader is woken once, since notifications sent meanwhile are gone.
 */
@Singleton
public class FeedChannel implements ApplicationEventListener<ServerStartupEvent> {

    /** PostgreSQL's limit on a payload is 8000 bytes; node ids are short, so this many fit with room to spare. */
    private static final int IDS_PER_NOTIFICATION = 100;
    /** After this long without a notification the listening connection is probed. */
    private static final long PROBE_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger(FeedChannel.class);

    private final DataSource dataSource;
    private final FeedNotifier notifier;
    private final String instance = UUID.randomUUID().toString();
    private volatile String channel;
    private volatile boolean running;
    private Thread listener;

    FeedChannel(DataSource dataSource, DataSourceResolver resolver, FeedNotifier notifier) {
        this.dataSource = resolver.resolve(dataSource);
        this.notifier = notifier;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (listener != null) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
                return;
            }
            channel = channelOf(c);
        } catch (SQLException e) {
            LOG.warn("feed wake-ups between instances are off: {}", e.getMessage());
            return;
        }
        running = true;
        listener = new Thread(this::listen, "feed-listener");
        listener.setDaemon(true);
        listener.start();
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Tells the other instances that these nodes' feeds have new entries (after the commit that appended them). */
    void publish(Collection<String> nodeIds) {
        String name = channel;
        if (name == null || nodeIds.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(nodeIds);
        try (Connection c = dataSource.getConnection();
             PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (int i = 0; i < ids.size(); i += IDS_PER_NOTIFICATION) {
                notify.setString(1, name);
                notify.setString(2, instance + " "
                        + String.join(",", ids.subList(i, Math.min(ids.size(), i + IDS_PER_NOTIFICATION))));
                notify.execute();
            }
        } catch (SQLException e) {
            // The other instances' readers still find the entries on their next re-read.
            LOG.warn("could not tell other instances of new feed entries: {}", e.getMessage());
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement listen = c.createStatement()) {
                    listen.execute("LISTEN \"" + channel + "\"");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                notifier.listening(this);
                notifier.wakeAll();
                long quietSince = System.nanoTime();
                while (running) {
                    PGNotification[] received = pg.getNotifications(1000);
                    if (received != null && received.length > 0) {
                        quietSince = System.nanoTime();
                        for (PGNotification n : received) {
                            received(n.getParameter());
                        }
                    } else if (System.nanoTime() - quietSince > PROBE_AFTER_NANOS) {
                        // A connection dropped silently (a firewall's idle time-out) raises nothing by itself: ask.
                        try (Statement probe = c.createStatement()) {
                            probe.setQueryTimeout(5);
                            probe.execute("SELECT 1");
                        }
                        quietSince = System.nanoTime();
                    }
                }
            } catch (SQLException e) {
                notifier.listening(null);
                // Readers waiting for the long re-read go over to the short one at once.
                notifier.wakeAll();
                if (running) {
                    LOG.warn("feed listener lost its connection, reconnecting: {}", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }
        notifier.listening(null);
    }

    private void received(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0 || payload.substring(0, space).equals(instance)) {
            return;
        }
        for (String nodeId : payload.substring(space + 1).split(",")) {
            notifier.wakeHere(nodeId);
        }
    }

    /** {@code betrokken_feed_<schema>}, in the characters of a plain identifier, at most 63 of them. */
    private static String channelOf(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            String schema = String.valueOf(rs.getString(1)).toLowerCase().replaceAll("[^a-z0-9_]", "_");
            String name = "betrokken_feed_" + schema;
            return name.length() > 63 ? name.substring(0, 63) : name;
        }
    }
}
