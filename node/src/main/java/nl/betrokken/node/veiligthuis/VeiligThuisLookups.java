package nl.betrokken.node.veiligthuis;

import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.inzage.CitizenInzage;
import nl.betrokken.node.inzage.CoordinatorLookUp;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.Problems;

/**
 * A Veilig Thuis worker's look-up of a youth, at the node where the worker signed in: one service for
 * {@code POST /api/v1/veilig-thuis/lookups} and the werkplek's {@code /werkplek/veilig-thuis}.
 * <ol>
 *   <li>The BSN (11-proef) and the reason (10 to 500 characters) are checked: 400 naming {@code bsn} (checked
 *       first) or {@code reason}.</li>
 *   <li>The coordinator is asked, with the youth's pseudonyms only and a node token whose claim {@code role} is
 *       {@value #ROLE}, for the signals about that youth ({@code POST /internal/v1/inzage/veilig-thuis}): one ticket of
 *       relation VEILIG_THUIS per signal, active or archived. It never learns the reason. No answer: 503.</li>
 *   <li>Each holding node is asked node to node ({@code POST /federation/v1/veilig-thuis}, this node's own directly)
 *       with the ticket, the look-up's id, the worker's username and the reason; it serves and logs
 *       ({@link VeiligThuisServing}). A 404 leaves the signal out (erased in between); any other failure names the
 *       node in {@code unavailable}, as the inzage does.</li>
 *   <li>This node stores the look-up with its reason sealed ({@link VeiligThuisLookupRow#ASKED}) and logs
 *       {@code veiligthuis.lookup-asked} by {@code veiligthuis:<username>} with the counts and the reason's keyed reference.</li>
 * </ol>
 */
@Singleton
public class VeiligThuisLookups {

    /** The role claim by which this node vouches for a Veilig Thuis worker at the coordinator. */
    static final String ROLE = "veilig-thuis";
    static final String PATH = "/internal/v1/inzage/veilig-thuis";

    private final CoordinatorLookUp coordinator;
    private final CitizenInzage inzage;
    private final VeiligThuisServing serving;
    private final NodeTokens tokens;
    private final NodeKeys keys;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final VeiligThuisLookupRepository rows;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    VeiligThuisLookups(CoordinatorLookUp coordinator, CitizenInzage inzage, VeiligThuisServing serving,
                       NodeTokens tokens, NodeKeys keys, NodeAudit audit, NodeConfiguration node,
                       VeiligThuisLookupRepository rows, TransactionOperations<Connection> transactions, Clock clock) {
        this.coordinator = coordinator;
        this.inzage = inzage;
        this.serving = serving;
        this.tokens = tokens;
        this.keys = keys;
        this.audit = audit;
        this.node = node;
        this.rows = rows;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The body of {@code POST /federation/v1/veilig-thuis}. The reason is personal data: never printed. */
    @Serdeable
    record Fetch(String ticket, UUID lookup, String worker, String reason) {
        @Override
        public String toString() {
            return "Fetch[" + lookup + "]";
        }
    }

    /**
     * What is wrong with a look-up's BSN ({@code bsn}) and reason ({@code reason}), by field; empty when both are
     * fine. The page shows the same rules at its fields.
     */
    public static List<Problem.Violation> violations(@Nullable String bsn, @Nullable String reason) {
        List<Problem.Violation> out = new ArrayList<>();
        String digits = bsn == null ? "" : bsn.strip();
        if (digits.isEmpty()) {
            out.add(new Problem.Violation("bsn", "is required: the youth's BSN"));
        } else if (!Bsn.isValid(digits)) {
            out.add(new Problem.Violation("bsn", "is not a BSN: 9 digits that pass the 11-proef"));
        }
        Problem.Violation wrongReason = VeiligThuisServing.reasonViolation(reason);
        if (wrongReason != null) {
            out.add(wrongReason);
        }
        return out;
    }

    /**
     * The look-up of the youth {@code bsn} by the Veilig Thuis worker {@code username}, with {@code reason}.
     *
     * @throws nl.betrokken.problem.ProblemException 400 naming {@code bsn}, else {@code reason}; 503 when the coordinator does not answer
     */
    public VeiligThuisItem.Page lookUp(String username, @Nullable String bsn, @Nullable String reason) {
        List<Problem.Violation> wrong = violations(bsn, reason);
        if (!wrong.isEmpty()) {
            throw Problems.invalidField(wrong.get(0).field(), wrong.get(0).message()); // bsn first, then reason
        }
        String why = reason.strip();
        List<CitizenInzage.Found> found = coordinator.signals(PATH, tokens.forUserOfRole(ROLE),
                Bsn.parse(bsn.strip()));
        UUID lookupId = UUID.randomUUID();
        Set<String> unavailable = new TreeSet<>();
        List<VeiligThuisItem> items = new ArrayList<>(CitizenInzage.fetchEach("veilig thuis", found,
                f -> fetch(f, lookupId, username, why), unavailable));
        String reference = audit.lookup(lookupId, null);
        transactions.executeWrite(status -> {
            UUID rowId = UUID.randomUUID();
            rows.save(new VeiligThuisLookupRow(rowId, lookupId, VeiligThuisLookupRow.ASKED, node.nodeId(), username,
                    null, items.size(), unavailable.size(), clock.instant(), VeiligThuisServing.seal(keys, rowId, why)));
            audit.record(status.getConnection(), AuditEvent.of("veiligthuis.lookup-asked",
                            NodeAudit.actor("veiligthuis", username), reference)
                    .with("signals", items.size()).with("unavailable", unavailable.size())
                    .with("reasonRef", VeiligThuisServing.reasonReference(keys, lookupId, why)));
            return null;
        });
        // By region, then newest first: the same page for the same facts, whatever order the answers came in.
        items.sort(Comparator.comparing(VeiligThuisItem::node)
                .thenComparing(Comparator.comparing(VeiligThuisItem::registeredOn).reversed())
                .thenComparing(VeiligThuisItem::id));
        return new VeiligThuisItem.Page(lookupId, items, List.copyOf(unavailable));
    }

    private VeiligThuisItem fetch(CitizenInzage.Found f, UUID lookupId, String username, String reason) {
        if (f.node().equals(node.nodeId())) {
            return serving.serve(node.nodeId(), f.ticket(), lookupId, username, reason);
        }
        HttpClient peer = inzage.peer(f.node()).orElseThrow(CitizenInzage.Unreachable::new);
        return peer.toBlocking().retrieve(
                HttpRequest.POST("/federation/v1/veilig-thuis", new Fetch(f.ticket(), lookupId, username, reason))
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(tokens.forCall(f.node())), VeiligThuisItem.class);
    }
}
