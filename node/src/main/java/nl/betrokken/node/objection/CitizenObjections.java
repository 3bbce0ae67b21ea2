package nl.betrokken.node.objection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.inzage.CitizenInzage;
import nl.betrokken.node.inzage.InzageServing;
import nl.betrokken.node.inzage.ParentalRelations;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objections of a person signed in at this node: the relation source as for an inzage
 * ({@link ParentalRelations}: by default the coordinator's look-up), then the holding node is handed the inzage tickets it issued for that node
 * ({@code POST /federation/v1/objections}, {@code /federation/v1/objections/list}; this node's own through
 * {@link Objections} directly). The holding node's refusals (400, 404, 409) reach the person as they were given.
 * A filed objection is remembered here by a keyed blind index of the person ({@code objection_filed}), so that its
 * outcome stays visible after an upheld objection erased the signal and the coordinator no longer finds it.
 */
@Singleton
class CitizenObjections {

    private static final Logger LOG = LoggerFactory.getLogger(CitizenObjections.class);

    private final CitizenInzage inzage;
    private final ParentalRelations relations;
    private final Objections objections;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final JsonMapper json;
    private final TransactionOperations<Connection> transactions;
    private final NodeKeys keys;
    private final NodeAudit audit;
    private final Clock clock;

    CitizenObjections(CitizenInzage inzage, ParentalRelations relations, Objections objections, NodeTokens tokens, NodeConfiguration node,
                      JsonMapper json, TransactionOperations<Connection> transactions, NodeKeys keys,
                      NodeAudit audit, Clock clock) {
        this.json = json;
        this.transactions = transactions;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.inzage = inzage;
        this.relations = relations;
        this.objections = objections;
        this.tokens = tokens;
        this.node = node;
    }

    /**
     * Files the person's objection at the node holding the signal. This node records first ({@code objection_filed}
     * and {@code bezwaar.sent}, under an objection id it chooses), then hands the objection with that id to the
     * holding node: when the record cannot be written the answer is a 503 and nothing was filed anywhere. A refusal of
     * the holding node (400, 404, 409) removes the record again and appends {@code bezwaar.refused}; when the holding
     * node does not answer (503) the record stays, since the objection may have arrived: a retry then gets the 409
     * naming it, and the person's list shows it once it is there.
     */
    ObjectionView.Filed file(Bsn person, ObjectionRequests.File request) {
        Objections.signalId(request.signalId());
        Objections.validReason(request.reason());
        String email = Objections.validEmail(request.email());
        List<String> tickets = ticketsByNode(relations.signalsFor(person)).getOrDefault(request.node(), List.of());
        if (tickets.isEmpty()) {
            throw InzageServing.notFound(); // the person may see no signal at that node: the same as an unknown one
        }
        UUID id = UUID.randomUUID();
        remember(person, request.node(), id);
        try {
            return request.node().equals(node.nodeId())
                    ? objections.file(node.nodeId(), tickets, request.signalId(), request.reason(), email, id.toString())
                    : fileAt(request, tickets, email, id);
        } catch (ProblemException e) {
            if (e.problem().status() != 503) {
                forget(request.node(), id, e.problem().status());
            }
            throw e;
        }
    }

    private ObjectionView.Filed fileAt(ObjectionRequests.File request, List<String> tickets, String email, UUID id) {
        HttpClient peer = inzage.peer(request.node()).orElseThrow(() -> unavailable(request.node()));
        try {
            return peer.toBlocking().retrieve(HttpRequest.POST("/federation/v1/objections",
                            new ObjectionRequests.FederationFile(tickets, request.signalId(), request.reason(), email,
                                    id.toString()))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(request.node())), ObjectionView.Filed.class);
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            if (status == 400 || status == 404 || status == 409) {
                throw relayed(status, problem(e));
            }
            LOG.warn("objection: node {} answered {}", request.node(), status);
            throw unavailable(request.node());
        } catch (HttpClientException e) {
            LOG.info("objection: node {} did not answer", request.node());
            throw unavailable(request.node());
        }
    }

    ObjectionView.Page list(Bsn person) {
        List<ObjectionView> items = new ArrayList<>();
        Set<String> unavailable = new TreeSet<>();
        Map<String, List<String>> tickets = ticketsByNode(relations.signalsFor(person));
        Map<String, List<String>> filed = filedBy(person);
        Set<String> holders = new java.util.LinkedHashSet<>(tickets.keySet());
        holders.addAll(filed.keySet());
        for (String holder : holders) {
            List<String> own = filed.getOrDefault(holder, List.of());
            if (holder.equals(node.nodeId())) {
                items.addAll(objections.forPerson(holder, tickets.getOrDefault(holder, List.of()), own));
                continue;
            }
            Optional<HttpClient> peer = inzage.peer(holder);
            if (peer.isEmpty()) {
                unavailable.add(holder);
                continue;
            }
            try {
                List<ObjectionView> answer = peer.get().toBlocking().retrieve(
                        HttpRequest.POST("/federation/v1/objections/list", new ObjectionRequests.FederationList(
                                        tickets.getOrDefault(holder, List.of()), own))
                                .contentType(MediaType.APPLICATION_JSON_TYPE)
                                .bearerAuth(tokens.forCall(holder)), Argument.listOf(ObjectionView.class));
                items.addAll(answer);
            } catch (HttpClientResponseException ex) {
                LOG.warn("objections: node {} answered {}", holder, ex.getStatus().getCode());
                unavailable.add(holder);
            } catch (HttpClientException ex) {
                LOG.info("objections: node {} did not answer", holder);
                unavailable.add(holder);
            }
        }
        items.sort(Comparator.comparing(ObjectionView::filedOn).reversed().thenComparing(ObjectionView::node)
                .thenComparing(ObjectionView::id));
        return new ObjectionView.Page(items, List.copyOf(unavailable));
    }

    /**
     * Remembers at this node that the person files objection {@code id} at {@code holder}, by a keyed blind index of
     * their BSN, so that they still see its outcome after an upheld objection erased the signal.
     *
     * @throws ProblemException 503 when it cannot be written (nothing was sent yet)
     */
    private void remember(Bsn person, String holder, UUID id) {
        try {
            transactions.executeWrite(status -> {
                Connection c = status.getConnection();
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO objection_filed (objection_id, node, person_index, filed_at) VALUES (?, ?, ?, ?)")) {
                    insert.setObject(1, id);
                    insert.setString(2, holder);
                    insert.setBytes(3, keys.blindIndex().of(person));
                    insert.setTimestamp(4, Timestamp.from(clock.instant()));
                    insert.executeUpdate();
                }
                audit.record(c, AuditEvent.of("bezwaar.sent", "citizen:signed-in", "node:" + holder)
                        .with("objection", audit.objection(id)));
                return null;
            });
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) { // also a SQLException, which the transaction rethrows as it is
            LOG.warn("objection: could not record it before sending: {}", e.getClass().getSimpleName());
            throw Problems.unavailable("the objection cannot be recorded now and was not filed; try again later");
        }
    }

    /** The holding node refused the objection: nothing was filed, so this node's record of it goes. */
    private void forget(String holder, UUID id, int status) {
        try {
            transactions.executeWrite(s -> {
                Connection c = s.getConnection();
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM objection_filed WHERE objection_id = ? AND node = ?")) {
                    delete.setObject(1, id);
                    delete.setString(2, holder);
                    delete.executeUpdate();
                }
                audit.record(c, AuditEvent.of("bezwaar.refused", "citizen:signed-in", "node:" + holder)
                        .with("objection", audit.objection(id)).with("status", status));
                return null;
            });
        } catch (Exception e) { // also a SQLException, which the transaction rethrows as it is
            // The record stays; the holding node answers nothing for an id it does not hold, so it shows nothing.
            LOG.warn("objection: could not remove the record of a refused objection: {}", e.getClass().getSimpleName());
        }
    }

    /** The objections the person filed through this node, by holding node (their BSN's index under every epoch). */
    private Map<String, List<String>> filedBy(Bsn person) {
        List<byte[]> indexes = keys.blindIndex().candidates(person);
        return transactions.executeRead(status -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            String placeholders = String.join(", ", java.util.Collections.nCopies(indexes.size(), "?"));
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT node, objection_id FROM objection_filed WHERE person_index IN (" + placeholders + ")"
                            + " ORDER BY filed_at LIMIT 200")) {
                for (int i = 0; i < indexes.size(); i++) {
                    select.setBytes(i + 1, indexes.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(rs.getObject(2, UUID.class).toString());
                    }
                }
            }
            return out;
        });
    }

    /** The problem+json body of a refusal (the client does not decode that media type by itself). */
    private Optional<Problem> problem(HttpClientResponseException e) {
        try {
            Optional<byte[]> body = e.getResponse().getBody(byte[].class);
            return body.isEmpty() ? Optional.empty() : Optional.of(json.readValue(body.get(), Problem.class));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The holding node's refusal, told the person as it was given (its field, the open objection's id). */
    private static ProblemException relayed(int status, Optional<Problem> problem) {
        if (status == 404 || problem.isEmpty()) {
            return status == 404 ? InzageServing.notFound() : Problems.unavailable("the region answered " + status);
        }
        Problem p = problem.get();
        Problem.Violation first = p.violations() == null || p.violations().isEmpty()
                ? new Problem.Violation("signalId", String.valueOf(p.detail())) : p.violations().get(0);
        if (status == 409) {
            return Problems.duplicate("objection-exists", "Objection already open", first.field(),
                    String.valueOf(p.detail()), p.existingId());
        }
        return Problems.invalidField(first.field(), first.message());
    }

    private static Map<String, List<String>> ticketsByNode(List<CitizenInzage.Found> found) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (CitizenInzage.Found f : found) {
            out.computeIfAbsent(f.node(), k -> new ArrayList<>()).add(f.ticket());
        }
        return out;
    }

    private static ProblemException unavailable(String region) {
        return Problems.unavailable("the region " + region + " cannot be reached now; try again later");
    }
}
