package nl.betrokken.node.rotation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.keys.KeyEpoch;
import nl.betrokken.crypto.keys.KeyEpochException;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.signal.SignalService;

/**
 * Rotates the federation key ring at this node, in three steps that the operator runs with the node stopped (the
 * running node keeps the ring it started with, docs/node.md):
 * <ol>
 *   <li>{@link #next}: one operator makes the next ring from the current one (a new primary epoch; the old primary
 *       accepted for the transition) and copies it to every node, as the first ring was distributed.</li>
 *   <li>{@link #rotate}: at every node, the next ring is checked to continue the installed one, installed, and every
 *       active signal is written to the outbox again under every epoch the new ring accepts. The outbox delivers it
 *       when the coordinator is there (nothing is lost while it is down), and the coordinator takes a record it knows
 *       with pseudonyms under a new epoch as an update without new matches, a repeat as a no-op (no duplicate).
 *       Running it again with the same ring only resubmits again.</li>
 *   <li>{@link #drop}: once every node has rotated and its resubmission has reached the coordinator, the old epoch is
 *       disabled at every node: its secret leaves the ring file and its pseudonyms are no longer made.</li>
 * </ol>
 * During the transition a node that has rotated sends both epochs' pseudonyms and one that has not sends the old
 * epoch's only, so the coordinator still finds every pair through the old epoch; after it, every active signal
 * carries the new epoch, so the new epoch alone finds every pair. Steps 2 and 3 append {@code key.rotated} to the
 * node's audit log.
 */
@Singleton
public class FederationKeyRotation {

    /** The transition when the operator names none: time enough to rotate every node. */
    public static final Duration DEFAULT_TRANSITION = Duration.ofDays(30);

    private final TransactionOperations<Connection> transactions;
    private final NodeConfiguration node;
    private final SignalService signals;
    private final NodeAudit audit;
    private final Clock clock;

    FederationKeyRotation(TransactionOperations<Connection> transactions, NodeConfiguration node, SignalService signals,
                          NodeAudit audit, Clock clock) {
        this.transactions = transactions;
        this.node = node;
        this.signals = signals;
        this.audit = audit;
        this.clock = clock;
    }

    /** What {@link #rotate} did: the epochs before and after, whether the ring file changed, how many resubmitted. */
    public record Rotated(int previousPrimary, int primary, boolean installed, int resubmitted) {
    }

    /** What {@link #drop} did. */
    public record Dropped(int epoch, boolean changed) {
    }

    /**
     * The ring after {@code current}: a fresh primary epoch, the current primary accepted until {@code now + transition}.
     *
     * @throws IllegalArgumentException if the transition is negative
     */
    public static KeyRing next(KeyRing current, Instant now, Duration transition) {
        return current.rotate(new SecureRandom(), now, transition);
    }

    /**
     * Installs {@code next} as this node's federation ring and resubmits every active signal under it, in one
     * transaction with its audit entry.
     *
     * @throws IllegalArgumentException if {@code next} does not continue the installed ring (named in the message)
     */
    public synchronized Rotated rotate(KeyRing next) {
        Path file = node.dataDir().resolve(NodeKeys.FEDERATION_RING);
        Instant now = clock.instant();
        KeyRing installed = read(file);
        boolean same = sameRing(installed, next);
        if (!same) {
            requireContinues(installed, next, now);
            try {
                KeyRingFile.write(file, next);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
        int previous = same ? previousPrimary(next) : installed.primary().id();
        HmacPseudonymizer federation = HmacPseudonymizer.create(next, clock);
        int resubmitted = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            int n = signals.resubmitActive(c, federation);
            audit.record(c, AuditEvent.of("key.rotated", "system:operator", "federation-ring")
                    .with("step", "rotated").with("primary", next.primary().id()).with("previous", previous)
                    .with("resubmitted", n));
            return n;
        });
        return new Rotated(previous, next.primary().id(), !same, resubmitted);
    }

    /**
     * Disables {@code epoch} in this node's federation ring. Refused while the outbox still holds signal messages
     * (the resubmission, or registrations made under both epochs, has not reached the coordinator yet), and for the
     * primary epoch.
     *
     * @throws IllegalArgumentException if the epoch is unknown or the primary
     * @throws IllegalStateException if signal messages wait in the outbox
     */
    public synchronized Dropped drop(int epoch) {
        Path file = node.dataDir().resolve(NodeKeys.FEDERATION_RING);
        KeyRing installed = read(file);
        KeyRing dropped = installed.disable(epoch);
        boolean changed = !sameRing(installed, dropped);
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT count(*) FROM outbox WHERE kind IN ('SIGNAL', 'CORRECT')");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new IllegalStateException(rs.getLong(1) + " signal message(s) wait in the outbox; start the"
                            + " node until they reach the coordinator, then drop epoch " + epoch);
                }
            }
            audit.record(c, AuditEvent.of("key.rotated", "system:operator", "federation-ring")
                    .with("step", "dropped").with("epoch", epoch).with("primary", installed.primary().id()));
            if (changed) {
                KeyRingFile.write(file, dropped); // last: a failed write rolls the audit entry back
            }
            return null;
        });
        return new Dropped(epoch, changed);
    }

    private static KeyRing read(Path file) {
        try {
            return KeyRingFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the federation ring " + file, e);
        }
    }

    /** The newest epoch before the primary that is still accepted (for the audit entry of a repeated rotation). */
    private static int previousPrimary(KeyRing ring) {
        int previous = ring.primary().id();
        for (KeyEpoch e : ring.epochs()) {
            if (e.id() < ring.primary().id() && e.state() == KeyEpoch.State.ACCEPTED) {
                previous = e.id();
            }
        }
        return previous;
    }

    /**
     * {@code next} continues {@code installed} when its primary is newer, every epoch of the installed ring is in it
     * with the same secret (or disabled), and the installed primary is still accepted at {@code now}: otherwise the
     * nodes that have not rotated yet would not match this one.
     */
    private static void requireContinues(KeyRing installed, KeyRing next, Instant now) {
        int oldPrimary = installed.primary().id();
        if (next.primary().id() <= oldPrimary) {
            throw new IllegalArgumentException("the new ring's primary epoch " + next.primary().id()
                    + " is not newer than the installed primary epoch " + oldPrimary);
        }
        for (KeyEpoch e : installed.epochs()) {
            if (e.state() == KeyEpoch.State.DISABLED) {
                continue;
            }
            boolean known = next.epochs().stream().anyMatch(n -> n.id() == e.id());
            if (!known) {
                throw new IllegalArgumentException("the new ring lacks epoch " + e.id() + " of the installed ring");
            }
            if (next.epochs().stream().anyMatch(n -> n.id() == e.id() && n.state() == KeyEpoch.State.DISABLED)) {
                continue;
            }
            if (!sameSecret(installed, next, e.id())) {
                throw new IllegalArgumentException("epoch " + e.id() + " has another secret in the new ring: it was"
                        + " not made from this federation's ring");
            }
        }
        try {
            next.requireAccepted(oldPrimary, now);
        } catch (KeyEpochException e) {
            throw new IllegalArgumentException("the installed primary " + e.getMessage() + " in the new ring: nodes"
                    + " that have not rotated yet would stop matching; make a ring with a transition");
        }
    }

    /** Same epochs in the same states with the same secrets. */
    static boolean sameRing(KeyRing a, KeyRing b) {
        if (!a.epochs().equals(b.epochs())) {
            return false;
        }
        for (KeyEpoch e : a.epochs()) {
            if (e.state() != KeyEpoch.State.DISABLED && !sameSecret(a, b, e.id())) {
                return false;
            }
        }
        return true;
    }

    // Compares derived keys, not secrets: the ring hands its secrets to no one but its file.
    private static boolean sameSecret(KeyRing a, KeyRing b, int epoch) {
        try {
            return a.deriveDataAtRestKey(epoch, KeyPurpose.BLIND_INDEX)
                    .equalsSecretBytes(b.deriveDataAtRestKey(epoch, KeyPurpose.BLIND_INDEX));
        } catch (KeyEpochException e) {
            return false;
        }
    }
}
