package nl.betrokken.node.match;


import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.followup.FollowUps;
import nl.betrokken.node.notify.Notifications;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/** The node's matches and the contact data of its own professionals, as stored at this node. */
@Singleton
public class Matches {

    private final TransactionOperations<Connection> transactions;
    private final JsonMapper json;
    private final Clock clock;
    private final NodeAudit audit;
    private final FollowUps followUps;

    Matches(TransactionOperations<Connection> transactions, JsonMapper json, Clock clock, NodeAudit audit,
            FollowUps followUps) {
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
        this.audit = audit;
        this.followUps = followUps;
    }

    /** A match entry from the feed, about this node's signal {@code ownRef}. */
    record Delivered(UUID matchId, String kind, String type, String ownRef, String counterpartNode,
                     String counterpartRef, boolean crossRegion, String ticket) {

        Pending pending() {
            return new Pending(matchId, null, ownRef, counterpartNode, counterpartRef, ticket, 0);
        }
    }

    /** A stored match whose counterpart's contact data is still to be fetched, after {@code attempts} tries. */
    record Pending(UUID matchId, UUID signalId, String ownRef, String counterpartNode, String counterpartRef,
                   String ticket, int attempts) {
    }

    /**
     * Stores a delivered entry; a redelivery changes nothing. A withdrawal marks the match withdrawn. A new match or
     * a withdrawal adds, in the same transaction, a notification for the professional of this node's signal.
     * An entry for a signal this node no longer has (erased) is ignored.
     */
    void apply(Delivered d, @Nullable Contact contact) {
        applyAll(List.of(new WithContact(d, contact)));
    }

    /** A delivered entry and its counterpart's contact (null when not fetched). */
    record WithContact(Delivered delivered, @Nullable Contact contact) {
    }

    /**
     * Stores delivered entries as {@link #apply} does, in their order and in one transaction: a feed page costs one
     * commit and one turn at the audit log's head, not one per entry. The audit entries are appended last, after every
     * row is written, so that the head is held only until the commit and never while a row lock is awaited.
     */
    void applyAll(List<WithContact> entries) {
        if (entries.isEmpty()) {
            return;
        }
        transactions.executeWrite(status -> {
            List<AuditEvent> events = new ArrayList<>();
            for (WithContact e : entries) {
                applyIn(status.getConnection(), e.delivered(), e.contact(), events);
            }
            for (AuditEvent event : events) {
                audit.record(status.getConnection(), event);
            }
            return null;
        });
    }

    private int applyIn(Connection c, Delivered d, @Nullable Contact contact, List<AuditEvent> events)
            throws SQLException, IOException {
        Optional<UUID> signal = signalId(c, d.ownRef());
        if (signal.isEmpty()) {
            return 0;
        }
        if ("MATCH_WITHDRAWN".equals(d.kind())) {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE node_match SET status = 'WITHDRAWN' WHERE match_id = ? AND signal_id = ?"
                            + " AND status <> 'WITHDRAWN'")) {
                update.setObject(1, d.matchId());
                update.setObject(2, signal.get());
                int changed = update.executeUpdate();
                if (changed > 0) { // only a real change is told, so a redelivery notifies no one twice
                    Notifications.enqueueForSignal(c, signal.get(), Notifications.MATCH_WITHDRAWN, d.matchId(),
                            clock.instant());
                    events.add(AuditEvent.of("match.withdrawn", "system:feed", audit.match(d.matchId()))
                            .with("signal", audit.signal(signal.get())));
                }
                return changed;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO node_match (match_id, signal_id, match_type, cross_region, counterpart_node,"
                        + " counterpart_ref, ticket, counterpart_contact, status, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, d.matchId());
            insert.setObject(2, signal.get());
            insert.setString(3, d.type());
            insert.setBoolean(4, d.crossRegion());
            insert.setString(5, d.counterpartNode());
            insert.setString(6, d.counterpartRef());
            insert.setString(7, d.ticket());
            insert.setString(8, contact == null ? null : json.writeValueAsString(contact));
            insert.setTimestamp(9, Timestamp.from(clock.instant()));
            int inserted = insert.executeUpdate();
            if (inserted > 0) { // a new match, not a redelivery
                Notifications.enqueueForSignal(c, signal.get(), Notifications.MATCH_CREATED, d.matchId(),
                        clock.instant());
                events.add(AuditEvent.of("match.received", "system:feed", audit.match(d.matchId()))
                        .with("signal", audit.signal(signal.get())).with("type", NodeAudit.reference(d.type()))
                        .with("counterpartNode", NodeAudit.reference(d.counterpartNode())));
                if (contact != null) {
                    events.add(contactFetched(d.matchId(), signal.get(), d.counterpartNode()));
                }
            }
            return inserted;
        }
    }

    /**
     * Matches whose counterpart contact is not yet known and whose turn it is: not refused for good, and past their
     * back-off, so that matches whose counterpart does not answer hold up no newer one.
     */
    List<Pending> pending(int limit) {
        return transactions.executeRead(status -> {
            List<Pending> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.match_id, m.signal_id, s.ref, m.counterpart_node, m.counterpart_ref, m.ticket,"
                            + " m.contact_attempts FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " WHERE m.counterpart_contact IS NULL AND m.status = 'ACTIVE' AND m.contact_refused IS NULL"
                            + " AND (m.contact_next_at IS NULL OR m.contact_next_at <= ?) ORDER BY m.created_at LIMIT ?")) {
                select.setTimestamp(1, Timestamp.from(clock.instant()));
                select.setInt(2, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Pending(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7)));
                    }
                }
            }
            return out;
        });
    }

    /** The contact of {@code p} could not be fetched now: tried again after {@code backoff}. */
    void contactLater(Pending p, Duration backoff) {
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE node_match SET contact_attempts = contact_attempts + 1, contact_next_at = ?"
                            + " WHERE match_id = ? AND signal_id = ?")) {
                update.setTimestamp(1, Timestamp.from(clock.instant().plus(backoff)));
                update.setObject(2, p.matchId());
                update.setObject(3, p.signalId());
                return update.executeUpdate();
            }
        });
    }

    /**
     * The contact of {@code p} will never come (the match withdrawn, the counterpart's signal erased): marked done with
     * {@code reason}, and never asked again.
     */
    void contactRefused(Pending p, String reason) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE node_match SET contact_refused = ?, contact_attempts = contact_attempts + 1"
                            + " WHERE match_id = ? AND signal_id = ? AND contact_refused IS NULL")) {
                update.setString(1, reason.length() > 200 ? reason.substring(0, 200) : reason);
                update.setObject(2, p.matchId());
                update.setObject(3, p.signalId());
                if (update.executeUpdate() > 0) {
                    audit.record(c, AuditEvent.of("contact.refused", "system:feed", audit.match(p.matchId()))
                            .with("signal", audit.signal(p.signalId()))
                            .with("fromNode", NodeAudit.reference(p.counterpartNode())));
                }
            }
            return null;
        });
    }

    void contactKnown(Pending p, Contact contact) {
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE node_match SET counterpart_contact = ? WHERE match_id = ? AND signal_id = ?")) {
                update.setString(1, json.writeValueAsString(contact));
                update.setObject(2, p.matchId());
                update.setObject(3, p.signalId());
                int updated = update.executeUpdate();
                if (updated > 0) {
                    audit.record(status.getConnection(), contactFetched(p.matchId(), p.signalId(), p.counterpartNode()));
                }
                return updated;
            }
        });
    }

    /** The counterpart's contact data came in (from its node, or from this node's own records) and is stored. */
    private AuditEvent contactFetched(UUID matchId, UUID signalId, String fromNode) {
        return AuditEvent.of("contact.fetched", "system:feed", audit.match(matchId))
                .with("signal", audit.signal(signalId)).with("fromNode", NodeAudit.reference(fromNode));
    }

    /**
     * The matches on the signals of {@code organisationId} (only those on {@code signalId} when given), except
     * archived signals', newest first, each with this side's follow-up. The counterparts' contact data is seen: the
     * read is an audit entry ({@code matches.listed}) naming how many.
     */
    public List<MatchView> list(String username, String organisationId, @Nullable UUID signalId) {
        List<MatchView> found = followUps.withFollowUp(forOrganisation(username, organisationId, signalId, null),
                organisationId);
        audit.record(AuditEvent.of("matches.listed", NodeAudit.actor("prof", username),
                "organisation:" + NodeAudit.reference(organisationId)).with("count", found.size()));
        return found;
    }

    /**
     * The match {@code matchId} on a signal of {@code organisationId} (the caller's own signal first, should the
     * organisation hold both sides), with this side's follow-up; empty when there is none, as for another
     * organisation's match. The read is an audit entry ({@code match.viewed}) about the match and its signal.
     */
    public Optional<MatchView> find(String username, String organisationId, UUID matchId) {
        Optional<MatchView> found = forOrganisation(username, organisationId, null, matchId).stream().findFirst()
                .map(m -> followUps.withFollowUp(List.of(m), organisationId).get(0));
        found.ifPresent(m -> audit.record(AuditEvent.of("match.viewed", NodeAudit.actor("prof", username),
                audit.match(matchId)).with("signal", audit.signal(m.signalId()))));
        return found;
    }

    /**
     * The matches on the signals of {@code organisationId}, except archived signals', optionally of one signal or
     * match; of two sides of one match, the side of {@code username}'s own signal first.
     */
    private List<MatchView> forOrganisation(String username, String organisationId, @Nullable UUID signalId,
                                            @Nullable UUID matchId) {
        return transactions.executeRead(status -> {
            List<MatchView> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.match_id, m.match_type, m.signal_id, m.cross_region, m.status, m.counterpart_contact,"
                            + " m.created_at FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " WHERE s.organisation_id = ? AND s.status <> 'ARCHIVED'"
                            + (signalId == null ? "" : " AND m.signal_id = ?")
                            + (matchId == null ? "" : " AND m.match_id = ?")
                            + " ORDER BY m.created_at DESC, CASE WHEN s.professional = ? THEN 0 ELSE 1 END, s.ref"
                            + " LIMIT 1000")) {
                int i = 1;
                select.setString(i++, organisationId);
                if (signalId != null) {
                    select.setObject(i++, signalId);
                }
                if (matchId != null) {
                    select.setObject(i++, matchId);
                }
                select.setString(i, username);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String contact = rs.getString(6);
                        out.add(new MatchView(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                                rs.getBoolean(4), rs.getString(5),
                                contact == null ? null : json.readValue(contact, Contact.class),
                                rs.getTimestamp(7).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** The organisation and professional behind this node's signal {@code ref}, or empty. */
    Optional<Contact> contactOf(String ref) {
        return transactions.executeRead(status -> contactOf(status.getConnection(), ref));
    }

    /**
     * Serves another node the contact behind this node's signal {@code ownRef} for match {@code matchId}: the read,
     * its {@code contact_access} row and its audit entry are one transaction, so no contact leaves unrecorded.
     * Refused (410) when this node holds the match as withdrawn, or when its signal is no longer active (ended, or
     * past its active period, archived or not yet); 404 when the signal is gone. What the counterpart fetched
     * before stays with it: this only stops new reads.
     */
    Contact serveContact(String askerNode, String askerRef, UUID matchId, String ownRef) {
        LocalDate today = LocalDate.now(clock);
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID signal = activeSide(c, ownRef, matchId, today, "its contact is no longer given out");
            Contact contact = contactOf(c, ownRef).orElseThrow(() -> Problems.notFound("signal-not-found",
                    "Signal not found", "this node no longer has the signal of that match"));
            recordAccess(c, askerNode, askerRef, matchId, signal);
            audit.record(c, servedEvent(askerNode, matchId, signal));
            return contact;
        });
    }

    /** Who was given the contact of {@code signal}, for which match ({@code contact_access}). */
    private void recordAccess(Connection c, String askerNode, String askerRef, UUID matchId, UUID signal)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO contact_access (asked_at, asker_node, asker_ref, match_id, signal_id) VALUES (?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setString(2, askerNode);
            insert.setString(3, askerRef);
            insert.setObject(4, matchId);
            insert.setObject(5, signal);
            insert.executeUpdate();
        }
    }

    private AuditEvent servedEvent(String askerNode, UUID matchId, UUID signal) {
        return AuditEvent.of("contact.served", NodeAudit.actor("node", askerNode), audit.match(matchId))
                .with("signal", audit.signal(signal));
    }

    /** A contact served in a batch: the asker's signal {@code ref} in match {@code matchId}, and the contact. */
    @Serdeable
    public record Served(UUID matchId, String ref, Contact contact) {
    }

    /**
     * As {@link #serveContact} for each of {@code calls}, in one transaction: a call whose signal is gone or no longer
     * active, or whose match is withdrawn here, is left out of the answer (the asker asks it alone later and learns
     * why).
     */
    List<Served> serveContacts(List<FederationCalls.Call> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        LocalDate today = LocalDate.now(clock);
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<Served> served = new ArrayList<>();
            List<AuditEvent> events = new ArrayList<>();
            for (FederationCalls.Call call : calls) {
                UUID signal;
                Optional<Contact> contact;
                try {
                    signal = activeSide(c, call.ownRef(), call.matchId(), today, "its contact is no longer given out");
                    contact = contactOf(c, call.ownRef());
                } catch (ProblemException refused) {
                    continue;
                }
                if (contact.isEmpty()) {
                    continue;
                }
                recordAccess(c, call.askerNode(), call.askerRef(), call.matchId(), signal);
                events.add(servedEvent(call.askerNode(), call.matchId(), signal));
                served.add(new Served(call.matchId(), call.askerRef(), contact.get()));
            }
            for (AuditEvent event : events) { // last, so that the audit log's head is held only until the commit
                audit.record(c, event);
            }
            return served;
        });
    }

    /**
     * This node's signal {@code ownRef} of match {@code matchId}, inside the caller's transaction, while another node
     * may still act on it: 404 when the signal is gone; 410 when it is no longer active on {@code today} (ended, past
     * its active period) or this node holds the match as withdrawn. {@code what} says in the problem what stops.
     */
    public static UUID activeSide(Connection c, String ownRef, UUID matchId, LocalDate today, String what)
            throws SQLException {
        UUID signal;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, status, active_until FROM signal WHERE ref = ?")) {
            select.setString(1, ownRef);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw Problems.notFound("signal-not-found", "Signal not found",
                            "this node no longer has the signal of that match");
                }
                if (!"ACTIVE".equals(rs.getString(2)) || rs.getObject(3, LocalDate.class).isBefore(today)) {
                    throw Problems.gone("signal-not-active", "Signal not active",
                            "the signal of that match is no longer active; " + what);
                }
                signal = rs.getObject(1, UUID.class);
            }
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM node_match WHERE match_id = ? AND signal_id = ? AND status = 'WITHDRAWN'")) {
            select.setObject(1, matchId);
            select.setObject(2, signal);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    throw Problems.gone("match-withdrawn", "Match withdrawn", "the match was withdrawn; " + what);
                }
            }
        }
        return signal;
    }

    /** The contact behind this node's signal {@code ref} as of now, inside the caller's transaction. */
    static Optional<Contact> contactOf(Connection c, String ref) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT o.name, a.display_name, a.email, a.phone FROM signal s"
                        + " JOIN organisation o ON o.id = s.organisation_id JOIN account a ON a.username = s.professional"
                        + " WHERE s.ref = ?")) {
            select.setString(1, ref);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Contact(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4))) : Optional.empty();
            }
        }
    }

    private static Optional<UUID> signalId(Connection c, String ref) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM signal WHERE ref = ?")) {
            select.setString(1, ref);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

}
