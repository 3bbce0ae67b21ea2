package nl.betrokken.node.objection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.inzage.CitizenInzage;
import nl.betrokken.node.inzage.InzageServing;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objections of a person signed in at this node: the coordinator's look-up as for an inzage
 * ({@link CitizenInzage#lookUp}), then the holding node is handed the inzage tickets it issued for that node
 * ({@code POST /federation/v1/objections}, {@code /federation/v1/objections/list}; this node's own through
 * {@link Objections} directly). The holding node's refusals (400, 404, 409) reach the person as they were given.
 */
@Singleton
class CitizenObjections {

    private static final Logger LOG = LoggerFactory.getLogger(CitizenObjections.class);

    private final CitizenInzage inzage;
    private final Objections objections;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final io.micronaut.json.JsonMapper json;

    CitizenObjections(CitizenInzage inzage, Objections objections, NodeTokens tokens, NodeConfiguration node,
                      io.micronaut.json.JsonMapper json) {
        this.json = json;
        this.inzage = inzage;
        this.objections = objections;
        this.tokens = tokens;
        this.node = node;
    }

    ObjectionView.Filed file(Bsn person, ObjectionRequests.File request) {
        Objections.signalId(request.signalId());
        Objections.validReason(request.reason());
        List<String> tickets = ticketsByNode(inzage.lookUp(person)).getOrDefault(request.node(), List.of());
        if (tickets.isEmpty()) {
            throw InzageServing.notFound(); // the person may see no signal at that node: the same as an unknown one
        }
        if (request.node().equals(node.nodeId())) {
            return objections.file(node.nodeId(), tickets, request.signalId(), request.reason());
        }
        HttpClient peer = inzage.peer(request.node()).orElseThrow(() -> unavailable(request.node()));
        try {
            return peer.toBlocking().retrieve(HttpRequest.POST("/federation/v1/objections",
                            new ObjectionRequests.FederationFile(tickets, request.signalId(), request.reason()))
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
        for (Map.Entry<String, List<String>> e : ticketsByNode(inzage.lookUp(person)).entrySet()) {
            String holder = e.getKey();
            if (holder.equals(node.nodeId())) {
                items.addAll(objections.forPerson(holder, e.getValue()));
                continue;
            }
            Optional<HttpClient> peer = inzage.peer(holder);
            if (peer.isEmpty()) {
                unavailable.add(holder);
                continue;
            }
            try {
                List<ObjectionView> answer = peer.get().toBlocking().retrieve(
                        HttpRequest.POST("/federation/v1/objections/list", new ObjectionRequests.FederationList(e.getValue()))
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
