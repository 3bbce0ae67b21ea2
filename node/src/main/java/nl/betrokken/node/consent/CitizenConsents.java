package nl.betrokken.node.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.inzage.CitizenInzage;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consent requests and consents of a person signed in at this node, at every node holding a signal the person
 * may see (as an inzage finds them: {@link CitizenInzage#lookUp}, one inzage ticket per signal). Each holding node is
 * asked about the parts it holds on that signal ({@code POST /federation/v1/consent/person}, {@code /answer},
 * {@code /withdraw}, node token and the inzage tickets for that node); this node's own through {@link ConsentParts}
 * directly. The relation gives the role: SELF the youth, PARENT a parent; the age rules of inzage apply. Used by the
 * citizen API and by the portal pages.
 */
@Singleton
public class CitizenConsents {

    private static final Logger LOG = LoggerFactory.getLogger(CitizenConsents.class);

    /** One consent part the person answers (or answered) for. */
    @Serdeable
    public record Item(String node, String id, String matchType, String role /*PARENT|YOUTH: the person's role*/,
                       String youthName, String purpose, String askingOrganisation, String askingProfessional,
                       @Nullable String counterpartOrganisation, String status, List<String> needs, List<String> granted,
                       @Nullable String myAnswer /*GRANTED|REFUSED|null*/, @Nullable LocalDate validUntil,
                       boolean canAnswer, boolean canWithdraw, Instant askedAt) {
        @Override
        public String toString() {
            return "Item[" + node + ", " + id + ", " + status + "]";
        }
    }

    /** The items, and the nodes that could not be asked now. */
    @Serdeable
    public record Page(List<Item> items, List<String> unavailable) {
    }

    @Serdeable
    record Tickets(List<String> tickets) {
    }

    @Serdeable
    record AnswerBody(List<String> tickets, String consentId, String answer, @Nullable LocalDate validUntil) {
    }

    @Serdeable
    record WithdrawBody(List<String> tickets, String consentId) {
    }

    private final CitizenInzage inzage;
    private final ConsentParts parts;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final JsonMapper json;

    CitizenConsents(CitizenInzage inzage, ConsentParts parts, NodeTokens tokens, NodeConfiguration node,
                    JsonMapper json) {
        this.inzage = inzage;
        this.parts = parts;
        this.tokens = tokens;
        this.node = node;
        this.json = json;
    }

    /** What the person may answer: PENDING, their role still needed and unanswered. */
    public Page requests(Bsn person) {
        Page all = consents(person);
        return new Page(all.items().stream().filter(Item::canAnswer).toList(), all.unavailable());
    }

    /** Every consent where the person is or was a needed role, any status; newest first. */
    public Page consents(Bsn person) {
        List<Item> items = new ArrayList<>();
        Set<String> unavailable = new TreeSet<>();
        for (Map.Entry<String, List<String>> e : ticketsByNode(person).entrySet()) {
            String holder = e.getKey();
            if (holder.equals(node.nodeId())) {
                try {
                    items.addAll(parts.forPerson(holder, e.getValue()));
                } catch (ProblemException refused) {
                    LOG.warn("consents: this node could not list its own ({})", refused.problem().status());
                    unavailable.add(holder);
                }
                continue;
            }
            Optional<HttpClient> peer = inzage.peer(holder);
            if (peer.isEmpty()) {
                unavailable.add(holder);
                continue;
            }
            try {
                items.addAll(peer.get().toBlocking().retrieve(HttpRequest.POST("/federation/v1/consent/person",
                                new Tickets(e.getValue())).contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(holder)), Argument.listOf(Item.class)));
            } catch (HttpClientResponseException ex) {
                LOG.warn("consents: node {} answered {}", holder, ex.getStatus().getCode());
                unavailable.add(holder);
            } catch (HttpClientException ex) {
                LOG.info("consents: node {} did not answer", holder);
                unavailable.add(holder);
            }
        }
        items.sort(Comparator.comparing(Item::askedAt).reversed().thenComparing(Item::node).thenComparing(Item::id)
                .thenComparing(Item::role));
        return new Page(items, List.copyOf(unavailable));
    }

    /** Grants for the person's role: 404 when nothing of theirs, 409 when not pending. */
    public void grant(Bsn person, UUID id, @Nullable LocalDate validUntil) {
        answer(person, id, ConsentRules.GRANTED, validUntil);
    }

    /** Refuses for the person's role: 404 when nothing of theirs, 409 when not pending. */
    public void refuse(Bsn person, UUID id) {
        answer(person, id, ConsentRules.REFUSED, null);
    }

    /** Withdraws: 404 when nothing of theirs, 409 when not granted or pending. */
    public void withdraw(Bsn person, UUID id) {
        each(person, (holder, tickets) -> {
            if (holder.equals(node.nodeId())) {
                parts.withdraw(holder, tickets, id);
            } else {
                post(holder, "/federation/v1/consent/withdraw", new WithdrawBody(tickets, id.toString()));
            }
        }, id);
    }

    private void answer(Bsn person, UUID id, String answer, @Nullable LocalDate validUntil) {
        each(person, (holder, tickets) -> {
            if (holder.equals(node.nodeId())) {
                parts.answer(holder, tickets, id, answer, validUntil);
            } else {
                post(holder, "/federation/v1/consent/answer", new AnswerBody(tickets, id.toString(), answer,
                        validUntil));
            }
        }, id);
    }

    private interface AtNode {
        void run(String holder, List<String> tickets);
    }

    /**
     * Runs {@code action} at every node holding a signal of the person (this node first): a node that does not
     * answer makes it a 503 (what the others recorded stays; asked again, they answer 409 and the rest is done);
     * else done when at least one did it; else the first refusal other than 404, else 404.
     */
    private void each(Bsn person, AtNode action, UUID id) {
        Map<String, List<String>> byNode = ticketsByNode(person);
        List<String> order = new ArrayList<>(byNode.keySet());
        order.sort(Comparator.comparing((String n) -> !n.equals(node.nodeId())).thenComparing(n -> n));
        int done = 0;
        ProblemException first = null;
        ProblemException unavailable = null;
        for (String holder : order) {
            try {
                action.run(holder, byNode.get(holder));
                done++;
            } catch (ProblemException e) {
                if (e.problem().status() == 503) {
                    unavailable = unavailable == null ? e : unavailable;
                } else if (e.problem().status() != 404 && first == null) {
                    first = e;
                }
            }
        }
        if (unavailable != null) {
            throw unavailable;
        }
        if (done == 0) {
            throw first != null ? first : ConsentParts.notFound(id);
        }
    }

    private void post(String holder, String path, Object body) {
        HttpClient peer = inzage.peer(holder).orElseThrow(() -> unavailable(holder));
        try {
            peer.toBlocking().exchange(HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(holder)));
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            if (status == 400 || status == 403 || status == 404 || status == 409) {
                throw relayed(status, problem(e));
            }
            LOG.warn("consent: node {} answered {}", holder, status);
            throw unavailable(holder);
        } catch (HttpClientException e) {
            LOG.info("consent: node {} did not answer", holder);
            throw unavailable(holder);
        }
    }

    private Map<String, List<String>> ticketsByNode(Bsn person) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (CitizenInzage.Found f : inzage.lookUp(person)) {
            out.computeIfAbsent(f.node(), k -> new ArrayList<>()).add(f.ticket());
        }
        return out;
    }

    private Optional<Problem> problem(HttpClientResponseException e) {
        try {
            Optional<byte[]> body = e.getResponse().getBody(byte[].class);
            return body.isEmpty() ? Optional.empty() : Optional.of(json.readValue(body.get(), Problem.class));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The holding node's refusal, told the person as it was given (its type and field). */
    private static ProblemException relayed(int status, Optional<Problem> problem) {
        if (status == 404 || status == 403 || problem.isEmpty()) {
            return status == 400 || status == 409
                    ? Problems.conflict("consent-refused-by-region", "Refused", "id", "the region refused (" + status + ")")
                    : Problems.notFound("consent-not-found", "Consent request not found",
                    "there is no such consent request for you");
        }
        Problem p = problem.get();
        Problem.Violation first = p.violations() == null || p.violations().isEmpty()
                ? new Problem.Violation("id", String.valueOf(p.detail())) : p.violations().get(0);
        if (status == 409) {
            String slug = p.type() == null ? "conflict" : p.type().substring(p.type().lastIndexOf('/') + 1);
            return Problems.conflict(slug, p.title(), first.field(), String.valueOf(p.detail()));
        }
        return Problems.invalidField(first.field(), first.message());
    }

    private static ProblemException unavailable(String region) {
        return Problems.unavailable("the region " + region + " cannot be reached now; nothing was recorded; try again"
                + " later");
    }
}
