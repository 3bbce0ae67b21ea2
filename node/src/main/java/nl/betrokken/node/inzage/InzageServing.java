package nl.betrokken.node.inzage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.audit.AccessProofs;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.node.signal.ActivePeriod;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.signal.SignalView;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one of this node's signals for an inzage, to the node where the person signed in (or to this node itself).
 * The coordinator's inzage ticket must be signed with its ticket key, of type {@value #TYPE}, for this node as
 * audience, name the calling node as {@code asker}, live at most {@link #MAX_LIFETIME}, and be used once. Then the
 * law's rules:
 * <ul>
 *   <li>{@code SELF}: only when the youth is 12 or older today;</li>
 *   <li>{@code PARENT}: only while the youth is under 16;</li>
 *   <li>a signal held back under the Veilig Thuis exception (registered without informing the parents, not released
 *       by the gemeente) answers exactly as a signal that does not exist: the same 404, so nothing reveals it.</li>
 * </ul>
 * Active, ended and archived signals alike. The read and its {@code inzage.served} entry are one transaction.
 */
@Singleton
public class InzageServing {

    static final String TYPE = "betrokken-inzage+jwt";
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    static final Claim<String> ASKER = Claim.string("asker");
    static final Claim<String> RELATION = Claim.string("relation");
    private static final Logger LOG = LoggerFactory.getLogger(InzageServing.class);
    private static final Map<String, String> GROUNDS = Map.ofEntries(
            Map.entry("a", "Zorgen over geweld of verwaarlozing"),
            Map.entry("b", "Psychische problemen of verslaving"),
            Map.entry("c", "Ernstige problemen bij het opvoeden of opgroeien"),
            Map.entry("d", "Een minderjarige moeder, of zwanger"),
            Map.entry("e", "Veel schoolverzuim of stoppen met school zonder diploma"),
            Map.entry("f", "Geen zin of kans om op een eerlijke manier geld te verdienen"),
            Map.entry("g", "Geldproblemen"),
            Map.entry("h", "Geen vaste plek om te wonen"),
            Map.entry("i", "Gevaar voor anderen"),
            Map.entry("j", "Betrokken bij strafbare feiten"),
            Map.entry("k", "Ouders die ernstig tekortschieten in de zorg"),
            Map.entry("l", "Risico's die in bepaalde groepen veel vaker voorkomen"));

    private final FederationCalls calls;
    private final SeenTickets seen;
    private final SignalService signals;
    private final Accounts accounts;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final JsonMapper json;
    private final AccessProofs proofs;

    InzageServing(FederationCalls calls, SeenTickets seen, SignalService signals, Accounts accounts, NodeAudit audit,
                  NodeConfiguration node, TransactionOperations<Connection> transactions, Clock clock, JsonMapper json,
                  AccessProofs proofs) {
        this.json = json;
        this.proofs = proofs;
        this.calls = calls;
        this.seen = seen;
        this.signals = signals;
        this.accounts = accounts;
        this.audit = audit;
        this.node = node;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The signal the ticket names, for {@code askerNode} (already authenticated by its node token, or this node).
     *
     * @throws ProblemException 403 when the ticket is refused, 404 when there is no signal the person may see
     */
    public InzageItem serve(String askerNode, String ticketText) {
        return serve(askerNode, ticketText, false);
    }

    /**
     * As {@link #serve(String, String)}; with {@code proofs}, each access also carries its leaf and an inclusion proof
     * against a checkpoint countersigned by the coordinator, after one of the log as it is now, this inzage's own
     * entry included, is countersigned ({@link AccessProofs}): in the same call, since the ticket serves once.
     */
    public InzageItem serve(String askerNode, String ticketText, boolean proofs) {
        InzageItem item = read(askerNode, ticketText);
        return proofs ? proven(item) : item;
    }

    private InzageItem proven(InzageItem item) {
        String reference = audit.signal(UUID.fromString(item.id()));
        List<Long> indexes = item.accesses().stream().map(InzageItem.Access::index).toList();
        // Entries held back and released: each opened by the release entry of its own hold (the signal's, or an
        // exchange's under the Veilig Thuis exception, exchange/), an audit.released about the signal.
        Map<Long, Long> releasedBy = transactions.executeRead(status -> releases(status.getConnection(), indexes));
        AccessProofs.Proofs proven = proofs.prove(reference, indexes, releasedBy);
        return item.withProofs(item.accesses().stream().map(a -> a.withProof(proven.proofs().get(a.index()))).toList(),
                proven.header());
    }

    /** For each of {@code indexes} that was held back: the index of the {@code audit.released} entry of its hold. */
    private static Map<Long, Long> releases(Connection c, List<Long> indexes) throws SQLException {
        Map<Long, Long> out = new java.util.HashMap<>();
        Map<String, Long> releaseOf = new java.util.HashMap<>();
        try (PreparedStatement held = c.prepareStatement("SELECT reference FROM audit_held_entry WHERE idx = ?");
             PreparedStatement release = c.prepareStatement(
                     "SELECT min(idx) FROM audit_entry WHERE kind = 'audit.released' AND subject = ? AND idx > ?")) {
            for (long index : indexes) {
                held.setLong(1, index);
                String reference;
                try (ResultSet rs = held.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    reference = rs.getString(1);
                }
                Long at = releaseOf.get(reference);
                if (at == null) {
                    release.setString(1, reference);
                    release.setLong(2, index);
                    try (ResultSet rs = release.executeQuery()) {
                        if (rs.next() && rs.getObject(1) != null) {
                            at = rs.getLong(1);
                            releaseOf.put(reference, at);
                        }
                    }
                }
                if (at != null) {
                    out.put(index, at);
                }
            }
        }
        return out;
    }

    private InzageItem read(String askerNode, String ticketText) {
        Ticket ticket = check(askerNode, ticketText);
        if (!use(ticket)) {
            LOG.warn("refused a replayed inzage ticket of node {}", askerNode);
            throw Problems.forbidden("the inzage ticket was already used (jti seen before)");
        }
        String ref = ticket.ref();
        String relation = ticket.relation();
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<SignalView> found = signals.byRef(c, ref);
            if (found.isEmpty() || held(c, found.get().id()) || !allowed(relation, found.get().youth().birthDate())) {
                throw notFound();
            }
            SignalView s = found.get();
            audit.record(c, AuditEvent.of("inzage.served", NodeAudit.actor("node", askerNode), audit.signal(s.id()))
                    .with("relation", relation));
            Optional<Account> professional = accounts.find(s.professional());
            String organisation = accounts.organisation(s.organisation()).map(Accounts.Organisation::name)
                    .orElse(s.organisation());
            LocalDate end = s.endedOn() != null && s.endedOn().isBefore(s.activeUntil()) ? s.endedOn() : s.activeUntil();
            return new InzageItem(node.nodeId(), s.id().toString(), relation,
                    new InzageItem.Youth(s.youth().name(), s.youth().birthDate()), organisation,
                    professional.map(Account::displayName).orElse(s.professional()),
                    professional.map(Account::email).orElse(null), professional.map(Account::phone).orElse(null),
                    s.registeredOn(), s.status(), s.activeUntil(), end.plus(ArchiveService.ARCHIVE_PERIOD),
                    GROUNDS.getOrDefault(s.ground(), s.ground()), s.ground(), !s.parentsNotInformed(),
                    s.parentsInformedOn(), accesses(c, s), null);
        });
    }

    /**
     * A verified inzage ticket, not yet used: the signal reference it names ({@code sub}) and the relation.
     * {@link #use} spends it.
     */
    public record Ticket(String ref, String relation, String jti, java.time.Instant expiresAt) {
        @Override
        public String toString() {
            return "Ticket[" + relation + "]";
        }
    }

    /**
     * Checks an inzage ticket for {@code askerNode} (signature by the coordinator's ticket key, type, this node as
     * audience, the asker, at most {@link #MAX_LIFETIME}, relation SELF or PARENT, a {@code jti}) without using it.
     * A ticket of relation VEILIG_THUIS is refused here: it serves only {@link #checkVeiligThuis}.
     *
     * @throws ProblemException 403 when it is refused
     */
    public Ticket check(String askerNode, String ticketText) {
        return check(askerNode, ticketText, List.of("SELF", "PARENT"));
    }

    /**
     * Checks a Veilig Thuis ticket for {@code askerNode} as {@link #check(String, String)} does, except that its
     * relation must be {@code VEILIG_THUIS}: a ticket for a person's own inzage is refused here, and this one there.
     *
     * @throws ProblemException 403 when it is refused
     */
    public Ticket checkVeiligThuis(String askerNode, String ticketText) {
        return check(askerNode, ticketText, List.of("VEILIG_THUIS"));
    }

    private Ticket check(String askerNode, String ticketText, List<String> relations) {
        TokenClaims ticket;
        try {
            ticket = calls.coordinatorTicket(ticketText, TYPE, List.of(ASKER, RELATION)).claims();
        } catch (TokenVerificationException e) {
            LOG.warn("refused an inzage of node {}: ticket {}", askerNode, e.reason());
            throw Problems.forbidden("the inzage ticket was refused: " + e.reason());
        }
        if (!askerNode.equals(ticket.require(ASKER))) {
            LOG.warn("refused an inzage of node {}: the ticket names another asker", askerNode);
            throw Problems.forbidden("the inzage ticket was issued to another node");
        }
        if (ticket.issuedAt() == null
                || Duration.between(ticket.issuedAt(), ticket.expiresAt()).compareTo(MAX_LIFETIME) > 0) {
            throw Problems.forbidden("the inzage ticket lives longer than " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        String relation = ticket.require(RELATION);
        if (!relations.contains(relation)) {
            throw Problems.forbidden("the inzage ticket names no relation " + String.join(" or ", relations));
        }
        if (ticket.jwtId() == null || ticket.jwtId().length() > 100) {
            throw Problems.forbidden("the inzage ticket has no usable jti");
        }
        return new Ticket(ticket.subject(), relation, ticket.jwtId(), ticket.expiresAt());
    }

    /** Spends a checked ticket: true the first time, false for a replay. In its own transaction, so it sticks. */
    public boolean use(Ticket ticket) {
        return seen.firstUse(ticket.jti(), ticket.expiresAt());
    }

    /**
     * Whether a person in {@code relation} may see the signal {@code s} now: not held back (Veilig Thuis), and the
     * age rules (SELF from 12, PARENT while under 16). Requires an open transaction on {@code c}.
     */
    public boolean visible(Connection c, SignalView s, String relation) throws SQLException {
        return !held(c, s.id()) && allowed(relation, s.youth().birthDate());
    }

    /** The one answer for "no such signal", "held back" and "not for you": nothing tells them apart. */
    public static ProblemException notFound() {
        return Problems.notFound("signal-not-found", "Signal not found", "there is no such signal at this node");
    }

    private boolean allowed(String relation, LocalDate birthDate) {
        LocalDate today = LocalDate.now(clock);
        return relation.equals("SELF")
                ? !today.isBefore(ActivePeriod.anniversary(birthDate, 12))
                : today.isBefore(ActivePeriod.anniversary(birthDate, 16));
    }

    /** Whether the signal is held back under the Veilig Thuis exception and not released (audit/NodeAudit#hold). */
    private boolean held(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM audit_hold WHERE reference = ? AND released_at IS NULL")) {
            select.setString(1, audit.signal(id));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The open entries of this node's audit log about the signal (its reference as subject or as the {@code signal}
     * detail; sealed ones only once released), oldest first. The actor by role ({@code prof:username} becomes
     * {@code prof}) and organisation: the organisation of this node's account that acted, the organisation on the
     * other side of a match for another node's acts about that match (from the contact data fetched for it), else the
     * other node's id; and that node in {@code node}. The registering professional's name on the registration, and no other name.
     */
    private List<InzageItem.Access> accesses(Connection c, SignalView s) throws SQLException {
        String reference = audit.signal(s.id());
        Map<String, String[]> counterparts = counterparts(c, s.id()); // match reference -> [organisation, node]
        Map<String, Optional<Account>> staff = new java.util.HashMap<>();
        Map<String, String> names = new java.util.HashMap<>();
        List<InzageItem.Access> out = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT idx, at, kind, actor, subject, details FROM audit_entry WHERE kind IS NOT NULL"
                        + " AND (subject = ? OR details LIKE ?) ORDER BY idx LIMIT 1000")) {
            select.setString(1, reference);
            select.setString(2, "%\"signal\":\"" + reference + "\"%");
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(3);
                    String actor = rs.getString(4);
                    int colon = actor.indexOf(':');
                    String role = colon < 0 ? actor : actor.substring(0, colon);
                    String who = colon < 0 ? "" : actor.substring(colon + 1);
                    Map<String, String> details = details(rs.getString(6));
                    String[] counterpart = counterparts.get(rs.getString(5));
                    String organisation = null;
                    String actorNode = null;
                    String professional = null;
                    if (details.get("organisation") != null) {
                        // The log names this node's organisations by id; the person reads their name.
                        organisation = organisationName(details.get("organisation"), names);
                    } else if (role.equals("node")) {
                        actorNode = who;
                        // Another node acting on a match: the organisation on the other side of that match; else
                        // (an inzage, a bezwaar through that node) the node itself, as before.
                        organisation = counterpart != null && who.equals(counterpart[1]) && counterpart[0] != null
                                ? counterpart[0] : who;
                    } else if (role.equals("veiligthuis") && details.get("node") != null) {
                        // A Veilig Thuis worker of the asking node (veiligthuis/): an account there, not here.
                        actorNode = details.get("node");
                    } else if (!role.equals("system") && !role.equals("citizen")) {
                        Optional<Account> account = staff.computeIfAbsent(who, accounts::find);
                        organisation = account.map(Account::organisationId).map(id -> organisationName(id, names))
                                .orElse(null);
                    }
                    if (kind.equals("signal.registered") && role.equals("prof")) {
                        professional = staff.computeIfAbsent(who, accounts::find).map(Account::displayName).orElse(null);
                    }
                    out.add(new InzageItem.Access(rs.getTimestamp(2).toInstant(), role, organisation, kind,
                            AccessPurposes.of(kind), rs.getLong(1), actorNode, professional,
                            counterpart == null ? null : counterpart[0], counterpart == null ? null : counterpart[1],
                            null));
                }
            }
        }
        return out;
    }

    private String organisationName(String id, Map<String, String> names) {
        return names.computeIfAbsent(id, k -> accounts.organisation(k).map(Accounts.Organisation::name).orElse(k));
    }

    /**
     * The signal's matches by their reference in the log: the organisation on the other side (from the contact data
     * its node gave, null before that) and its node.
     */
    private Map<String, String[]> counterparts(Connection c, UUID signal) throws SQLException {
        Map<String, String[]> out = new java.util.HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT match_id, counterpart_node, counterpart_contact FROM node_match WHERE signal_id = ?")) {
            select.setObject(1, signal);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String organisation = contactOrganisation(rs.getString(3));
                    out.put(audit.match(rs.getObject(1, UUID.class)), new String[] {organisation, rs.getString(2)});
                }
            }
        }
        return out;
    }

    private String contactOrganisation(String contact) {
        try {
            Object organisation = contact == null ? null
                    : json.readValue(contact, Argument.mapOf(String.class, Object.class)).get("organisation");
            return organisation == null ? null : organisation.toString();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private Map<String, String> details(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, Argument.mapOf(String.class, String.class));
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }
}
