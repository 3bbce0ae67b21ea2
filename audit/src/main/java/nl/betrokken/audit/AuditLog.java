package nl.betrokken.audit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import nl.betrokken.crypto.keys.SecretKeyAccess;
import nl.betrokken.crypto.log.Checkpoint;
import nl.betrokken.crypto.log.LogHasher;
import nl.betrokken.crypto.log.MerkleFrontier;
import nl.betrokken.crypto.log.MerkleTree;
import nl.betrokken.crypto.log.NoteSigner;
import nl.betrokken.crypto.log.SealedEntry;
import nl.betrokken.crypto.log.SignedNote;

/**
 * A service's audit log in its own database: the tables of {@code audit-schema.sql} (each service copies them into a
 * Flyway migration of its own).
 *
 * <p>Appending locks the one {@code audit_head} row until the caller's transaction ends, so entries get their
 * indexes in commit order and the frontier kept there always describes exactly the committed entries. Append in the
 * transaction that makes the change being logged: the change and its entry commit together or not at all. Keep the
 * append close to the commit, since other writers wait for the head meanwhile.
 *
 * <p>Every method requires an open transaction on the connection it is given.
 */
public final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LogHasher HASHER = LogHasher.rfc6962();

    private final String origin;

    /** @param origin the log's name in its checkpoints, e.g. {@code betrokken.nl/node/noord} */
    public AuditLog(String origin) {
        this.origin = origin;
    }

    public String origin() {
        return origin;
    }

    /** Appends an open entry; returns its index. */
    public long append(Connection c, Instant at, AuditEvent event) throws SQLException {
        Head head = lockHead(c);
        AuditEntry entry = new AuditEntry(head.frontier().size(), at.truncatedTo(ChronoUnit.MILLIS), event, null);
        insert(c, entry, event);
        saveHead(c, head.frontier().append(entry.leafHash(HASHER)));
        return entry.index();
    }

    /**
     * Appends an entry held back from the person it concerns: the tree commits to it now, its content stays in
     * {@code audit_sealed} until {@link #release}. Returns its index.
     */
    public long appendSealed(Connection c, Instant at, AuditEvent event, SecureRandom random) throws SQLException {
        Head head = lockHead(c);
        AuditEntry open = new AuditEntry(head.frontier().size(), at.truncatedTo(ChronoUnit.MILLIS), event, null);
        SealedEntry sealed = SealedEntry.seal(open.openData(), random);
        AuditEntry entry = new AuditEntry(open.index(), open.at(), null, sealed.commitment());
        insert(c, entry, null);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_sealed (idx, kind, actor, subject, details,"
                + " salt) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, entry.index());
            insert.setString(2, event.kind());
            insert.setString(3, event.actor());
            insert.setString(4, event.subject());
            insert.setString(5, details(event));
            // The salt is kept with the sealed content and published with it on release.
            insert.setBytes(6, sealed.salt().copy(SecretKeyAccess.insecure()));
            insert.executeUpdate();
        }
        saveHead(c, head.frontier().append(entry.leafHash(HASHER)));
        return entry.index();
    }

    /** Releases a sealed entry: its content and salt become readable, and anyone can check them against the leaf. */
    public void release(Connection c, long index, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE audit_entry SET kind = (SELECT kind FROM audit_sealed s WHERE s.idx = audit_entry.idx),"
                        + " actor = (SELECT actor FROM audit_sealed s WHERE s.idx = audit_entry.idx),"
                        + " subject = (SELECT subject FROM audit_sealed s WHERE s.idx = audit_entry.idx),"
                        + " details = (SELECT details FROM audit_sealed s WHERE s.idx = audit_entry.idx)"
                        + " WHERE idx = ? AND commitment IS NOT NULL AND kind IS NULL");
             PreparedStatement mark = c.prepareStatement(
                     "UPDATE audit_sealed SET released_at = ? WHERE idx = ? AND released_at IS NULL")) {
            update.setLong(1, index);
            mark.setTimestamp(1, Timestamp.from(now));
            mark.setLong(2, index);
            if (update.executeUpdate() != 1 || mark.executeUpdate() != 1) {
                throw new IllegalArgumentException("entry " + index + " is not a sealed entry waiting for release");
            }
        }
    }

    /** The number of entries. */
    public long size(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT size FROM audit_head WHERE id = 1");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Entries {@code from} (inclusive) to {@code to} (exclusive), as stored; sealed ones without their content. */
    public List<AuditEntry> entries(Connection c, long from, long to) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT idx, at, kind, actor, subject, details, commitment"
                + " FROM audit_entry WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            select.setLong(1, from);
            select.setLong(2, to);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    AuditEvent event = rs.getString(3) == null ? null
                            : new AuditEvent(rs.getString(3), rs.getString(4), rs.getString(5), parseDetails(rs.getString(6)));
                    entries.add(new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), event,
                            rs.getBytes(7)));
                }
            }
        }
        return entries;
    }

    /** The leaf hashes recorded when entries 0 to {@code size} - 1 were appended. */
    public List<byte[]> leafHashes(Connection c, long size) throws SQLException {
        List<byte[]> hashes = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT leaf_hash FROM audit_entry WHERE idx < ? ORDER BY idx")) {
            select.setLong(1, size);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    hashes.add(rs.getBytes(1));
                }
            }
        }
        return hashes;
    }

    /** The salt of a released sealed entry, or empty. */
    public Optional<byte[]> releasedSalt(Connection c, long index) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT salt FROM audit_sealed WHERE idx = ? AND released_at IS NOT NULL")) {
            select.setLong(1, index);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** RFC 9162 section 2.1.3 inclusion proof of entry {@code index} in the tree of {@code size} entries. */
    public List<byte[]> inclusionProof(Connection c, long index, long size) throws SQLException {
        return MerkleTree.inclusionProof(HASHER, leafHashes(c, size), Math.toIntExact(index));
    }

    /** RFC 9162 section 2.1.4 consistency proof between the trees of {@code size1} and {@code size2} entries. */
    public List<byte[]> consistencyProof(Connection c, long size1, long size2) throws SQLException {
        return MerkleTree.consistencyProof(HASHER, leafHashes(c, size2), Math.toIntExact(size1));
    }

    /** A kept checkpoint: the signed note and the tree size it commits to, read from the same head. */
    public record Kept(SignedNote note, long size) {
        /** Whether the note carries a countersignature besides the log's own signature. */
        public boolean countersigned() {
            return note.signatures().size() > 1;
        }
    }

    /**
     * Signs a checkpoint of the log as it is now and keeps it; a checkpoint of the same size is returned as kept
     * (with any countersignature it has gained).
     *
     * <p>Locks the head, like an append, until the caller's transaction ends: the size and root come from one read of
     * the head, so nothing appended meanwhile can slip between them, and two callers at the same size keep one
     * checkpoint instead of one failing on the other's row. Use {@link Kept#size()} for anything that must match the
     * note (a consistency proof), never a second read of {@link #size}, which an append may have moved on. Commit
     * soon after: appends wait meanwhile; compute proofs in a transaction of their own.
     */
    public Kept checkpoint(Connection c, NoteSigner signer, Instant now) throws SQLException {
        Head head = lockHead(c);
        long size = head.frontier().size();
        Optional<String> kept = checkpointOfSize(c, size);
        if (kept.isPresent()) {
            return new Kept(parse(kept.get()), size);
        }
        SignedNote note = new Checkpoint(origin, size, head.frontier().rootHash()).sign(signer);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audit_checkpoint (size, note, created_at) VALUES (?, ?, ?)")) {
            insert.setLong(1, size);
            insert.setString(2, note.marshal());
            insert.setTimestamp(3, Timestamp.from(now));
            insert.executeUpdate();
        }
        return new Kept(note, size);
    }

    /** Replaces the kept checkpoint of the same size by {@code note} (the same checkpoint with a countersignature). */
    public void keepCountersigned(Connection c, long size, String note) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE audit_checkpoint SET note = ? WHERE size = ?")) {
            update.setString(1, note);
            update.setLong(2, size);
            if (update.executeUpdate() != 1) {
                throw new IllegalArgumentException("no checkpoint of size " + size + " is kept");
            }
        }
    }

    /** The kept checkpoints, smallest first. */
    public List<String> checkpoints(Connection c) throws SQLException {
        List<String> notes = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT note FROM audit_checkpoint ORDER BY size");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                notes.add(rs.getString(1));
            }
        }
        return notes;
    }

    /** Everything an auditor needs to verify the whole log offline. */
    public AuditBundle export(Connection c, String logKey, String witnessKey) throws SQLException {
        // Every row as stored, whatever the head says: the verifier, not the export, judges whether they fit.
        Map<Long, byte[]> hashes = new java.util.HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT idx, leaf_hash FROM audit_entry");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                hashes.put(rs.getLong(1), rs.getBytes(2));
            }
        }
        List<AuditBundle.Entry> out = new ArrayList<>();
        for (AuditEntry e : entries(c, 0, Long.MAX_VALUE)) {
            byte[] salt = e.sealed() && e.event() != null ? releasedSalt(c, e.index()).orElse(null) : null;
            out.add(AuditBundle.Entry.of(e, salt, hashes.get(e.index())));
        }
        return new AuditBundle(origin, logKey, witnessKey, out, checkpoints(c));
    }

    /** The kept checkpoints that carry the coordinator's countersignature, by size. */
    public java.util.NavigableMap<Long, String> countersignedCheckpoints(Connection c) throws SQLException {
        java.util.NavigableMap<Long, String> out = new java.util.TreeMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT size, note FROM audit_checkpoint ORDER BY size");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                if (parse(rs.getString(2)).signatures().size() > 1) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Proofs of some entries and the countersigned checkpoints they lead to (smallest first). */
    public record Proven(Map<Long, AccessLogFile.Proof> proofs, List<String> checkpoints) {
    }

    /**
     * For each entry of {@code indexes}: its exact leaf, the leaf hash recorded when it was appended, and an RFC 9162
     * inclusion proof against the largest kept countersigned checkpoint (not covered when it is past that one). For a
     * released sealed entry also its open form and salt, and an inclusion proof against the largest countersigned
     * checkpoint that covered it while it was still sealed: larger than its index and not larger than the index of
     * its release, {@code releasedBy.get(index)} (none when that is not given). Leaf hashes are read once, every one
     * up to the checkpoint's size (O(size) memory; a storage-aware proof builder is future work for large logs).
     *
     * @throws IllegalArgumentException when an index is not in the log
     */
    public Proven prove(Connection c, java.util.Collection<Long> indexes, Map<Long, Long> releasedBy)
            throws SQLException {
        java.util.NavigableMap<Long, String> countersigned = countersignedCheckpoints(c);
        Long top = countersigned.isEmpty() ? null : countersigned.lastKey();
        List<byte[]> leaves = top == null ? List.of() : leafHashes(c, top);
        java.util.SortedSet<Long> used = new java.util.TreeSet<>();
        Map<Long, AccessLogFile.Proof> out = new java.util.LinkedHashMap<>();
        for (long index : indexes) {
            List<AuditEntry> found = entries(c, index, index + 1);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("entry " + index + " is not in the log");
            }
            AuditEntry e = found.get(0);
            byte[] recorded;
            try (PreparedStatement select = c.prepareStatement("SELECT leaf_hash FROM audit_entry WHERE idx = ?")) {
                select.setLong(1, index);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    recorded = rs.getBytes(1);
                }
            }
            boolean covered = top != null && index < top;
            if (covered) {
                used.add(top);
            }
            AccessLogFile.Released released = null;
            if (e.sealed() && e.event() != null) {
                Long release = releasedBy.get(index);
                Long sealedSize = release == null ? null : countersigned.floorKey(release);
                if (sealedSize != null && sealedSize <= index) {
                    sealedSize = null;
                }
                if (sealedSize != null) {
                    used.add(sealedSize);
                }
                released = new AccessLogFile.Released(new String(e.openData(), java.nio.charset.StandardCharsets.UTF_8),
                        b64(releasedSalt(c, index).orElse(null)), sealedSize,
                        sealedSize == null ? null : b64(MerkleTree.inclusionProof(HASHER,
                                leaves.subList(0, Math.toIntExact(sealedSize)), Math.toIntExact(index))),
                        release);
            }
            out.put(index, new AccessLogFile.Proof(new String(e.leafData(), java.nio.charset.StandardCharsets.UTF_8),
                    b64(recorded), covered, covered ? top : null,
                    covered ? b64(MerkleTree.inclusionProof(HASHER, leaves, Math.toIntExact(index))) : null, released));
        }
        List<String> notes = new ArrayList<>();
        used.forEach(size -> notes.add(countersigned.get(size)));
        return new Proven(out, notes);
    }

    private static String b64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    private static List<String> b64(List<byte[]> hashes) {
        return hashes.stream().map(AuditLog::b64).toList();
    }

    private Optional<String> checkpointOfSize(Connection c, long size) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT note FROM audit_checkpoint WHERE size = ?")) {
            select.setLong(1, size);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private record Head(MerkleFrontier frontier) {
    }

    private static Head lockHead(Connection c) throws SQLException {
        return head(c, "SELECT size, frontier FROM audit_head WHERE id = 1 FOR UPDATE");
    }

    private static Head head(Connection c, String sql) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("audit_head has no row: the audit migration did not run");
            }
            List<byte[]> nodes = new ArrayList<>();
            for (String node : rs.getString(2).split(",")) {
                if (!node.isEmpty()) {
                    nodes.add(Base64.getDecoder().decode(node));
                }
            }
            return new Head(MerkleFrontier.restore(HASHER, rs.getLong(1), nodes));
        }
    }

    private static void saveHead(Connection c, MerkleFrontier frontier) throws SQLException {
        StringBuilder nodes = new StringBuilder();
        for (byte[] node : frontier.nodes()) {
            nodes.append(nodes.length() == 0 ? "" : ",").append(Base64.getEncoder().encodeToString(node));
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE audit_head SET size = ?, frontier = ? WHERE id = 1")) {
            update.setLong(1, frontier.size());
            update.setString(2, nodes.toString());
            update.executeUpdate();
        }
    }

    private static void insert(Connection c, AuditEntry entry, AuditEvent open) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_entry (idx, at, kind, actor, subject,"
                + " details, commitment, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, entry.index());
            insert.setTimestamp(2, Timestamp.from(entry.at()));
            insert.setString(3, open == null ? null : open.kind());
            insert.setString(4, open == null ? null : open.actor());
            insert.setString(5, open == null ? null : open.subject());
            insert.setString(6, open == null ? null : details(open));
            insert.setBytes(7, entry.commitment());
            insert.setBytes(8, entry.leafHash(HASHER));
            insert.executeUpdate();
        }
    }

    private static String details(AuditEvent event) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(event.details()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parseDetails(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit details are not a JSON object of strings", e);
        }
    }

    private static SignedNote parse(String note) {
        try {
            return SignedNote.parse(note);
        } catch (nl.betrokken.crypto.log.NoteException e) {
            throw new IllegalStateException("a kept checkpoint does not parse", e);
        }
    }
}
