package nl.betrokken.node.consent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.inzage.InzageServing;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.notify.Notifications;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.signal.SignalView;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The consent parts this node holds (the part node): one per consent request and signal of this node whose youth's
 * information would be shared. It knows the youth's birth date, so it alone works out a part's needs on a day
 * ({@link ConsentRules}); it records each role's answer and tells the coordinator's register when the part is decided
 * (all needed roles granted, or one refused) in the same transaction, with the part's row locked: the register down,
 * nothing is recorded (503). A withdrawal is recorded here first, in that transaction, so that this node's own
 * exchanges ({@link ConsentGate}, which locks the same rows) stop at once.
 */
@Singleton
class ConsentParts {

    /** How an answer came: through the portal or the API (DIGITAAL), or as the professional recorded it. */
    static final List<String> FORMS = List.of("MONDELING", "SCHRIFTELIJK");

    private final ConsentPartRepository rows;
    private final TransactionOperations<Connection> transactions;
    private final SignalService signals;
    private final InzageServing serving;
    private final Register register;
    private final NodeKeys keys;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final JsonMapper json;
    private final Clock clock;

    ConsentParts(ConsentPartRepository rows, TransactionOperations<Connection> transactions, SignalService signals,
                 InzageServing serving, Register register, NodeKeys keys, NodeAudit audit, NodeConfiguration node,
                 JsonMapper json, Clock clock) {
        this.rows = rows;
        this.transactions = transactions;
        this.signals = signals;
        this.serving = serving;
        this.register = register;
        this.keys = keys;
        this.audit = audit;
        this.node = node;
        this.json = json;
        this.clock = clock;
    }

    /** What a new part needs to be created at this node. */
    record NewPart(UUID consentId, UUID matchId, String ownRef, String homeNode, String purpose,
                   String askingOrganisation, String askingProfessional, @Nullable String counterpartOrganisation,
                   String actor) {
    }

    /**
     * Creates the part of consent {@code p.consentId()} on this node's signal {@code p.ownRef()} of match
     * {@code p.matchId()}, in the caller's transaction; returns its needs today. The match must be active here and the
     * signal active. The same consent id again on the same signal: its needs, nothing new (idempotent).
     */
    List<String> create(Connection c, NewPart p) throws Exception {
        ConsentRequests.validPurpose(p.purpose());
        Optional<SignalView> found = signals.byRef(c, p.ownRef());
        if (found.isEmpty()) {
            throw Problems.notFound("signal-not-found", "Signal not found", "this node has no such signal");
        }
        SignalView s = found.get();
        LocalDate today = LocalDate.now(clock);
        String matchType = activeMatchType(c, p.matchId(), s, today);
        for (ConsentPartRow existing : rows.findByConsentId(p.consentId())) {
            if (existing.signalId().equals(s.id())) {
                return ConsentRules.split(existing.needs());
            }
        }
        List<String> needs = ConsentRules.needs(s.youth().birthDate(), today);
        UUID id = UUID.randomUUID();
        rows.save(new ConsentPartRow(id, p.consentId(), p.matchId(), s.id(), p.homeNode(), matchType,
                seal(p.purpose(), p.consentId()), limit(p.askingOrganisation()), limit(p.askingProfessional()),
                p.counterpartOrganisation() == null ? counterpartOrganisation(c, p.matchId(), s.id())
                        : limit(p.counterpartOrganisation()),
                ConsentRules.join(needs), clock.instant(), ConsentRules.PENDING, null, null, null, null, null, null,
                null, null, null, null, null));
        audit.record(c, AuditEvent.of("consent.part-created", p.actor(), audit.match(p.matchId()))
                .with("signal", audit.signal(s.id())).with("consent", consentReference(p.consentId()))
                .with("needs", ConsentRules.join(needs)));
        return needs;
    }

    /** The match type when the match is active at this node on signal {@code s}, and the signal is active. */
    private String activeMatchType(Connection c, UUID matchId, SignalView s, LocalDate today) throws SQLException {
        if (!"ACTIVE".equals(s.status()) || s.activeUntil().isBefore(today)) {
            throw Problems.conflict("signal-not-active", "Signal not active", "matchId",
                    "the signal of this match is no longer active");
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT match_type, status FROM node_match WHERE match_id = ? AND signal_id = ?")) {
            select.setObject(1, matchId);
            select.setObject(2, s.id());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw Problems.notFound("match-not-found", "Match not found",
                            "this node holds no such match on that signal");
                }
                if (!"ACTIVE".equals(rs.getString(2))) {
                    throw Problems.conflict("match-withdrawn", "Match withdrawn", "matchId",
                            "the match was withdrawn");
                }
                return rs.getString(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The person's side: through inzage tickets (relation SELF: the youth; PARENT: a parent).

    /** A checked inzage ticket and the role it lets the person answer in. */
    private record Checked(InzageServing.Ticket ticket, String role) {
    }

    private List<Checked> check(String askerNode, List<String> tickets) {
        List<Checked> out = new ArrayList<>();
        if (tickets == null) {
            return out;
        }
        if (tickets.size() > 100) {
            throw Problems.invalidField("tickets", "at most 100");
        }
        for (String text : tickets) {
            if (text == null || text.length() > 4000) {
                continue;
            }
            try {
                InzageServing.Ticket t = serving.check(askerNode, text);
                out.add(new Checked(t, "SELF".equals(t.relation()) ? ConsentRules.YOUTH : ConsentRules.PARENT));
            } catch (ProblemException e) {
                if (e.problem().status() == 503) {
                    throw e;
                }
                // a refused ticket shows nothing, as for an inzage
            }
        }
        return out;
    }

    /**
     * Every part on the signals the tickets name and let the person see (age rules and the Veilig Thuis hold of
     * inzage) where the person's role is or was needed, for a person signed in at {@code askerNode}. Each ticket is
     * spent. A part the register does not know (its request was never registered) is left out.
     */
    List<CitizenConsents.Item> forPerson(String askerNode, List<String> tickets) {
        List<Checked> checked = check(askerNode, tickets);
        LocalDate today = LocalDate.now(clock);
        List<Found> found = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<Found> out = new ArrayList<>();
            Map<String, Boolean> seen = new HashMap<>();
            for (Checked t : checked) {
                if (seen.containsKey(t.ticket().ref() + "/" + t.role())) {
                    continue;
                }
                Optional<SignalView> signal = signals.byRef(c, t.ticket().ref());
                if (signal.isEmpty() || !serving.visible(c, signal.get(), t.ticket().relation())
                        || !serving.use(t.ticket())) {
                    continue;
                }
                seen.put(t.ticket().ref() + "/" + t.role(), true);
                int count = 0;
                for (ConsentPartRow row : rows.findBySignalIdOrderByAskedAtDesc(signal.get().id())) {
                    List<String> needsToday = ConsentRules.needs(signal.get().youth().birthDate(), today);
                    if (!ConsentRules.split(row.needs()).contains(t.role()) && !needsToday.contains(t.role())) {
                        continue;
                    }
                    out.add(new Found(row, signal.get(), t.role(), needsToday));
                    count++;
                }
                if (count > 0) {
                    audit.record(c, AuditEvent.of("consent.listed", NodeAudit.actor("node", askerNode),
                            audit.signal(signal.get().id())).with("relation", t.ticket().relation())
                            .with("count", count));
                }
            }
            return out;
        });
        List<CitizenConsents.Item> items = new ArrayList<>();
        Map<UUID, Optional<Register.Consent>> registered = new LinkedHashMap<>();
        for (Found f : found) {
            ConsentPartRow row = f.row();
            String status = row.status();
            LocalDate validUntil = row.validUntil();
            if (status.equals(ConsentRules.PENDING) || status.equals(ConsentRules.GRANTED)) {
                Optional<Register.Consent> r = registered.computeIfAbsent(row.consentId(), register::consent);
                if (r.isEmpty()) {
                    continue; // never registered: the request was not made after all
                }
                status = r.get().status();
                if (r.get().validUntil() != null) {
                    validUntil = r.get().validUntil();
                }
            }
            if (status.equals(ConsentRules.GRANTED) && ConsentRules.changed(f.signal().youth().birthDate(),
                    grantedOn(row), today)) {
                status = ConsentRules.EXPIRED;
            }
            String mine = row.answerOf(f.role());
            boolean open = status.equals(ConsentRules.PENDING) && row.status().equals(ConsentRules.PENDING);
            boolean needed = f.needsToday().contains(f.role());
            items.add(new CitizenConsents.Item(node.nodeId(), row.consentId().toString(), row.matchType(), f.role(),
                    f.signal().youth().name(), open(row), row.askingOrganisation(), row.askingProfessional(),
                    row.counterpartOrganisation(), status, f.needsToday(), granted(row), mine, validUntil,
                    open && needed && mine == null,
                    needed && (status.equals(ConsentRules.PENDING) || status.equals(ConsentRules.GRANTED)),
                    row.askedAt()));
        }
        return items;
    }

    private record Found(ConsentPartRow row, SignalView signal, String role, List<String> needsToday) {
    }

    /**
     * The person's answer for every part of consent {@code consentId} on the signals the tickets name, in the role
     * each ticket gives, for a person signed in at {@code askerNode}.
     *
     * @throws ProblemException 404 when no part of it is theirs to answer; 409 when it is no longer open or they
     *                          answered; 400 naming {@code validUntil}; 503 when the register cannot be told
     */
    void answer(String askerNode, List<String> tickets, UUID consentId, String answer, @Nullable LocalDate validUntil) {
        if (!ConsentRules.GRANTED.equals(answer) && !ConsentRules.REFUSED.equals(answer)) {
            throw Problems.invalidField("answer", "must be GRANTED or REFUSED");
        }
        LocalDate today = LocalDate.now(clock);
        if (validUntil != null && validUntil.isBefore(today)) {
            throw Problems.invalidField("validUntil", "must not be in the past");
        }
        if (validUntil != null && validUntil.isAfter(today.plus(ConsentRules.LONGEST))) {
            throw Problems.invalidField("validUntil", "must be within " + ConsentRules.LONGEST.getYears()
                    + " years from today");
        }
        List<Checked> checked = check(askerNode, tickets);
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            int done = 0;
            ProblemException refusal = null;
            for (ConsentPartRow part : lock(c, consentId)) {
                SignalView s = signal(c, part.signalId()).orElse(null);
                if (s == null) {
                    continue;
                }
                for (Checked t : checked) {
                    if (!t.ticket().ref().equals(ref(c, part.signalId())) || !serving.visible(c, s, t.ticket().relation())
                            || !ConsentRules.needs(s.youth().birthDate(), today).contains(t.role())) {
                        continue;
                    }
                    if (!serving.use(t.ticket())) {
                        continue;
                    }
                    try {
                        decide(c, part, s, t.role(), answer, today, "DIGITAAL", "citizen", validUntil,
                                NodeAudit.actor("node", askerNode));
                        done++;
                    } catch (ProblemException e) {
                        if (e.problem().status() == 503) {
                            throw e;
                        }
                        refusal = e;
                    }
                    break;
                }
            }
            if (done == 0) {
                throw refusal != null ? refusal : notFound(consentId);
            }
            return null;
        });
    }

    /**
     * The answer a professional of the signal's organisation recorded ({@code by} said so on {@code on}, in
     * {@code form}; in person, {@code MONDELING}, when not given), as a grant.
     */
    void recorded(String username, String organisationId, UUID consentId, String by, LocalDate on,
                  @Nullable String givenForm) {
        if (!ConsentRules.PARENT.equals(by) && !ConsentRules.YOUTH.equals(by)) {
            throw Problems.invalidField("by", "must be PARENT or YOUTH");
        }
        String form = givenForm == null ? "MONDELING" : givenForm; // the contract's {"by", "on"}: given in person
        if (!FORMS.contains(form)) {
            throw Problems.invalidField("form", "must be MONDELING or SCHRIFTELIJK");
        }
        LocalDate today = LocalDate.now(clock);
        if (on == null || on.isAfter(today)) {
            throw Problems.invalidField("on", "must be a date, not in the future");
        }
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<ConsentPartRow> parts = lock(c, consentId);
            if (parts.isEmpty()) {
                throw notFound(consentId);
            }
            int done = 0;
            for (ConsentPartRow part : parts) {
                SignalView s = signal(c, part.signalId()).orElse(null);
                if (s == null || !s.organisation().equals(organisationId)) {
                    continue;
                }
                if (on.isBefore(LocalDate.ofInstant(part.askedAt(), clock.getZone()))) {
                    throw Problems.invalidField("on", "must not be before the request was made");
                }
                if (!ConsentRules.needs(s.youth().birthDate(), today).contains(by)) {
                    throw Problems.conflict("consent-role-not-needed", "Role not needed", "by",
                            "this part does not need the consent of " + by + " today");
                }
                decide(c, part, s, by, ConsentRules.GRANTED, on, form, NodeAudit.reference(username), null,
                        NodeAudit.actor("prof", username));
                done++;
            }
            if (done == 0) {
                throw Problems.forbidden("the consent request is not about a signal of your organisation");
            }
            return null;
        });
    }

    /**
     * The roles whose answer a professional of {@code organisationId} can still record on consent {@code consentId}
     * ({@link #recorded}): on each pending part at this node on a signal of that organisation, the roles it needs today
     * that have not answered; PARENT before YOUTH, empty when there are none (also when the consent ended here).
     */
    List<String> recordable(String organisationId, UUID consentId) {
        LocalDate today = LocalDate.now(clock);
        return transactions.executeRead(status -> {
            Connection c = status.getConnection();
            if (ended(c, consentId).isPresent()) {
                return List.of();
            }
            java.util.Set<String> roles = new java.util.TreeSet<>();
            for (ConsentPartRow part : rows.findByConsentId(consentId)) {
                SignalView s = part.status().equals(ConsentRules.PENDING) ? signal(c, part.signalId()).orElse(null)
                        : null;
                if (s == null || !s.organisation().equals(organisationId)) {
                    continue;
                }
                for (String role : ConsentRules.needs(s.youth().birthDate(), today)) {
                    if (part.answerOf(role) == null) {
                        roles.add(role);
                    }
                }
            }
            return List.copyOf(roles);
        });
    }

    /**
     * Records {@code role}'s {@code answer} on the locked {@code part}, and when that decides the part tells the
     * register (in this transaction: the register down, a 503 rolls it all back).
     */
    private void decide(Connection c, ConsentPartRow part, SignalView s, String role, String answer, LocalDate on,
                        String form, String by, @Nullable LocalDate validUntil, String actor) throws Exception {
        if (!part.status().equals(ConsentRules.PENDING) || ended(c, part.consentId()).isPresent()) {
            throw notPending(part.consentId());
        }
        if (part.answerOf(role) != null) {
            throw Problems.conflict("consent-answered", "Already answered", "id",
                    "the " + role + " already answered this request");
        }
        ConsentPartRow next = part.answered(role, answer, on, form, by, validUntil);
        List<String> needs = ConsentRules.needs(s.youth().birthDate(), LocalDate.now(clock));
        String ref = ref(c, part.signalId());
        if (answer.equals(ConsentRules.REFUSED)) {
            next = next.withStatus(ConsentRules.REFUSED, null, null);
            register.answer(part.consentId(), new Register.Answer(ref, ConsentRules.REFUSED, List.of(role), null));
        } else if (allGranted(next, needs)) {
            next = next.withStatus(ConsentRules.GRANTED, null, null).withNeeds(ConsentRules.join(needs));
            register.answer(part.consentId(), new Register.Answer(ref, ConsentRules.GRANTED, needs,
                    next.validUntil()));
        }
        rows.update(next);
        audit.record(c, AuditEvent.of("consent.answered", actor, audit.match(part.matchId()))
                .with("signal", audit.signal(part.signalId())).with("consent", consentReference(part.consentId()))
                .with("role", role).with("answer", answer).with("form", form).with("part", next.status()));
    }

    private static boolean allGranted(ConsentPartRow row, List<String> needs) {
        return needs.stream().allMatch(r -> ConsentRules.GRANTED.equals(row.answerOf(r)));
    }

    /**
     * Withdraws the consent for the person (any needed role of a part of it on the tickets' signals): recorded here
     * first, then the register told, in one transaction.
     */
    void withdraw(String askerNode, List<String> tickets, UUID consentId) {
        List<Checked> checked = check(askerNode, tickets);
        LocalDate today = LocalDate.now(clock);
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            for (ConsentPartRow part : lock(c, consentId)) {
                SignalView s = signal(c, part.signalId()).orElse(null);
                if (s == null) {
                    continue;
                }
                for (Checked t : checked) {
                    if (!t.ticket().ref().equals(ref(c, part.signalId())) || !serving.visible(c, s, t.ticket().relation())
                            || !ConsentRules.needs(s.youth().birthDate(), today).contains(t.role())
                            || !serving.use(t.ticket())) {
                        continue;
                    }
                    boolean open = part.status().equals(ConsentRules.PENDING)
                            || part.status().equals(ConsentRules.GRANTED);
                    if (!open || ended(c, part.consentId()).isPresent()) {
                        throw Problems.conflict("consent-not-active", "Consent not active", "id",
                                "this consent is not granted or pending; there is nothing to withdraw");
                    }
                    end(c, part, ConsentRules.WITHDRAWN, "WITHDRAWN", NodeAudit.actor("node", askerNode));
                    register.withdraw(part.consentId());
                    return null;
                }
            }
            throw notFound(consentId);
        });
    }

    /**
     * Marks the locked {@code part} ended ({@code status}, {@code reason}), remembers the end for the gate, and tells
     * the professional of the part's signal (once: the feed's later entry about the same end tells no one again).
     */
    private void end(Connection c, ConsentPartRow part, String status, String reason, String actor) throws SQLException {
        Instant now = clock.instant();
        rows.update(part.withStatus(status, reason, now));
        if (remember(c, part.consentId(), part.signalId(), part.matchId(), reason, now)) {
            // The feed's entry for this signal will find the end known: the professional is told here, once.
            Notifications.enqueueForSignal(c, part.signalId(), Notifications.CONSENT_ENDED, part.matchId(), now);
        }
        audit.record(c, AuditEvent.of(status.equals(ConsentRules.WITHDRAWN) ? "consent.withdrawn" : "consent.expired",
                        actor, audit.match(part.matchId())).with("signal", audit.signal(part.signalId()))
                .with("consent", consentReference(part.consentId())).with("reason", reason));
    }

    /** Records that consent {@code consentId} ended, as told for signal {@code signalId}; true when it is news. */
    static boolean remember(Connection c, UUID consentId, UUID signalId, UUID matchId, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO consent_ended (consent_id, signal_id, match_id, reason, ended_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")) {
            insert.setObject(1, consentId);
            insert.setObject(2, signalId);
            insert.setObject(3, matchId);
            insert.setString(4, reason.length() > 32 ? reason.substring(0, 32) : reason);
            insert.setTimestamp(5, Timestamp.from(now));
            return insert.executeUpdate() > 0;
        }
    }

    /** Why consent {@code consentId} ended as this node knows it, if it did. */
    static Optional<String> ended(Connection c, UUID consentId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT reason FROM consent_ended WHERE consent_id = ? ORDER BY ended_at LIMIT 1")) {
            select.setObject(1, consentId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The feed told this node that consent {@code consentId} of match {@code matchId} ended ({@code reason}) for its
     * signal {@code ownRef}: the parts and request marked (idempotent), and the signal's professional told once.
     */
    void endedByFeed(UUID consentId, UUID matchId, String reason, String ownRef) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<UUID> signal = signalId(c, ownRef);
            if (signal.isEmpty()) {
                return null;
            }
            Instant now = clock.instant();
            String ended = "WITHDRAWN".equals(reason) ? ConsentRules.WITHDRAWN : ConsentRules.EXPIRED;
            for (ConsentPartRow part : lock(c, consentId)) {
                if (part.signalId().equals(signal.get()) && (part.status().equals(ConsentRules.PENDING)
                        || part.status().equals(ConsentRules.GRANTED))) {
                    rows.update(part.withStatus(ended, reason, now));
                }
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE consent_request SET ended_reason = ?, ended_at = ? WHERE id = ? AND ended_reason IS NULL")) {
                update.setString(1, reason.length() > 32 ? reason.substring(0, 32) : reason);
                update.setTimestamp(2, Timestamp.from(now));
                update.setObject(3, consentId);
                update.executeUpdate();
            }
            if (remember(c, consentId, signal.get(), matchId, reason, now)) {
                Notifications.enqueueForSignal(c, signal.get(), Notifications.CONSENT_ENDED, matchId, now);
                audit.record(c, AuditEvent.of("consent.ended", "system:feed", audit.match(matchId))
                        .with("signal", audit.signal(signal.get())).with("consent", consentReference(consentId))
                        .with("reason", NodeAudit.reference(reason)));
            }
            return null;
        });
    }

    /**
     * The GRANTED parts whose needs changed (a 12th or 16th birthday): each expired at the register (AGE) and here;
     * returns those consents, for the home node to ask again. Those past the date the person chose expire too (DATE),
     * and are not asked again.
     */
    List<UUID> expireChanged() {
        LocalDate today = LocalDate.now(clock);
        List<UUID> expired = new ArrayList<>();
        for (ConsentPartRow candidate : rows.findByStatus(ConsentRules.GRANTED)) {
            try {
                boolean done = transactions.executeWrite(status -> {
                    Connection c = status.getConnection();
                    for (ConsentPartRow part : lock(c, candidate.consentId())) {
                        if (!part.id().equals(candidate.id()) || !part.status().equals(ConsentRules.GRANTED)) {
                            continue;
                        }
                        SignalView s = signal(c, part.signalId()).orElse(null);
                        if (s == null) {
                            return false;
                        }
                        if (ConsentRules.changed(s.youth().birthDate(), grantedOn(part), today)) {
                            end(c, part, ConsentRules.EXPIRED, "AGE", "system:consent");
                            register.expire(part.consentId(), "AGE");
                            return true;
                        }
                        if (part.validUntil() != null && part.validUntil().isBefore(today)) {
                            end(c, part, ConsentRules.EXPIRED, "DATE", "system:consent");
                            register.expire(part.consentId(), "DATE");
                        }
                        return false;
                    }
                    return false;
                });
                if (done) {
                    expired.add(candidate.consentId());
                }
            } catch (ProblemException e) {
                // the register cannot be told now: tried again on the next run; the gate refuses it meanwhile
            }
        }
        return expired;
    }

    /** The day a part's needs were fixed: the last answer's day, or the day it was asked. */
    private LocalDate grantedOn(ConsentPartRow row) {
        // The stored needs are those of the day the part was decided (or asked); compare with a day whose needs
        // they are: the later of the two answers' days, else the asking day.
        LocalDate asked = LocalDate.ofInstant(row.askedAt(), clock.getZone());
        LocalDate last = asked;
        if (row.parentOn() != null && row.parentOn().isAfter(last)) {
            last = row.parentOn();
        }
        if (row.youthOn() != null && row.youthOn().isAfter(last)) {
            last = row.youthOn();
        }
        return last;
    }

    /**
     * For the gate: whether this node's parts of consent {@code consentId} (locked in the caller's transaction) let it
     * be used today; a refusal reason when not.
     */
    Optional<String> refusal(Connection c, UUID consentId) throws Exception {
        Optional<String> ended = ended(c, consentId);
        if (ended.isPresent()) {
            return Optional.of("WITHDRAWN".equals(ended.get()) ? "consent-withdrawn" : "consent-expired");
        }
        LocalDate today = LocalDate.now(clock);
        for (ConsentPartRow part : lock(c, consentId)) {
            switch (part.status()) {
                case ConsentRules.WITHDRAWN:
                    return Optional.of("consent-withdrawn");
                case ConsentRules.EXPIRED:
                    return Optional.of("consent-expired");
                case ConsentRules.REFUSED:
                    return Optional.of("consent-refused");
                case ConsentRules.PENDING:
                    return Optional.of("consent-pending");
                default:
                    break;
            }
            SignalView s = signal(c, part.signalId()).orElse(null);
            if (s == null || ConsentRules.changed(s.youth().birthDate(), grantedOn(part), today)
                    || (part.validUntil() != null && part.validUntil().isBefore(today))) {
                return Optional.of("consent-expired");
            }
        }
        return Optional.empty();
    }

    /** Whether match {@code matchId} stands at this node on its signal {@code signalId}, and that signal is active. */
    boolean standing(Connection c, UUID matchId, UUID signalId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT m.status, s.status, s.active_until FROM node_match m JOIN signal s ON s.id = m.signal_id"
                        + " WHERE m.match_id = ? AND m.signal_id = ?")) {
            select.setObject(1, matchId);
            select.setObject(2, signalId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && "ACTIVE".equals(rs.getString(1)) && "ACTIVE".equals(rs.getString(2))
                        && !rs.getObject(3, LocalDate.class).isBefore(LocalDate.now(clock));
            }
        }
    }

    /** Every part of consent {@code consentId} at this node, locked ({@code FOR UPDATE}) in the caller's transaction. */
    List<ConsentPartRow> lock(Connection c, UUID consentId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM consent_part WHERE consent_id = ? ORDER BY id FOR UPDATE")) {
            select.setObject(1, consentId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<ConsentPartRow> out = new ArrayList<>();
        ids.forEach(id -> rows.findById(id).ifPresent(out::add));
        return out;
    }

    /** Locks every part of match {@code matchId} at this node, so a withdrawal and an exchange are serialised. */
    static void lockMatch(Connection c, UUID matchId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM consent_part WHERE match_id = ? ORDER BY id FOR UPDATE")) {
            select.setObject(1, matchId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
        }
    }

    /** This node's parts of consent {@code consentId} (not locked), for the professional's view. */
    List<ConsentPartRow> parts(UUID consentId) {
        return rows.findByConsentId(consentId);
    }

    /** The roles that granted the part, PARENT before YOUTH. */
    static List<String> granted(ConsentPartRow row) {
        List<String> out = new ArrayList<>();
        if (ConsentRules.GRANTED.equals(row.parentAnswer())) {
            out.add(ConsentRules.PARENT);
        }
        if (ConsentRules.GRANTED.equals(row.youthAnswer())) {
            out.add(ConsentRules.YOUTH);
        }
        return out;
    }

    /** The part's purpose, opened. */
    String open(ConsentPartRow row) {
        return open(row.purposeSealed(), row.consentId());
    }

    String open(byte[] sealed, UUID consentId) {
        try {
            return new String(keys.aead().decrypt(sealed, binding(consentId)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a consent's purpose does not open", e);
        }
    }

    byte[] seal(String purpose, UUID consentId) {
        return keys.aead().encrypt(purpose.getBytes(StandardCharsets.UTF_8), binding(consentId));
    }

    private static byte[] binding(UUID consentId) {
        return ("betrokken/node/consent/" + consentId + "/purpose").getBytes(StandardCharsets.US_ASCII);
    }

    /** The consent's reference in the log: {@code consent:} and 32 hex characters. */
    String consentReference(UUID consentId) {
        return audit.consent(consentId);
    }

    Optional<SignalView> signal(Connection c, UUID signalId) throws Exception {
        String ref = ref(c, signalId);
        return ref == null ? Optional.empty() : signals.byRef(c, ref);
    }

    @Nullable
    static String ref(Connection c, UUID signalId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
            select.setObject(1, signalId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static Optional<UUID> signalId(Connection c, String ref) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM signal WHERE ref = ?")) {
            select.setString(1, ref);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** The organisation on the other side of match {@code matchId} for signal {@code signalId}, when its node gave it. */
    @Nullable
    String counterpartOrganisation(Connection c, UUID matchId, UUID signalId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT counterpart_contact FROM node_match WHERE match_id = ? AND signal_id = ?")) {
            select.setObject(1, matchId);
            select.setObject(2, signalId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return null;
                }
                Object organisation = json.readValue(rs.getString(1), Argument.mapOf(String.class, Object.class))
                        .get("organisation");
                return organisation == null ? null : limit(organisation.toString());
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    private static String limit(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    static ProblemException notFound(UUID consentId) {
        return Problems.notFound("consent-not-found", "Consent request not found",
                "there is no consent request " + consentId + " for you here");
    }

    static ProblemException notPending(UUID consentId) {
        return Problems.conflict("consent-not-pending", "Consent request not open", "id",
                "the consent request " + consentId + " is no longer open to answer");
    }
}
