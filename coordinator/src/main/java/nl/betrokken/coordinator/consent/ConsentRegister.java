package nl.betrokken.coordinator.consent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.feed.FeedNotifier;
import nl.betrokken.coordinator.feed.FeedWriter;
import nl.betrokken.coordinator.matching.Match;
import nl.betrokken.coordinator.matching.MatchType;
import nl.betrokken.coordinator.matching.SignalSide;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The consent register. Every change locks the consent's row ({@code SELECT … FOR UPDATE}) for its transaction, so
 * that a withdrawal and a use (or two answers) never interleave: a use either counts before a withdrawal or is
 * refused after it. Before anything is read or changed, a consent whose match's signals are no longer active, or
 * whose chosen date has passed, is expired ({@link #settle}).
 *
 * <p>A node sees a consent only when it holds one of its match's two signals; for any other node the answer is the
 * same 404 as for a consent that does not exist.
 */
@Singleton
public class ConsentRegister {

    public static final String PENDING = "PENDING";
    public static final String GRANTED = "GRANTED";
    public static final String REFUSED = "REFUSED";
    public static final String WITHDRAWN = "WITHDRAWN";
    public static final String EXPIRED = "EXPIRED";
    /** The reason of a consent ended because a signal of its match ended or was erased, or the match withdrawn. */
    public static final String SIGNAL_ENDED = "SIGNAL_ENDED";

    private static final String SYSTEM = "system:register";

    private final TransactionOperations<Connection> transactions;
    private final FeedNotifier notifier;
    private final CoordinatorAudit audit;
    private final ConsentTokens tokens;
    private final Clock clock;

    ConsentRegister(TransactionOperations<Connection> transactions, FeedNotifier notifier, CoordinatorAudit audit,
                    ConsentTokens tokens, Clock clock) {
        this.transactions = transactions;
        this.notifier = notifier;
        this.audit = audit;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A consent row. */
    private record Row(UUID id, UUID matchId, MatchType type, SignalSide low, SignalSide high, String homeNode,
                       String purposeHash, String status, @Nullable LocalDate validUntil,
                       @Nullable String endedReason) {

        Match match() {
            return new Match(matchId, type, low, high);
        }

        boolean party(String node) {
            return low.nodeId().equals(node) || high.nodeId().equals(node);
        }

        boolean holds(String node, String ref) {
            return low.equals(new SignalSide(node, ref)) || high.equals(new SignalSide(node, ref));
        }

        boolean open() {
            return PENDING.equals(status) || GRANTED.equals(status);
        }

        Row with(String newStatus, @Nullable LocalDate newValidUntil, @Nullable String reason) {
            return new Row(id, matchId, type, low, high, homeNode, purposeHash, newStatus, newValidUntil, reason);
        }

        List<String> parties() {
            return List.of(low.nodeId() + ":" + low.ref(), high.nodeId() + ":" + high.ref());
        }
    }

    private record Part(String node, String ref, String status, List<String> roles, @Nullable LocalDate validUntil) {
    }

    /** What a transaction changed that must be told after it commits: the nodes whose feeds grew. */
    private static final class Wake {
        final Set<String> nodes = new HashSet<>();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The operations

    /** Registers a request of the home node {@code nodeId}; the same request again gives the same answer. */
    public ConsentApi.Registered register(String nodeId, ConsentApi.Registration r) {
        Set<ConsentApi.PartRef> asked = new HashSet<>(r.parts());
        if (asked.size() != r.parts().size()) {
            throw Problems.invalidField("parts", "names the same signal twice");
        }
        Instant now = clock.instant();
        LocalDate today = today(now);
        Wake wake = new Wake();
        ConsentApi.Registered result = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<ConsentApi.Registered> again = sameAgain(c, nodeId, r);
            if (again.isPresent()) {
                return again.get();
            }
            Match match = lockMatch(c, r.matchId(), nodeId);
            // Another request with the same id may have been registered while this one waited for the match's lock.
            again = sameAgain(c, nodeId, r);
            if (again.isPresent()) {
                return again.get();
            }
            if (!signalsActive(c, match, today)) {
                throw Problems.conflict("signal-not-active", "Signal not active", "matchId",
                        "a signal of match " + r.matchId() + " is no longer active");
            }
            for (int i = 0; i < r.parts().size(); i++) {
                ConsentApi.PartRef p = r.parts().get(i);
                SignalSide side = new SignalSide(p.node(), p.ref());
                if (!side.equals(match.low()) && !side.equals(match.high())) {
                    throw Problems.invalidField("parts[" + i + "]", "is not a signal of match " + r.matchId());
                }
            }
            if (match.type() == MatchType.FAMILY && r.parts().size() != 2) {
                throw Problems.invalidField("parts", "of a FAMILY match must be both of its signals (one per youth)");
            }
            if (match.type() == MatchType.CHILD
                    && (r.parts().size() != 1 || !r.parts().get(0).node().equals(nodeId))) {
                throw Problems.invalidField("parts", "of a CHILD match must be one signal: the asking node's own");
            }
            for (UUID open : openOfMatch(c, r.matchId())) {
                Row row = lock(c, open).orElseThrow();
                row = settle(c, row, now, wake);
                if (row.open()) {
                    throw Problems.duplicate("consent-exists", "Consent already asked", "matchId",
                            "match " + r.matchId() + " already has a " + row.status() + " consent", open.toString());
                }
            }
            insert(c, nodeId, r, match, now);
            audit.record(c, AuditEvent.of("consent.registered", actor(nodeId), subject(r.id()))
                    .with("match", r.matchId()).with("parts", r.parts().size()));
            ConsentStats.record(c, today, nodeId, ConsentStats.ASKED);
            return new ConsentApi.Registered(r.id(), PENDING);
        });
        wake(wake);
        return result;
    }

    /** Records a part node's answer for its part {@code answer.ref()}. */
    public ConsentApi.Answered answer(String nodeId, UUID id, ConsentApi.Answer answer) {
        Instant now = clock.instant();
        LocalDate today = today(now);
        if (answer.validUntil() != null && answer.validUntil().isBefore(today)) {
            throw Problems.invalidField("validUntil", "must not be before today");
        }
        if (answer.validUntil() != null && answer.validUntil().isAfter(today.plusYears(5))) {
            throw Problems.invalidField("validUntil", "must be within five years from today");
        }
        List<String> roles = new TreeSet<>(answer.roles()).stream().toList();
        Wake wake = new Wake();
        ConsentApi.Answered result = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Row row = visible(c, id, nodeId);
            List<Part> parts = parts(c, id);
            Part part = parts.stream().filter(p -> p.node().equals(nodeId) && p.ref().equals(answer.ref()))
                    .findFirst()
                    .orElseThrow(() -> Problems.invalidField("ref", "is not a part of consent " + id + " held by your node"));
            row = settle(c, row, now, wake);
            boolean same = part.status().equals(answer.status()) && part.roles().equals(roles)
                    && Objects.equals(part.validUntil(), answer.validUntil());
            if (!row.open() || GRANTED.equals(row.status())) {
                if (part.status().equals(answer.status())) {
                    return answered(row, parts); // a retried answer: the same reply, nothing changes
                }
                throw ended(row);
            }
            if (same) {
                return answered(row, parts);
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE consent_part SET status = ?, roles = ?, valid_until = ?, answered_at = ?"
                            + " WHERE consent_id = ? AND node_id = ? AND ref = ?")) {
                update.setString(1, answer.status());
                update.setString(2, String.join(",", roles));
                update.setObject(3, answer.validUntil());
                update.setTimestamp(4, Timestamp.from(now));
                update.setObject(5, id);
                update.setString(6, nodeId);
                update.setString(7, answer.ref());
                update.executeUpdate();
            }
            audit.record(c, AuditEvent.of("consent.answered", actor(nodeId), subject(id))
                    .with("match", row.matchId()).with("answer", answer.status()).with("roles", String.join(",", roles)));
            parts = parts(c, id);
            if (REFUSED.equals(answer.status())) {
                row = update(c, row.with(REFUSED, null, null), now);
                audit.record(c, AuditEvent.of("consent.refused", actor(nodeId), subject(id)).with("match", row.matchId()));
                ConsentStats.record(c, today, row.homeNode(), ConsentStats.REFUSED);
            } else if (parts.stream().allMatch(p -> GRANTED.equals(p.status()))) {
                LocalDate until = parts.stream().map(Part::validUntil).filter(Objects::nonNull)
                        .min(LocalDate::compareTo).orElse(null);
                row = update(c, row.with(GRANTED, until, null), now);
                audit.record(c, AuditEvent.of("consent.granted", actor(nodeId), subject(id))
                        .with("match", row.matchId()).with("validUntil", until == null ? "none" : until));
                ConsentStats.record(c, today, row.homeNode(), ConsentStats.GRANTED);
            }
            return answered(row, parts);
        });
        wake(wake);
        return result;
    }

    /** The consent {@code id}, for a node holding a signal of its match. */
    public ConsentApi.View view(String nodeId, UUID id) {
        Instant now = clock.instant();
        Wake wake = new Wake();
        ConsentApi.View result = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Row row = settle(c, visible(c, id, nodeId), now, wake);
            return view(row, parts(c, id));
        });
        wake(wake);
        return result;
    }

    /** The newest consent of match {@code matchId}, for a node holding a signal of it. */
    public ConsentApi.View newestOfMatch(String nodeId, UUID matchId) {
        Optional<UUID> newest = transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id FROM consent WHERE match_id = ? AND (low_node = ? OR high_node = ?)"
                            + " ORDER BY n DESC LIMIT 1")) {
                select.setObject(1, matchId);
                select.setString(2, nodeId);
                select.setString(3, nodeId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.<UUID>empty();
                }
            }
        });
        return view(nodeId, newest.orElseThrow(() -> Problems.notFound("consent-not-found", "No consent",
                "no consent of match " + matchId + " for your node")));
    }

    /** Withdraws a PENDING or GRANTED consent; a withdrawn one stays withdrawn. */
    public ConsentApi.View withdraw(String nodeId, UUID id) {
        Instant now = clock.instant();
        Wake wake = new Wake();
        ConsentApi.View result = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Row row = settle(c, visible(c, id, nodeId), now, wake);
            if (row.open()) {
                row = end(c, row, WITHDRAWN, WITHDRAWN, actor(nodeId), true, now, wake);
            } else if (!WITHDRAWN.equals(row.status())) {
                throw ended(row);
            }
            return view(row, parts(c, id));
        });
        wake(wake);
        return result;
    }

    /** Expires a PENDING or GRANTED consent, by a part node; an expired one stays expired. */
    public ConsentApi.View expire(String nodeId, UUID id, String reason) {
        Instant now = clock.instant();
        Wake wake = new Wake();
        ConsentApi.View result = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Row row = visible(c, id, nodeId);
            List<Part> parts = parts(c, id);
            if (parts.stream().noneMatch(p -> p.node().equals(nodeId))) {
                throw Problems.forbidden("only a node holding a part of consent " + id + " may expire it");
            }
            row = settle(c, row, now, wake);
            if (row.open()) {
                row = end(c, row, EXPIRED, reason, actor(nodeId), true, now, wake);
            } else if (!EXPIRED.equals(row.status())) {
                throw ended(row);
            }
            return view(row, parts);
        });
        wake(wake);
        return result;
    }

    /**
     * Counts a use of a GRANTED consent by the node about to accept an exchange on its signal {@code ref}, or
     * refuses it (409, the type naming why). The refusal is logged (committed) before it is thrown.
     */
    public ConsentApi.Used use(String nodeId, UUID id, String ref) {
        Instant now = clock.instant();
        Wake wake = new Wake();
        Object outcome = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Row row = visible(c, id, nodeId);
            if (!row.holds(nodeId, ref)) {
                throw Problems.invalidField("ref", "is not your node's signal of the match of consent " + id);
            }
            row = settle(c, row, now, wake);
            if (GRANTED.equals(row.status())) {
                try (PreparedStatement update = c.prepareStatement("UPDATE consent SET uses = uses + 1 WHERE id = ?")) {
                    update.setObject(1, id);
                    update.executeUpdate();
                }
                audit.record(c, AuditEvent.of("consent.used", actor(nodeId), subject(id))
                        .with("match", row.matchId()).with("signal", nodeId + "/" + ref));
                ConsentStats.record(c, today(now), row.homeNode(), ConsentStats.USES);
                return new ConsentApi.Used(GRANTED);
            }
            ProblemException refused = ended(row);
            audit.record(c, AuditEvent.of("consent.use-refused", actor(nodeId), subject(id))
                    .with("match", row.matchId()).with("signal", nodeId + "/" + ref).with("status", row.status())
                    .with("reason", slug(row)));
            return refused;
        });
        wake(wake);
        if (outcome instanceof ProblemException refused) {
            throw refused;
        }
        return (ConsentApi.Used) outcome;
    }

    /**
     * Ends (EXPIRED, {@value #SIGNAL_ENDED}) the open consents of the signal {@code nodeId}/{@code ref}, inside the
     * caller's transaction: the signal was ended or erased, or its match withdrawn. No feed entry: the nodes learn
     * it from the signal's own end or the match's withdrawal. Call before writing to the feeds (lock order).
     */
    public int endForSignal(Connection c, String nodeId, String ref) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM consent WHERE status IN ('PENDING', 'GRANTED')"
                        + " AND ((low_node = ? AND low_ref = ?) OR (high_node = ? AND high_ref = ?)) ORDER BY id")) {
            select.setString(1, nodeId);
            select.setString(2, ref);
            select.setString(3, nodeId);
            select.setString(4, ref);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        Instant now = clock.instant();
        int ended = 0;
        for (UUID id : ids) {
            Optional<Row> row = lock(c, id);
            if (row.isPresent() && row.get().open()) {
                end(c, row.get(), EXPIRED, SIGNAL_ENDED, actor(nodeId), false, now, new Wake());
                ended++;
            }
        }
        return ended;
    }

    /**
     * Ends (EXPIRED, {@value #SIGNAL_ENDED}) the open consents of the matches {@code matchIds}, inside the caller's
     * transaction: a signal's correction withdrew those matches (intake/Corrections). No feed entry, as for
     * {@link #endForSignal}: the nodes learn it from the match's withdrawal. Call before writing to the feeds.
     */
    public int endForMatches(Connection c, String nodeId, Collection<UUID> matchIds) throws SQLException {
        Instant now = clock.instant();
        int ended = 0;
        for (UUID matchId : matchIds) {
            for (UUID id : openOfMatch(c, matchId)) {
                Optional<Row> row = lock(c, id);
                if (row.isPresent() && row.get().open()) {
                    end(c, row.get(), EXPIRED, SIGNAL_ENDED, actor(nodeId), false, now, new Wake());
                    ended++;
                }
            }
        }
        return ended;
    }

    /**
     * Expires ({@value #SIGNAL_ENDED}) every open consent of which a signal is no longer active or gone, inside the
     * caller's transaction (retention, after it archived signals past their end). Returns how many.
     */
    public int endWhereSignalInactive(Connection c, LocalDate today) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM consent WHERE status IN ('PENDING', 'GRANTED') AND ("
                        + INACTIVE.formatted("low") + " OR " + INACTIVE.formatted("high") + ") ORDER BY id")) {
            select.setObject(1, today);
            select.setObject(2, today);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        Instant now = clock.instant();
        int ended = 0;
        for (UUID id : ids) {
            Optional<Row> row = lock(c, id);
            if (row.isPresent() && row.get().open()) {
                end(c, row.get(), EXPIRED, SIGNAL_ENDED, "system:retention", false, now, new Wake());
                ended++;
            }
        }
        return ended;
    }

    /** No active signal at that side of the consent: {@code %s} is low or high; one date parameter (today). */
    private static final String INACTIVE = "NOT EXISTS (SELECT 1 FROM signal s WHERE s.node_id = consent.%1$s_node"
            + " AND s.ref = consent.%1$s_ref AND s.status = 'ACTIVE' AND s.active_until >= ?)";

    /**
     * Deletes, inside the caller's transaction, the consents that ended before {@code before} and of which a signal
     * no longer exists (deleted by retention, or erased), with their parts. Returns how many.
     */
    public int deleteEnded(Connection c, LocalDate before) throws SQLException {
        String which = "SELECT id FROM consent WHERE status NOT IN ('PENDING', 'GRANTED') AND changed_at < ?"
                + " AND (NOT EXISTS (SELECT 1 FROM signal s WHERE s.node_id = consent.low_node AND s.ref = consent.low_ref)"
                + " OR NOT EXISTS (SELECT 1 FROM signal s WHERE s.node_id = consent.high_node AND s.ref = consent.high_ref))";
        Timestamp cutoff = Timestamp.from(before.atStartOfDay(ConsentTokens.ZONE).toInstant());
        try (PreparedStatement parts = c.prepareStatement(
                "DELETE FROM consent_part WHERE consent_id IN (" + which + ")")) {
            parts.setTimestamp(1, cutoff);
            parts.executeUpdate();
        }
        try (PreparedStatement consents = c.prepareStatement("DELETE FROM consent WHERE id IN (" + which + ")")) {
            consents.setTimestamp(1, cutoff);
            return consents.executeUpdate();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rules

    /**
     * Expires an open consent whose match no longer stands or whose signals are no longer active ({@value
     * #SIGNAL_ENDED}, no feed entry), or whose chosen date has passed (DATE, feed entries).
     */
    private Row settle(Connection c, Row row, Instant now, Wake wake) throws SQLException {
        if (!row.open()) {
            return row;
        }
        LocalDate today = today(now);
        if (!matchStands(c, row.matchId()) || !signalsActive(c, row.match(), today)) {
            return end(c, row, EXPIRED, SIGNAL_ENDED, SYSTEM, false, now, wake);
        }
        if (row.validUntil() != null && row.validUntil().isBefore(today)) {
            return end(c, row, EXPIRED, "DATE", SYSTEM, true, now, wake);
        }
        return row;
    }

    private Row end(Connection c, Row row, String newStatus, String reason, String actor, boolean feed, Instant now,
                    Wake wake) throws SQLException {
        Row ended = update(c, row.with(newStatus, row.validUntil(), reason), now);
        String kind = WITHDRAWN.equals(newStatus) ? "consent.withdrawn" : "consent.expired";
        audit.record(c, AuditEvent.of(kind, actor, subject(row.id())).with("match", row.matchId())
                .with("reason", reason).with("was", row.status()));
        ConsentStats.record(c, today(now), row.homeNode(),
                WITHDRAWN.equals(newStatus) ? ConsentStats.WITHDRAWN : ConsentStats.EXPIRED);
        if (feed) {
            wake.nodes.addAll(FeedWriter.appendConsentEnded(c, row.match(), row.id(), reason, now));
        }
        return ended;
    }

    /** The 409 for a consent that cannot be used or changed so: its type ends in why. */
    private static ProblemException ended(Row row) {
        return Problems.conflict(slug(row), "Consent " + row.status().toLowerCase(), "consent",
                "consent " + row.id() + " is " + row.status()
                        + (row.endedReason() == null ? "" : " (" + row.endedReason() + ")"));
    }

    /** consent-pending, -granted, -refused, -withdrawn, -expired; -ended when its signal or match ended. */
    static String slug(Row row) {
        if (EXPIRED.equals(row.status()) && SIGNAL_ENDED.equals(row.endedReason())) {
            return "consent-ended";
        }
        return "consent-" + row.status().toLowerCase();
    }

    private ConsentApi.Answered answered(Row row, List<Part> parts) {
        return new ConsentApi.Answered(row.id(), row.status(), row.validUntil(), token(row, parts));
    }

    private ConsentApi.View view(Row row, List<Part> parts) {
        return new ConsentApi.View(row.id(), row.matchId(), row.homeNode(), row.status(), row.validUntil(),
                parts.stream().map(p -> new ConsentApi.PartView(p.node(), p.ref(), p.status(), p.roles())).toList(),
                token(row, parts), row.endedReason());
    }

    private @Nullable String token(Row row, List<Part> parts) {
        if (!GRANTED.equals(row.status())) {
            return null;
        }
        List<String> consented = new ArrayList<>();
        for (Part p : parts) {
            p.roles().forEach(role -> consented.add(p.node() + ":" + p.ref() + ":" + role));
        }
        return tokens.issue(row.id(), row.matchId(), row.parties(), row.purposeHash(), consented, row.validUntil());
    }

    private void wake(Wake wake) {
        notifier.wake(wake.nodes);
    }

    private LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ConsentTokens.ZONE);
    }

    private static String actor(String nodeId) {
        return "node:" + nodeId;
    }

    private static String subject(UUID id) {
        return "consent:" + id;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SQL

    private static final String COLUMNS = "id, match_id, match_type, low_node, low_ref, high_node, high_ref,"
            + " home_node, purpose_hash, status, valid_until, ended_reason";

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), MatchType.valueOf(rs.getString(3)),
                new SignalSide(rs.getString(4), rs.getString(5)), new SignalSide(rs.getString(6), rs.getString(7)),
                rs.getString(8), rs.getString(9), rs.getString(10), rs.getObject(11, LocalDate.class),
                rs.getString(12));
    }

    /** The consent's row, locked until the transaction ends. */
    private static Optional<Row> lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM consent WHERE id = ? FOR UPDATE")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** The consent's row, locked, when {@code nodeId} holds a signal of its match; else 404. */
    private static Row visible(Connection c, UUID id, String nodeId) throws SQLException {
        return lock(c, id).filter(r -> r.party(nodeId)).orElseThrow(() -> Problems.notFound("consent-not-found",
                "Consent not found", "no consent " + id + " of a match of your node"));
    }

    private static List<Part> parts(Connection c, UUID id) throws SQLException {
        List<Part> parts = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT node_id, ref, status, roles, valid_until FROM consent_part WHERE consent_id = ?"
                        + " ORDER BY node_id, ref")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String roles = rs.getString(4);
                    parts.add(new Part(rs.getString(1), rs.getString(2), rs.getString(3),
                            roles == null || roles.isEmpty() ? List.of() : Arrays.asList(roles.split(",")),
                            rs.getObject(5, LocalDate.class)));
                }
            }
        }
        return parts;
    }

    /** The answer to a request registered before with the same id: the same, or 409 when it differs. */
    private static Optional<ConsentApi.Registered> sameAgain(Connection c, String nodeId, ConsentApi.Registration r)
            throws SQLException {
        Row row;
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM consent WHERE id = ?")) {
            select.setObject(1, r.id());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                row = row(rs);
            }
        }
        Set<ConsentApi.PartRef> stored = new HashSet<>();
        parts(c, r.id()).forEach(p -> stored.add(new ConsentApi.PartRef(p.node(), p.ref())));
        if (!row.homeNode().equals(nodeId) || !row.matchId().equals(r.matchId())
                || !row.purposeHash().equals(r.purposeHash()) || !stored.equals(new HashSet<>(r.parts()))) {
            throw Problems.duplicate("consent-id-taken", "Consent id taken", "id",
                    "consent " + r.id() + " was registered with another body", r.id().toString());
        }
        return Optional.of(new ConsentApi.Registered(r.id(), row.status()));
    }

    /** The match, its row locked (so two requests for it are registered one after the other); 404 when not the node's. */
    private static Match lockMatch(Connection c, UUID matchId, String nodeId) throws SQLException {
        long low;
        long high;
        String type;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT signal_low, signal_high, match_type FROM signal_match WHERE id = ? FOR UPDATE")) {
            select.setObject(1, matchId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw matchNotFound(matchId);
                }
                low = rs.getLong(1);
                high = rs.getLong(2);
                type = rs.getString(3);
            }
        }
        SignalSide lowSide = side(c, low);
        SignalSide highSide = side(c, high);
        if (lowSide == null || highSide == null
                || !lowSide.nodeId().equals(nodeId) && !highSide.nodeId().equals(nodeId)) {
            throw matchNotFound(matchId);
        }
        return new Match(matchId, MatchType.valueOf(type), lowSide, highSide);
    }

    private static ProblemException matchNotFound(UUID matchId) {
        return Problems.notFound("match-not-found", "Match not found",
                "no match " + matchId + " of a signal of your node (withdrawn, or never yours)");
    }

    private static @Nullable SignalSide side(Connection c, long signalId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT node_id, ref FROM signal WHERE id = ?")) {
            select.setLong(1, signalId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new SignalSide(rs.getString(1), rs.getString(2)) : null;
            }
        }
    }

    private static boolean matchStands(Connection c, UUID matchId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM signal_match WHERE id = ?")) {
            select.setObject(1, matchId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether both signals of the match are ACTIVE and not past their active period. */
    private static boolean signalsActive(Connection c, Match match, LocalDate today) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM signal WHERE ((node_id = ? AND ref = ?) OR (node_id = ? AND ref = ?))"
                        + " AND status = 'ACTIVE' AND active_until >= ?")) {
            select.setString(1, match.low().nodeId());
            select.setString(2, match.low().ref());
            select.setString(3, match.high().nodeId());
            select.setString(4, match.high().ref());
            select.setObject(5, today);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 2;
            }
        }
    }

    private static List<UUID> openOfMatch(Connection c, UUID matchId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM consent WHERE match_id = ? AND status IN ('PENDING', 'GRANTED') ORDER BY id")) {
            select.setObject(1, matchId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private static void insert(Connection c, String nodeId, ConsentApi.Registration r, Match match, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO consent (id, match_id, match_type, low_node, low_ref, high_node, high_ref, home_node,"
                        + " purpose_hash, status, uses, created_at, changed_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
            insert.setObject(1, r.id());
            insert.setObject(2, r.matchId());
            insert.setString(3, match.type().name());
            insert.setString(4, match.low().nodeId());
            insert.setString(5, match.low().ref());
            insert.setString(6, match.high().nodeId());
            insert.setString(7, match.high().ref());
            insert.setString(8, nodeId);
            insert.setString(9, r.purposeHash());
            insert.setTimestamp(10, Timestamp.from(now));
            insert.setTimestamp(11, Timestamp.from(now));
            insert.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO consent_part (consent_id, node_id, ref, status) VALUES (?, ?, ?, 'PENDING')")) {
            for (ConsentApi.PartRef p : r.parts()) {
                insert.setObject(1, r.id());
                insert.setString(2, p.node());
                insert.setString(3, p.ref());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static Row update(Connection c, Row row, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE consent SET status = ?, valid_until = ?, ended_reason = ?, changed_at = ? WHERE id = ?")) {
            update.setString(1, row.status());
            update.setObject(2, row.validUntil());
            update.setString(3, row.endedReason());
            update.setTimestamp(4, Timestamp.from(now));
            update.setObject(5, row.id());
            update.executeUpdate();
        }
        return row;
    }
}
