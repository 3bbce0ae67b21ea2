package nl.betrokken.node.objection;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.archive.ErasureFollower;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.notify.Notifications;

/**
 * Closes the open objections on a signal that is erased everywhere otherwise than by deciding them: withdrawn by its
 * professional as made in error ({@code SIGNAL_WITHDRAWN}), or erased after another objection to it was upheld
 * ({@code SIGNAL_ERASED}). In the erasure's transaction ({@link ErasureFollower}): status {@code CLOSED}, decided on
 * that day by the one who erased it, with why ({@code closed_because}); the person is told by e-mail when they left
 * an address (which then leaves the objection, as after a decision), and each closing is a {@code bezwaar.closed}
 * entry. A closed objection is final: deciding it or advising on it answers 409.
 */
@Singleton
class ClosedObjections implements ErasureFollower {

    static final String CLOSED = "CLOSED";
    static final String SIGNAL_WITHDRAWN = "SIGNAL_WITHDRAWN";
    static final String SIGNAL_ERASED = "SIGNAL_ERASED";

    private final NodeAudit audit;
    private final NodeKeys keys;
    private final Notifications notifications;
    private final Clock clock;

    ClosedObjections(NodeAudit audit, NodeKeys keys, Notifications notifications, Clock clock) {
        this.audit = audit;
        this.keys = keys;
        this.notifications = notifications;
        this.clock = clock;
    }

    @Override
    public void erased(Connection c, UUID signalId, String actor, String why) throws SQLException {
        String because = IN_ERROR.equals(why) ? SIGNAL_WITHDRAWN : SIGNAL_ERASED;
        Map<UUID, byte[]> open = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, email_sealed FROM objection WHERE signal_id = ? AND status = 'OPEN' ORDER BY filed_at"
                        + " FOR UPDATE")) {
            select.setObject(1, signalId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    open.put(rs.getObject(1, UUID.class), rs.getBytes(2));
                }
            }
        }
        Instant now = clock.instant();
        for (Map.Entry<UUID, byte[]> o : open.entrySet()) {
            UUID id = o.getKey();
            try (PreparedStatement update = c.prepareStatement("UPDATE objection SET status = ?, decided_at = ?,"
                    + " decided_by = ?, closed_because = ?, email_sealed = NULL WHERE id = ?")) {
                update.setString(1, CLOSED);
                update.setTimestamp(2, Timestamp.from(now));
                // As Objections.decide: the bare username (the column is as wide as a username), the role is in the
                // audit entry's actor.
                update.setString(3, actor.substring(actor.indexOf(':') + 1));
                update.setString(4, because);
                update.setObject(5, id);
                update.executeUpdate();
            }
            boolean told = o.getValue() != null;
            if (told) {
                try {
                    notifications.enqueueForObjector(c, Notifications.OBJECTION_CLOSED, id,
                            Objections.open(keys, o.getValue(), id, "email"), now);
                } catch (GeneralSecurityException e) {
                    throw new SQLException("an objection's sealed address does not open", e);
                }
            }
            audit.record(c, AuditEvent.of("bezwaar.closed", actor, audit.signal(signalId))
                    .with("objection", audit.objection(id)).with("because", because).with("tellByEmail", told));
        }
    }
}
