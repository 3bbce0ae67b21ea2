package nl.betrokken.node.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.SerdeImport;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.AuditEntry;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.log.CosignatureV1Verifier;
import nl.betrokken.crypto.log.NoteException;
import nl.betrokken.crypto.log.VerifiedCheckpoint;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.problem.Problems;

/**
 * What the auditor reads at this node: entries of a period, checkpoints, proofs and the whole log as a bundle to
 * verify offline. Each read is itself an entry ({@code audit.read}), appended before the answer is made, so that it
 * is in what the auditor takes home.
 */
@Singleton
@SerdeImport(AuditBundle.Entry.class)
class AuditReads {

    /** At most this many entries in one answer; {@code next} continues. */
    static final int PAGE = 1000;
    /** At most this many days in one period. */
    static final int MAX_DAYS = 366;

    private final NodeAudit audit;
    private final AuditCheckpoints checkpoints;

    AuditReads(NodeAudit audit, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
    }

    /** A period of Dutch calendar days, both included. */
    record Period(LocalDate from, LocalDate to) {

        Instant start() {
            return from.atStartOfDay(ClockFactory.ZONE).toInstant();
        }

        Instant end() {
            return to.plusDays(1).atStartOfDay(ClockFactory.ZONE).toInstant();
        }

        /** Why two dates make no period: {@code to} before {@code from}, or more than {@value #MAX_DAYS} days. */
        enum Refusal { TO_BEFORE_FROM, TOO_LONG }

        static Period parse(@Nullable String from, @Nullable String to) {
            LocalDate f = day("from", from);
            LocalDate t = day("to", to);
            return of(f, t).orElseThrow(() -> refused(f, t) == Refusal.TO_BEFORE_FROM
                    ? Problems.invalidField("to", "must not be before from")
                    : Problems.invalidField("to", "at most " + MAX_DAYS + " days from from"));
        }

        /** The period from {@code from} to {@code to}, or empty when {@link #refused} names a reason (at {@code to}). */
        static Optional<Period> of(LocalDate from, LocalDate to) {
            return refused(from, to) == null ? Optional.of(new Period(from, to)) : Optional.empty();
        }

        /** What is wrong with the field {@code to} of this period, or null: the API's and the pages' one rule. */
        static @Nullable Refusal refused(LocalDate from, LocalDate to) {
            if (to.isBefore(from)) {
                return Refusal.TO_BEFORE_FROM;
            }
            return from.plusDays(MAX_DAYS - 1L).isBefore(to) ? Refusal.TOO_LONG : null;
        }

        private static LocalDate day(String field, @Nullable String text) {
            if (text == null || text.isBlank()) {
                throw Problems.invalidField(field, "is required, as YYYY-MM-DD");
            }
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw Problems.invalidField(field, "must be a date as YYYY-MM-DD");
            }
        }
    }

    @Serdeable
    record EntryPage(String from, String to, List<AuditBundle.Entry> entries, @Nullable Long next) {
    }

    @Serdeable
    record Checkpoints(String origin, String logKey, List<String> checkpoints) {
    }

    @Serdeable
    record InclusionProof(long index, long size, String leafHash, List<String> hashes) {
    }

    @Serdeable
    record ConsistencyProof(long from, long to, List<String> hashes) {
    }

    /** The entries appended in the period, in index order, from index {@code after} + 1. */
    EntryPage entries(String auditor, Period period, @Nullable Long after) {
        audit.record(read(auditor, "entries").with("from", period.from()).with("to", period.to()));
        return audit.transactions().executeRead(status -> {
            Connection c = status.getConnection();
            Map<Long, byte[]> leafHashes = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT idx, leaf_hash FROM audit_entry"
                    + " WHERE at >= ? AND at < ? AND idx > ? ORDER BY idx LIMIT " + (PAGE + 1))) {
                select.setTimestamp(1, Timestamp.from(period.start()));
                select.setTimestamp(2, Timestamp.from(period.end()));
                select.setLong(3, after == null ? -1 : after);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        leafHashes.put(rs.getLong(1), rs.getBytes(2));
                    }
                }
            }
            List<Long> indexes = new ArrayList<>(leafHashes.keySet());
            Long next = indexes.size() > PAGE ? indexes.get(PAGE - 1) : null;
            List<AuditBundle.Entry> out = new ArrayList<>();
            if (!indexes.isEmpty()) {
                List<Long> page = indexes.subList(0, Math.min(PAGE, indexes.size()));
                for (AuditEntry e : audit.log().entries(c, page.get(0), page.get(page.size() - 1) + 1)) {
                    if (leafHashes.containsKey(e.index())) {
                        out.add(exported(c, e, leafHashes.get(e.index())));
                    }
                }
            }
            return new EntryPage(period.from().toString(), period.to().toString(), out, next);
        });
    }

    /**
     * One kept checkpoint as the werkplek shows it: its size, when the node signed it, and when the coordinator
     * countersigned it ({@code countersignedAt}, checked against the coordinator's published witness key), or null
     * when it did not. {@code unchecked}: the note carries a second signature but the coordinator's key cannot be
     * fetched now to check it.
     */
    record Kept(long size, Instant signedAt, @Nullable Instant countersignedAt, boolean unchecked, String note) {
    }

    /** The kept checkpoints with the log's name and key, smallest first ({@link #checkpoints} answers the notes). */
    record KeptCheckpoints(String origin, String logKey, List<Kept> kept) {

        Checkpoints forApi() {
            return new Checkpoints(origin, logKey, kept.stream().map(Kept::note).toList());
        }
    }

    /** The kept checkpoints, after signing one of the log as it is now (countersigned ones carry two signatures). */
    Checkpoints checkpoints(String auditor) {
        return keptCheckpoints(auditor).forApi();
    }

    /** The same read ({@code audit.read} of {@code audit:checkpoints}), each checkpoint with its times. */
    KeptCheckpoints keptCheckpoints(String auditor) {
        audit.record(read(auditor, "checkpoints"));
        String witness = checkpoints.witnessKey();
        return audit.transactions().executeWrite(status -> {
            Connection c = status.getConnection();
            audit.log().checkpoint(c, audit.keys().auditLogSigner(), audit.clock().instant());
            List<Kept> kept = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT size, note, created_at FROM audit_checkpoint ORDER BY size");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    kept.add(kept(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), witness));
                }
            }
            return new KeptCheckpoints(audit.log().origin(), checkpoints.logKey(), kept);
        });
    }

    private Kept kept(long size, String note, Instant signedAt, @Nullable String witness) {
        try {
            VerifiedCheckpoint cp = VerifiedCheckpoint.open(note, audit.log().origin(),
                    audit.keys().auditLogSigner().verifier());
            boolean second = cp.note().signatures().size() > 1;
            if (!second) {
                return new Kept(size, signedAt, null, false, note);
            }
            if (witness == null) {
                return new Kept(size, signedAt, null, true, note);
            }
            return new Kept(size, signedAt, cp.cosignedAt(CosignatureV1Verifier.parse(witness)), false, note);
        } catch (NoteException | IllegalArgumentException e) {
            return new Kept(size, signedAt, null, false, note);
        }
    }

    InclusionProof inclusion(String auditor, long index, long size) {
        audit.record(read(auditor, "proof").with("index", index).with("size", size));
        return audit.transactions().executeRead(status -> {
            Connection c = status.getConnection();
            long logSize = audit.log().size(c);
            if (size < 1 || size > logSize) {
                throw Problems.invalidField("size", "must be between 1 and the log's size, " + logSize);
            }
            if (index < 0 || index >= size) {
                throw Problems.invalidField("index", "must be at least 0 and below size");
            }
            byte[] leaf = audit.log().leafHashes(c, index + 1).get((int) index);
            return new InclusionProof(index, size, b64(leaf), b64(audit.log().inclusionProof(c, index, size)));
        });
    }

    ConsistencyProof consistency(String auditor, long from, long to) {
        audit.record(read(auditor, "proof").with("from", from).with("to", to));
        return audit.transactions().executeRead(status -> {
            Connection c = status.getConnection();
            long logSize = audit.log().size(c);
            if (to < 1 || to > logSize) {
                throw Problems.invalidField("to", "must be between 1 and the log's size, " + logSize);
            }
            if (from < 1 || from > to) {
                throw Problems.invalidField("from", "must be at least 1 and at most to");
            }
            return new ConsistencyProof(from, to, b64(audit.log().consistencyProof(c, from, to)));
        });
    }

    /**
     * The whole log with its checkpoints and keys, as JSON: a checkpoint of the log as it is now is signed first, so
     * that every entry is covered; the coordinator's witness key (to check the countersignatures) is the one it
     * publishes, absent while the coordinator cannot be reached.
     */
    String bundle(String auditor) {
        audit.record(read(auditor, "bundle"));
        String witness = checkpoints.witnessKey();
        // The checkpoint holds the head's lock until its transaction ends: the export, which reads the whole log,
        // comes after in a read of its own, so appends do not wait for it (entries after the checkpoint are exported
        // too, uncovered until the next one).
        audit.transactions().executeWrite(status -> audit.log().checkpoint(status.getConnection(),
                audit.keys().auditLogSigner(), audit.clock().instant()));
        AuditBundle bundle = audit.transactions().executeRead(status ->
                audit.log().export(status.getConnection(), checkpoints.logKey(), witness));
        try {
            return bundle.toJson();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The coordinator's own log as a bundle, fetched for the auditor (the coordinator logs the read as well). */
    String coordinatorBundle(String auditor) {
        audit.record(read(auditor, "coordinator-bundle"));
        return checkpoints.coordinatorBundle();
    }

    private AuditBundle.Entry exported(Connection c, AuditEntry e, byte[] leafHash) throws SQLException {
        byte[] salt = e.sealed() && e.event() != null ? audit.log().releasedSalt(c, e.index()).orElse(null) : null;
        AuditEvent ev = e.event();
        return new AuditBundle.Entry(e.index(), e.at().toString(), ev == null ? null : ev.kind(),
                ev == null ? null : ev.actor(), ev == null ? null : ev.subject(), ev == null ? null : ev.details(),
                b64(e.commitment()), b64(salt), b64(leafHash));
    }

    static AuditEvent read(String auditor, String what) {
        return AuditEvent.of("audit.read", NodeAudit.actor("auditor", auditor), "audit:" + what);
    }

    private static String b64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    private static List<String> b64(List<byte[]> hashes) {
        return hashes.stream().map(AuditReads::b64).toList();
    }
}
