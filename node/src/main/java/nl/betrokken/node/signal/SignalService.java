package nl.betrokken.node.signal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.bsn.InvalidBsnException;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.metrics.NodeMetrics;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.outbox.Outbox;
import nl.betrokken.node.outbox.OutboxSender;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The rules of a signal's life at the node.
 *
 * <ul>
 *   <li>A registration is refused, naming the field, unless: the youth's BSN and every parent's BSN pass the
 *       elfproef; the birth date is not in the future and the youth is under 23 today; parents are distinct and not
 *       the youth; the parents were informed on a day that is not in the future, or a reason is given why not
 *       (exactly one of the two).</li>
 *   <li>It is active until two years after registration, or the day before the 23rd birthday if that is sooner
 *       ({@link ActivePeriod}: 29 February counts on to 1 March in a common year).</li>
 *   <li>One organisation has at most one active signal per youth: a second registration answers 409 with the
 *       first one's id.</li>
 *   <li>An {@code Idempotency-Key} makes a retry return the first answer.</li>
 *   <li>Only the professionals of the signal's organisation see or end it, and only until it is archived
 *       (archive/ArchiveService); then only the gemeente or an auditor reads it, stating a reason.</li>
 * </ul>
 * The BSN, name and birth date are stored only encrypted, with a keyed blind index for look-ups.
 */
@Singleton
public class SignalService {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The status of a signal past its active period (or ended before today): only the archive reads it. */
    public static final String ARCHIVED = "ARCHIVED";

    private final TransactionOperations<Connection> transactions;
    private final NodeKeys keys;
    private final Accounts accounts;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final JsonMapper json;
    private final Clock clock;
    private final NodeAudit audit;

    private final NodeMetrics metrics;

    SignalService(TransactionOperations<Connection> transactions, NodeKeys keys, Accounts accounts, Outbox outbox,
                  OutboxSender sender, JsonMapper json, Clock clock, NodeAudit audit, NodeMetrics metrics) {
        this.metrics = metrics;
        this.transactions = transactions;
        this.keys = keys;
        this.accounts = accounts;
        this.outbox = outbox;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
        this.audit = audit;
    }

    /** What is sealed for the youth: encrypted as one JSON document, bound to the signal id. */
    @Serdeable
    record SealedYouth(String bsn, String name, LocalDate birthDate) {
        @Override
        public String toString() {
            return "SealedYouth[redacted]";
        }
    }

    /** The signed-in professional on whose behalf a call is made. */
    public record Caller(String username, String organisationId) {
    }

    /** A registration's answer, and whether it was made now (201) or found by its Idempotency-Key. */
    public record Registered(SignalView signal, boolean created) {
    }

    public Registered register(Caller caller, RegisterSignalRequest request, @Nullable String idempotencyKey) {
        LocalDate today = LocalDate.now(clock);
        Bsn youth = bsn(request.youth().bsn(), "youth.bsn");
        List<Bsn> parents = parents(youth, request.parentsOrEmpty());
        LocalDate birth = request.youth().birthDate();
        checkBirthDate(birth, today);
        RegisterSignalRequest.ParentsInformed informed = request.parentsInformed();
        checkParentsInformed(informed, today);
        LocalDate activeUntil = ActivePeriod.activeUntil(today, birth);
        Accounts.Organisation organisation = accounts.organisation(caller.organisationId())
                .orElseThrow(() -> Problems.forbidden("the signed-in user belongs to no organisation"));
        byte[] requestHash = requestHash(caller, request);
        LocalDate until = activeUntil;
        Instant now = clock.instant();
        // A concurrent registration of the same youth, or a concurrent retry with the same Idempotency-Key, makes
        // one of the two inserts fail on a unique key; the second attempt then sees the first one's signal.
        for (int attempt = 1; ; attempt++) {
            try {
                Registered registered = insert(caller, request, idempotencyKey, requestHash, youth, parents,
                        organisation, today, until, now);
                sender.wake();
                if (registered.created()) {
                    metrics.signalRegistered();
                }
                return registered;
            } catch (RuntimeException e) {
                if (attempt >= 3 || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private Registered insert(Caller caller, RegisterSignalRequest request, @Nullable String idempotencyKey,
                              byte[] requestHash, Bsn youth, List<Bsn> parents, Accounts.Organisation organisation,
                              LocalDate today, LocalDate until, Instant now) {
        LocalDate birth = request.youth().birthDate();
        RegisterSignalRequest.ParentsInformed informed = request.parentsInformed();
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            if (idempotencyKey != null) {
                Optional<UUID> earlier = idempotent(c, caller, idempotencyKey, requestHash);
                if (earlier.isPresent()) {
                    return new Registered(view(c, earlier.get()).orElseThrow(), false);
                }
            }
            // The youth's index under every enabled epoch of the own ring, the primary first: a signal registered
            // before a rotation carries its active key under the epoch that was primary then.
            List<byte[]> youthIndexes = keys.blindIndex().candidates(youth);
            byte[] youthIndex = youthIndexes.get(0);
            List<String> activeKeys = youthIndexes.stream()
                    .map(index -> caller.organisationId() + ":" + HexFormat.of().formatHex(index)).toList();
            String activeKey = activeKeys.get(0);
            Optional<UUID> active = activeSignal(c, activeKeys);
            if (active.isPresent() && idempotencyKey != null) {
                // A retry can race its first try, which may commit between the two reads above: its answer, not 409.
                Optional<UUID> earlier = idempotent(c, caller, idempotencyKey, requestHash);
                if (earlier.isPresent()) {
                    return new Registered(view(c, earlier.get()).orElseThrow(), false);
                }
            }
            if (active.isPresent()) {
                throw Problems.duplicate("signal-exists", "Signal already active",
                        "youth.bsn", "this organisation already has an active signal on this youth",
                        active.get().toString());
            }
            UUID id = UUID.randomUUID();
            String ref = "s-" + HexFormat.of().formatHex(randomBytes(12));
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO signal (id, ref, organisation_id, professional, youth_index, youth_sealed, ground,"
                            + " parents_informed_on, not_informed_reason_sealed, registered_on, active_until, status,"
                            + " created_at, active_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?)")) {
                insert.setObject(1, id);
                insert.setString(2, ref);
                insert.setString(3, caller.organisationId());
                insert.setString(4, caller.username());
                insert.setBytes(5, youthIndex);
                insert.setBytes(6, seal(json.writeValueAsBytes(
                        new SealedYouth(youth.digits(), request.youth().name(), birth)), id, "youth"));
                insert.setString(7, request.ground());
                insert.setObject(8, informed.on());
                insert.setBytes(9, informed.notInformedReason() == null ? null
                        : seal(informed.notInformedReason().getBytes(StandardCharsets.UTF_8), id, "reason"));
                insert.setObject(10, today);
                insert.setObject(11, until);
                insert.setTimestamp(12, Timestamp.from(now));
                insert.setString(13, activeKey);
                insert.executeUpdate();
            }
            insertParents(c, id, parents);
            if (idempotencyKey != null) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO idempotency (username, idem_key, request_hash, signal_id, created_at)"
                                + " VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, caller.username());
                    insert.setString(2, idempotencyKey);
                    insert.setBytes(3, requestHash);
                    insert.setObject(4, id);
                    insert.setTimestamp(5, Timestamp.from(now));
                    insert.executeUpdate();
                }
            }
            outbox.signal(c, ref, organisation.ref(), today, until, youth, parents);
            SignalView registered = view(c, id).orElseThrow();
            if (informed.notInformedReason() != null) {
                audit.hold(c, id); // Veilig Thuis: what concerns this signal is sealed until the gemeente releases it
            }
            audit.record(c, AuditEvent.of("signal.registered", NodeAudit.actor("prof", caller.username()),
                    audit.signal(id)).with("organisation", NodeAudit.reference(caller.organisationId()))
                    .with("parentsInformed", informed.notInformedReason() == null));
            return new Registered(registered, true);
        });
    }

    /** The signal, if it belongs to the caller's organisation and is not archived; the read is an audit entry. */
    public Optional<SignalView> find(Caller caller, UUID id) {
        return transactions.executeWrite(status -> {
            Optional<SignalView> found = view(status.getConnection(), id)
                    .filter(v -> v.organisation().equals(caller.organisationId()) && !ARCHIVED.equals(v.status()));
            if (found.isPresent()) {
                audit.record(status.getConnection(), AuditEvent.of("signal.viewed",
                        NodeAudit.actor("prof", caller.username()), audit.signal(id)));
            }
            return found;
        });
    }

    /**
     * An archived signal, for the archive's reasoned access (archive/), read inside the caller's transaction so that
     * the read and its record are one; empty when {@code id} is not archived.
     */
    public Optional<SignalView> archived(Connection c, UUID id) throws SQLException, IOException,
            GeneralSecurityException {
        return view(c, id).filter(v -> ARCHIVED.equals(v.status()));
    }

    /**
     * The signal known to the coordinator as {@code ref}, in any status, read inside the caller's transaction (for an
     * inzage, inzage/, which records the read in the same transaction); empty when there is none.
     */
    public Optional<SignalView> byRef(Connection c, String ref) throws SQLException, IOException,
            GeneralSecurityException {
        UUID id;
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM signal WHERE ref = ?")) {
            select.setString(1, ref);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getObject(1, UUID.class);
            }
        }
        return view(c, id);
    }

    /** The caller's organisation's signals, newest first; the read is an audit entry naming how many. */
    public List<SignalView> list(Caller caller) {
        return list(caller, false);
    }

    /**
     * The caller's organisation's signals, or with {@code own} only those the caller holds (registered or handed
     * over to them), newest first; the read is an audit entry naming how many.
     */
    public List<SignalView> list(Caller caller, boolean own) {
        return transactions.executeWrite(status -> {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id FROM signal WHERE organisation_id = ? AND status <> 'ARCHIVED'"
                            + (own ? " AND professional = ?" : "") + " ORDER BY created_at DESC LIMIT 1000")) {
                select.setString(1, caller.organisationId());
                if (own) {
                    select.setString(2, caller.username());
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            List<SignalView> views = new ArrayList<>();
            for (UUID id : ids) {
                view(status.getConnection(), id).ifPresent(views::add);
            }
            audit.record(status.getConnection(), AuditEvent.of("signal.listed",
                    NodeAudit.actor(listerRole(status.getConnection(), caller.username()), caller.username()),
                    "organisation:" + NodeAudit.reference(caller.organisationId())).with("count", views.size()));
            return views;
        });
    }

    /** Ends the signal now: it stops matching here and, through the outbox, at the coordinator. */
    public SignalView end(Caller caller, UUID id, String reason) {
        SignalView ended = transactions.executeWrite(status -> end(status.getConnection(), caller.organisationId(), id,
                reason, NodeAudit.actor("prof", caller.username())));
        sender.wake();
        return ended;
    }

    /** A signal of the caller's organisation, locked for the transaction: its reference and status. */
    record Locked(String ref, String status) {
    }

    /**
     * Locks the caller's organisation's signal {@code id} that is not archived (for an end, a correction or a
     * withdrawal, signal/SignalChanges); else 404, as if it did not exist.
     */
    static Locked lockOwn(Connection c, Caller caller, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT ref, status FROM signal WHERE id = ? AND organisation_id = ? AND status <> 'ARCHIVED'"
                        + " FOR UPDATE")) {
            select.setObject(1, id);
            select.setString(2, caller.organisationId());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(id);
                }
                return new Locked(rs.getString(1), rs.getString(2));
            }
        }
    }

    /**
     * Ends the signal of {@code organisationId} now, inside the caller's transaction, recording {@code actor} in the
     * audit trail: for the professional above, and for the gemeente removing an organisation (organisation/). The
     * caller wakes the outbox sender after its commit.
     */
    public SignalView end(Connection c, String organisationId, UUID id, String reason, String actor)
            throws SQLException, IOException, GeneralSecurityException {
        LocalDate today = LocalDate.now(clock);
        Locked locked = lockOwn(c, new Caller(actor, organisationId), id);
        if (!"ACTIVE".equals(locked.status())) {
            throw Problems.conflict("signal-not-active", "Signal not active", "id",
                    "the signal was already " + locked.status().toLowerCase());
        }
        String ref = locked.ref();
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE signal SET status = 'ENDED', ended_on = ?, end_reason = ?, active_key = NULL WHERE id = ?")) {
            update.setObject(1, today);
            update.setString(2, reason);
            update.setObject(3, id);
            update.executeUpdate();
        }
        outbox.end(c, ref, today);
        SignalView view = view(c, id).orElseThrow();
        audit.record(c, AuditEvent.of("signal.ended", actor, audit.signal(id)));
        return view;
    }

    /**
     * Hands the signal (active, or ended and not archived) to {@code professional} of {@code organisationId}, another
     * organisation of this node, inside the caller's transaction: for the gemeente removing the signal's organisation
     * (organisation/). An active signal takes the new organisation's place in the one-active-signal-per-youth rule;
     * when that organisation already has an active signal on the youth, it is refused with 409 naming {@code field}.
     * The coordinator keeps the reference it knows the signal by (it refuses another organisation for a known
     * reference); the caller tells the counterparts the new contact (match/ContactChanges).
     *
     * @return the signal's reference
     */
    public String handToOrganisation(Connection c, UUID id, String organisationId, String professional, String field)
            throws SQLException, IOException, GeneralSecurityException {
        String ref;
        String status;
        byte[] sealed;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT ref, status, youth_sealed FROM signal WHERE id = ? AND status <> 'ARCHIVED' FOR UPDATE")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw Problems.notFound("signal-not-found", "Signal not found", "there is no signal " + id);
                }
                ref = rs.getString(1);
                status = rs.getString(2);
                sealed = rs.getBytes(3);
            }
        }
        String activeKey = null;
        if ("ACTIVE".equals(status)) {
            Bsn youth = Bsn.parse(json.readValue(open(sealed, id, "youth"), SealedYouth.class).bsn());
            List<String> activeKeys = keys.blindIndex().candidates(youth).stream()
                    .map(index -> organisationId + ":" + HexFormat.of().formatHex(index)).toList();
            if (activeSignal(c, activeKeys).isPresent()) {
                throw Problems.conflict("signal-exists", "Signal already active", field,
                        "that organisation already has an active signal on this youth; end this one instead");
            }
            activeKey = activeKeys.get(0);
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE signal SET organisation_id = ?, professional = ?, active_key = ? WHERE id = ?")) {
            update.setString(1, organisationId);
            update.setString(2, professional);
            update.setString(3, activeKey);
            update.setObject(4, id);
            update.executeUpdate();
        }
        return ref;
    }

    /**
     * Writes every ACTIVE signal to the outbox again, pseudonymised under {@code federation}: after the federation
     * ring is rotated (rotation/), so that the coordinator holds each active signal under the new epoch before the old
     * one is dropped. Opens each youth's and parent's sealed BSN to pseudonymise it; the caller records one audit entry
     * for the whole run. Ended and archived signals no longer match, so they are not sent. Requires an open transaction
     * on {@code c}.
     *
     * @return how many signals were written to the outbox
     */
    public int resubmitActive(Connection c, Pseudonymizer federation) throws SQLException, IOException,
            GeneralSecurityException {
        record Active(UUID id, String ref, String organisationRef, LocalDate from, LocalDate until, byte[] youth) {
        }
        List<Active> active = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT s.id, s.ref, o.ref, s.registered_on, s.active_until, s.youth_sealed FROM signal s"
                        + " JOIN organisation o ON o.id = s.organisation_id WHERE s.status = 'ACTIVE' ORDER BY s.created_at, s.id");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                active.add(new Active(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class), rs.getBytes(6)));
            }
        }
        java.util.Map<UUID, List<Bsn>> parentsOf = new java.util.HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT p.signal_id, p.parent_sealed FROM signal_parent p JOIN signal s ON s.id = p.signal_id"
                        + " WHERE s.status = 'ACTIVE' ORDER BY p.signal_id, p.position");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                Bsn parent = Bsn.parse(new String(open(rs.getBytes(2), id, "parent"), StandardCharsets.US_ASCII));
                parentsOf.computeIfAbsent(id, k -> new ArrayList<>()).add(parent);
            }
        }
        for (Active a : active) {
            Bsn youth = Bsn.parse(json.readValue(open(a.youth(), a.id(), "youth"), SealedYouth.class).bsn());
            outbox.signal(c, federation, a.ref(), a.organisationRef(), a.from(), a.until(), youth,
                    parentsOf.getOrDefault(a.id(), List.of()));
        }
        return active.size();
    }

    /**
     * The parents' BSNs, each passing the elfproef, distinct and not the youth's (400 naming {@code parents[i].bsn});
     * for a registration and a correction (SignalChanges).
     */
    static List<Bsn> parents(Bsn youth, List<RegisterSignalRequest.Parent> given) {
        List<Bsn> parents = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            parents.add(parent(youth, given, i));
        }
        return parents;
    }

    /**
     * Parent {@code i} of {@code given}: passes the elfproef, is not the youth (when the youth's BSN is known) and not a
     * parent named before it (400 naming {@code parents[i].bsn}). Requires 0 <= i < given.size().
     */
    private static Bsn parent(@Nullable Bsn youth, List<RegisterSignalRequest.Parent> given, int i) {
        String field = "parents[" + i + "].bsn";
        Bsn parent = bsn(given.get(i).bsn(), field);
        if (parent.equals(youth)) {
            throw Problems.invalidField(field, "is the youth's own BSN");
        }
        for (int j = 0; j < i; j++) {
            if (parent.digits().equals(given.get(j).bsn())) {
                throw Problems.invalidField(field, "appears more than once");
            }
        }
        return parent;
    }

    /**
     * Every rule {@link #register} checks before it writes, each field on its own, so that all broken ones are named
     * (register stops at the first): the elfproef of the youth's and each parent's BSN, a parent who is the youth or
     * named twice, the birth date (not in the future, under 23 today), the parents told on a day not in the future or
     * why not. It reads and writes nothing, so a second active signal on the youth is found only by register. Parts
     * of the request that are missing (null) are skipped: the request record's Bean Validation names them. The
     * werkplek's check as the person types (WerkplekSignalenController) and its form use it.
     */
    public List<Problem.Violation> check(RegisterSignalRequest request) {
        LocalDate today = LocalDate.now(clock);
        List<Problem.Violation> found = new ArrayList<>();
        RegisterSignalRequest.Youth y = request.youth();
        Bsn youth = y == null || y.bsn() == null || !Bsn.isValid(y.bsn()) ? null : Bsn.parse(y.bsn());
        if (y != null && y.bsn() != null && youth == null) {
            collect(found, () -> bsn(y.bsn(), "youth.bsn"));
        }
        List<RegisterSignalRequest.Parent> parents = request.parentsOrEmpty();
        for (int i = 0; i < parents.size(); i++) {
            if (parents.get(i) != null && parents.get(i).bsn() != null) {
                int index = i;
                Bsn known = youth;
                collect(found, () -> parent(known, parents, index));
            }
        }
        if (y != null && y.birthDate() != null) {
            collect(found, () -> checkBirthDate(y.birthDate(), today));
        }
        if (request.parentsInformed() != null) {
            collect(found, () -> checkParentsInformed(request.parentsInformed(), today));
        }
        return found;
    }

    private static void collect(List<Problem.Violation> found, Runnable rule) {
        try {
            rule.run();
        } catch (ProblemException e) {
            if (e.problem().violations() != null) {
                found.addAll(e.problem().violations());
            }
        }
    }

    /** Exactly one of the day the parents were told (not in the future) and why not (400 naming the field). */
    static void checkParentsInformed(RegisterSignalRequest.ParentsInformed informed, LocalDate today) {
        if ((informed.on() == null) == (informed.notInformedReason() == null)) {
            throw Problems.invalidField("parentsInformed", "give either on (a date) or notInformedReason, not both");
        }
        if (informed.on() != null && informed.on().isAfter(today)) {
            throw Problems.invalidField("parentsInformed.on", "must not be in the future");
        }
    }

    /** A birth date not in the future, of a youth under 23 today (400 naming {@code youth.birthDate}). */
    static void checkBirthDate(LocalDate birth, LocalDate today) {
        if (birth.isAfter(today)) {
            throw Problems.invalidField("youth.birthDate", "must not be in the future");
        }
        if (ActivePeriod.lastDayUnder23(birth).isBefore(today)) {
            throw Problems.invalidField("youth.birthDate", "the youth is 23 or older; a signal is for youth under 23");
        }
    }

    /** Stores the signal's parents, in order, each sealed and with its blind index. */
    void insertParents(Connection c, UUID id, List<Bsn> parents) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO signal_parent (signal_id, position, parent_index, parent_sealed) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < parents.size(); i++) {
                insert.setObject(1, id);
                insert.setInt(2, i);
                insert.setBytes(3, keys.blindIndex().of(parents.get(i)));
                insert.setBytes(4, seal(parents.get(i).digits().getBytes(StandardCharsets.US_ASCII), id, "parent"));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static ProblemException notFound(UUID id) {
        return Problems.notFound("signal-not-found", "Signal not found",
                "there is no signal " + id + " of your organisation");
    }

    Optional<SignalView> view(Connection c, UUID id) throws SQLException, IOException, GeneralSecurityException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, status, registered_on, active_until, ground, youth_sealed, organisation_id, professional,"
                        + " parents_informed_on, not_informed_reason_sealed, ended_on, end_reason,"
                        + " (SELECT count(*) FROM signal_parent p WHERE p.signal_id = signal.id)"
                        + " FROM signal WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SealedYouth youth = json.readValue(open(rs.getBytes(6), id, "youth"), SealedYouth.class);
                return Optional.of(new SignalView(id, rs.getString(2), rs.getObject(3, LocalDate.class),
                        rs.getObject(4, LocalDate.class), rs.getString(5),
                        new SignalView.Youth(youth.bsn(), youth.name(), youth.birthDate()), rs.getInt(13),
                        rs.getString(7), rs.getString(8), rs.getObject(9, LocalDate.class), rs.getBytes(10) != null,
                        rs.getObject(11, LocalDate.class), rs.getString(12)));
            }
        }
    }

    /** The active signal whose active key is one of {@code activeKeys} (the same youth under each epoch), if any. */
    private static Optional<UUID> activeSignal(Connection c, List<String> activeKeys) throws SQLException {
        String placeholders = String.join(", ", java.util.Collections.nCopies(activeKeys.size(), "?"));
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM signal WHERE active_key IN (" + placeholders + ")")) {
            for (int i = 0; i < activeKeys.size(); i++) {
                select.setString(i + 1, activeKeys.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static Optional<UUID> idempotent(Connection c, Caller caller, String key, byte[] hash) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT request_hash, signal_id FROM idempotency WHERE username = ? AND idem_key = ?")) {
            select.setString(1, caller.username());
            select.setString(2, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (!MessageDigest.isEqual(rs.getBytes(1), hash)) {
                    throw Problems.conflict("idempotency-key-reused", "Idempotency-Key reused", "Idempotency-Key",
                            "this Idempotency-Key was used before for another request");
                }
                return Optional.of(rs.getObject(2, UUID.class));
            }
        }
    }

    private byte[] requestHash(Caller caller, RegisterSignalRequest r) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(caller.username().getBytes(StandardCharsets.UTF_8));
            sha.update(json.writeValueAsBytes(r));
            return sha.digest();
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a request", e);
        }
    }

    byte[] seal(byte[] plaintext, UUID id, String what) {
        return keys.aead().encrypt(plaintext, associated(id, what));
    }

    byte[] open(byte[] sealed, UUID id, String what) throws GeneralSecurityException {
        return keys.aead().decrypt(sealed, associated(id, what));
    }

    /** Binds a sealed value to its signal and column, so it cannot be moved to another row unnoticed. */
    private static byte[] associated(UUID id, String what) {
        return ("betrokken/node/signal/" + id + "/" + what).getBytes(StandardCharsets.US_ASCII);
    }

    private static Bsn bsn(String digits, String field) {
        try {
            return Bsn.parse(digits);
        } catch (InvalidBsnException e) {
            throw Problems.invalidField(field, e.rule().message());
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * The audit actor's role of one who lists the organisation's signals: {@code coord} for the instellingscoördinator
     * (who may list them, read-only), else {@code prof}.
     */
    private static String listerRole(Connection c, String username) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT role FROM account WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && nl.betrokken.node.account.Role.COORDINATOR.name().equals(rs.getString(1))
                        ? "coord" : "prof";
            }
        }
    }
}
