package nl.betrokken.node.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.inzage.CitizenInzage;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.node.match.MatchTickets;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.signal.SignalView;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home node's side: a professional of the organisation holding this node's signal of a match asks consent
 * ({@code POST /api/v1/matches/{id}/consent-requests}). A CHILD match has one part (this node's own signal); a FAMILY
 * match has two, the counterpart's created at its node first ({@code POST /federation/v1/consent-parts}, node token and
 * match ticket). Then the request is registered at the coordinator, and only then stored here: the counterpart or the
 * register unreachable is a 503 with nothing stored here (a counterpart part never registered is never shown).
 */
@Singleton
public class ConsentRequests {

    private static final Logger LOG = LoggerFactory.getLogger(ConsentRequests.class);
    public static final int MAX_PURPOSE = 500;

    private final ConsentRequestRepository requests;
    private final ConsentParts parts;
    private final Register register;
    private final TransactionOperations<Connection> transactions;
    private final SignalService signals;
    private final Accounts accounts;
    private final MatchTickets tickets;
    private final CitizenInzage peers;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final NodeAudit audit;
    private final JsonMapper json;
    private final Clock clock;

    ConsentRequests(ConsentRequestRepository requests, ConsentParts parts, Register register,
                    TransactionOperations<Connection> transactions, SignalService signals, Accounts accounts,
                    MatchTickets tickets, CitizenInzage peers, NodeTokens tokens, NodeConfiguration node,
                    NodeAudit audit, JsonMapper json, Clock clock) {
        this.requests = requests;
        this.parts = parts;
        this.register = register;
        this.transactions = transactions;
        this.signals = signals;
        this.accounts = accounts;
        this.tickets = tickets;
        this.peers = peers;
        this.tokens = tokens;
        this.node = node;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @Serdeable
    public record Asked(String id, String status, List<String> needs) {
    }

    @Serdeable
    record PartBody(String ticket, String ref, String consentId, String purpose, String askingOrganisation,
                    String askingProfessional) {
    }

    @Serdeable
    record PartNeeds(List<String> needs) {
    }

    @Serdeable
    public record PartView(String node, String status, List<String> needs, List<String> granted) {
    }

    @Serdeable
    public record View(@Nullable String id, String status, @Nullable LocalDate validUntil, List<String> needs,
                List<PartView> parts, @Nullable String purpose, @Nullable String endedReason) {
    }

    /** This node's side of a match, as the asking professional's organisation holds it. */
    record Own(UUID matchId, UUID signalId, String ref, String matchType, String counterpartNode,
               String counterpartRef, @Nullable String ticket) {
    }

    static void validPurpose(@Nullable String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw Problems.invalidField("purpose", "must not be empty");
        }
        if (purpose.length() > MAX_PURPOSE) {
            throw Problems.invalidField("purpose", "must be at most " + MAX_PURPOSE + " characters");
        }
    }

    /**
     * The match's side held by {@code organisationId}.
     *
     * @throws ProblemException 404 when this node holds no such match, 403 when it is another organisation's,
     *                          409 when it was withdrawn or the signal is no longer active
     */
    Own own(UUID matchId, String organisationId) {
        LocalDate today = LocalDate.now(clock);
        return transactions.executeRead(status -> {
            boolean any = false;
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.signal_id, s.ref, m.match_type, m.counterpart_node, m.counterpart_ref, m.ticket, m.status,"
                            + " s.status, s.active_until, s.organisation_id FROM node_match m"
                            + " JOIN signal s ON s.id = m.signal_id WHERE m.match_id = ?")) {
                select.setObject(1, matchId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        any = true;
                        if (!rs.getString(10).equals(organisationId)) {
                            continue;
                        }
                        if (!"ACTIVE".equals(rs.getString(7))) {
                            throw Problems.conflict("match-withdrawn", "Match withdrawn", "id",
                                    "the match was withdrawn");
                        }
                        if (!"ACTIVE".equals(rs.getString(8)) || rs.getObject(9, LocalDate.class).isBefore(today)) {
                            throw Problems.conflict("signal-not-active", "Signal not active", "id",
                                    "your signal of this match is no longer active");
                        }
                        return new Own(matchId, rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6));
                    }
                }
            }
            if (any) {
                throw Problems.forbidden("the match is not on a signal of your organisation");
            }
            throw Problems.notFound("match-not-found", "Match not found", "there is no match " + matchId + " here");
        });
    }

    /** Asks consent for match {@code matchId} on behalf of professional {@code username}; {@code actor} asks. */
    public Asked ask(String username, String organisationId, UUID matchId, String purpose, String actor,
              @Nullable UUID renews) {
        validPurpose(purpose);
        Own own = own(matchId, organisationId);
        Optional<Register.Consent> current = register.ofMatch(matchId);
        if (current.isPresent() && (current.get().status().equals(ConsentRules.PENDING)
                || current.get().status().equals(ConsentRules.GRANTED))) {
            throw Problems.duplicate("consent-exists", "Consent already asked", "id",
                    "this match already has a consent request that is pending or granted", current.get().id());
        }
        UUID consentId = UUID.randomUUID();
        String askingOrganisation = accounts.organisation(organisationId).map(Accounts.Organisation::name)
                .orElse(organisationId);
        String askingProfessional = accounts.find(username).map(Account::displayName).orElse(username);
        LocalDate today = LocalDate.now(clock);
        List<String> ownNeeds = transactions.executeRead(status -> signals.byRef(status.getConnection(), own.ref())
                .map(s -> ConsentRules.needs(s.youth().birthDate(), today))
                .orElseThrow(() -> Problems.notFound("match-not-found", "Match not found", "the signal is gone")));
        Map<String, List<String>> partNeeds = new LinkedHashMap<>();
        partNeeds.put(node.nodeId() + ":" + own.ref(), ownNeeds);
        List<Register.PartRef> partRefs = new ArrayList<>(List.of(new Register.PartRef(node.nodeId(), own.ref())));
        boolean family = "FAMILY".equals(own.matchType());
        boolean counterpartHere = own.counterpartNode().equals(node.nodeId());
        if (family && !counterpartHere) {
            // At its node first: a part there that is never registered below is never shown and never used.
            partNeeds.put(own.counterpartNode() + ":" + own.counterpartRef(), counterpartPart(own, consentId, purpose,
                    askingOrganisation, askingProfessional, actor));
            partRefs.add(new Register.PartRef(own.counterpartNode(), own.counterpartRef()));
        }
        java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            transactions.executeWrite(status -> {
                Connection c = status.getConnection();
                parts.create(c, new ConsentParts.NewPart(consentId, matchId, own.ref(), node.nodeId(), purpose,
                        askingOrganisation, askingProfessional, null, actor));
                if (family && counterpartHere) {
                    partNeeds.put(node.nodeId() + ":" + own.counterpartRef(), parts.create(c, new ConsentParts.NewPart(
                            consentId, matchId, own.counterpartRef(), node.nodeId(), purpose, askingOrganisation,
                            askingProfessional, askingOrganisation, actor)));
                    partRefs.add(new Register.PartRef(node.nodeId(), own.counterpartRef()));
                }
                requests.save(new ConsentRequestRow(consentId, matchId, own.signalId(), parts.seal(purpose, consentId),
                        hash(purpose), username, clock.instant(), json.writeValueAsString(partNeeds), null, null,
                        renews));
                audit.record(c, AuditEvent.of("consent.asked", actor, audit.match(matchId))
                        .with("signal", audit.signal(own.signalId())).with("consent", parts.consentReference(consentId))
                        .with("parts", partRefs.size()));
                // Last, inside the transaction: the register refusing or down rolls back everything above.
                register.register(new Register.Registration(consentId.toString(), matchId.toString(), hash(purpose),
                        partRefs));
                registered.set(true);
                return null;
            });
        } catch (RuntimeException e) {
            if (registered.get()) { // registered, but not stored here: no one could answer it, so it is taken back
                try {
                    register.withdraw(consentId);
                } catch (RuntimeException again) {
                    LOG.warn("consent {} registered but not stored, and not taken back: {}", consentId,
                            again.getClass().getSimpleName());
                }
            }
            throw e;
        }
        return new Asked(consentId.toString(), ConsentRules.PENDING,
                ConsentRules.union(new ArrayList<>(partNeeds.values())));
    }

    /** The counterpart's part of a FAMILY match, created at its (other) node. */
    private List<String> counterpartPart(Own own, UUID consentId, String purpose, String askingOrganisation,
                                         String askingProfessional, String actor) {
        HttpClient peer = peers.peer(own.counterpartNode()).orElseThrow(() -> unreachable(own.counterpartNode()));
        MatchTickets.Ticket ticket = tickets.usable(own.matchId(), own.ticket());
        for (int attempt = 0; ; attempt++) {
            if (ticket.isGone()) {
                throw Problems.conflict("match-withdrawn", "Match withdrawn", "id", "the match no longer stands");
            }
            if (!ticket.usable()) {
                throw unreachable("coordinator");
            }
            try {
                return peer.toBlocking().retrieve(HttpRequest.POST("/federation/v1/consent-parts",
                                new PartBody(ticket.text(), own.ref(), consentId.toString(), purpose, askingOrganisation,
                                        askingProfessional))
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(own.counterpartNode())), PartNeeds.class).needs();
            } catch (HttpClientResponseException e) {
                int status = e.getStatus().getCode();
                LOG.warn("node {} refused a consent part for match {}: {}", own.counterpartNode(), own.matchId(), status);
                if (status == 403 && attempt == 0) {
                    ticket = tickets.renew(own.matchId());
                    continue;
                }
                if (status == 404 || status == 409 || status == 410) {
                    throw Problems.conflict("match-not-active", "Match not active", "id",
                            "the other side of the match no longer holds it active");
                }
                throw unreachable(own.counterpartNode());
            } catch (HttpClientException e) {
                LOG.info("node {} not reachable for a consent part", own.counterpartNode());
                throw unreachable(own.counterpartNode());
            }
        }
    }

    /** The match's consent as the register holds it, with the purpose where this node knows it. */
    public View view(String username, String organisationId, UUID matchId) {
        Own own = own(matchId, organisationId);
        Optional<Register.Consent> found = register.ofMatch(matchId);
        if (found.isEmpty()) {
            return new View(null, "NONE", null, List.of(), List.of(), null, null);
        }
        Register.Consent r = found.get();
        UUID consentId = UUID.fromString(r.id());
        Map<String, List<String>> needs = new LinkedHashMap<>();
        String purpose = null;
        Optional<ConsentRequestRow> request = requests.findById(consentId);
        if (request.isPresent()) {
            purpose = parts.open(request.get().purposeSealed(), consentId);
            try {
                needs.putAll(json.readValue(request.get().partNeeds(),
                        Argument.mapOf(Argument.STRING, Argument.listOf(String.class))));
            } catch (java.io.IOException e) {
                LOG.warn("consent {}: unreadable part needs", consentId);
            }
        }
        for (ConsentPartRow part : parts.parts(consentId)) {
            if (purpose == null) {
                purpose = parts.open(part);
            }
            String ref = transactions.executeRead(s -> ConsentParts.ref(s.getConnection(), part.signalId()));
            needs.put(node.nodeId() + ":" + ref, ConsentRules.split(part.needs()));
        }
        List<PartView> views = new ArrayList<>();
        for (Register.Part p : r.parts()) {
            List<String> partNeeds = needs.getOrDefault(p.node() + ":" + p.ref(), List.of());
            views.add(new PartView(p.node(), p.status(), partNeeds, p.roles() == null || !"GRANTED".equals(p.status())
                    ? List.of() : p.roles()));
        }
        String status = r.status();
        String endedReason = r.endedReason();
        Optional<String> endedHere = transactions.executeRead(s -> ConsentParts.ended(s.getConnection(), consentId));
        if (endedHere.isPresent() && (status.equals(ConsentRules.GRANTED) || status.equals(ConsentRules.PENDING))) {
            status = "WITHDRAWN".equals(endedHere.get()) ? ConsentRules.WITHDRAWN : ConsentRules.EXPIRED;
            endedReason = endedHere.get();
        }
        audit.record(AuditEvent.of("consent.viewed", NodeAudit.actor("prof", username), audit.match(matchId))
                .with("signal", audit.signal(own.signalId())).with("consent", parts.consentReference(consentId)));
        return new View(r.id(), status, r.validUntil(), ConsentRules.union(new ArrayList<>(needs.values())), views,
                purpose, endedReason);
    }

    /**
     * Records consent given in person or on paper, as a grant ({@code POST /api/v1/consent-requests/{id}/recorded}):
     * {@code by} ({@code PARENT} or {@code YOUTH}) said yes on {@code on}, in {@code form} ({@code MONDELING} when
     * null, or {@code SCHRIFTELIJK}), on the parts of consent {@code consentId} on this organisation's signals.
     *
     * @throws ProblemException 400 naming {@code by}, {@code on} or {@code form}; 403 when no part is on a signal of the
     *                          organisation; 404 for an unknown consent; 409 when the part is not pending, the role
     *                          answered already or is not needed today; 503 when the register cannot be reached
     */
    public void record(String username, String organisationId, UUID consentId, @Nullable String by,
                       @Nullable LocalDate on, @Nullable String form) {
        parts.recorded(username, organisationId, consentId, by, on, form);
    }

    /**
     * The roles ({@code PARENT}, {@code YOUTH}) whose consent a professional of {@code organisationId} can still record
     * on consent {@code consentId}: needed today on a pending part of this node on the organisation's signal, and not
     * answered yet. Empty when there are none.
     */
    public List<String> recordable(String organisationId, UUID consentId) {
        return parts.recordable(organisationId, consentId);
    }

    /**
     * Asks again, with the same purpose and on behalf of the same professional, the consent {@code expired} that this
     * node asked (its needs changed on a birthday). Nothing when this node did not ask it, or the match has an open
     * request already.
     */
    void askAgain(UUID expired) {
        Optional<ConsentRequestRow> row = requests.findById(expired);
        if (row.isEmpty()) {
            return;
        }
        ConsentRequestRow r = row.get();
        Optional<String> organisation = transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT organisation_id FROM signal WHERE id = ?")) {
                select.setObject(1, r.signalId());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        if (organisation.isEmpty()) {
            return;
        }
        try {
            ask(r.askedBy(), organisation.get(), r.matchId(), parts.open(r.purposeSealed(), r.id()), "system:consent",
                    r.id());
        } catch (ProblemException e) {
            LOG.info("consent {}: not asked again ({})", expired, e.problem().status());
        } catch (RuntimeException e) {
            // Never holds up the feed or the daily job that calls this: the professional can still ask themselves.
            LOG.warn("consent {}: not asked again ({})", expired, e.getClass().getSimpleName());
        }
    }

    static String hash(String purpose) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(purpose.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException unreachable(String other) {
        return Problems.unavailable("the region " + other + " cannot be reached now; nothing was asked; try again later");
    }
}
