package nl.betrokken.node.inzage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.inject.Singleton;
import nl.betrokken.audit.AccessLogFile;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.AccessProofs;

/**
 * A person's access log as one file to download and check offline ({@link AccessLogFile},
 * {@code java -jar audit.jar verify-inzage FILE}): the same look-up and fetches as the inzage
 * ({@link CitizenInzage}, one single-use ticket per signal), each holding node asked for its proofs in that same call.
 * Per holding node: its log's name and key, the coordinator's witness key, the countersigned checkpoints; per signal
 * its entries, each with its exact leaf, index and inclusion proof, or marked not yet covered.
 *
 * <p>A node whose answer carries no proofs is named in {@code unavailable} with the nodes that did not answer: the
 * file holds only what it can prove or says it cannot.
 */
@Singleton
public class CitizenAccessLog {

    private final CitizenInzage inzage;
    private final NodeConfiguration node;
    private final Clock clock;

    CitizenAccessLog(CitizenInzage inzage, NodeConfiguration node, Clock clock) {
        this.inzage = inzage;
        this.node = node;
        this.clock = clock;
    }

    /**
     * The file for {@code person}.
     *
     * @throws nl.betrokken.problem.ProblemException 503 when the coordinator does not answer the look-up
     */
    public AccessLogFile file(Bsn person) {
        InzageItem.Page page = inzage.signalsWithProofs(person);
        Set<String> unavailable = new TreeSet<>(page.unavailable());
        Map<String, List<InzageItem>> byNode = new TreeMap<>();
        for (InzageItem item : page.items()) {
            if (item.accessLog() == null || item.accessLog().witnessKey() == null) {
                unavailable.add(item.node());
            } else {
                byNode.computeIfAbsent(item.node(), k -> new ArrayList<>()).add(item);
            }
        }
        unavailable.forEach(byNode::remove);
        List<AccessLogFile.NodeLog> logs = new ArrayList<>();
        byNode.forEach((nodeId, items) -> {
            AccessProofs.Header first = items.get(0).accessLog();
            Map<Long, String> checkpoints = new TreeMap<>();
            List<AccessLogFile.Signal> signals = new ArrayList<>();
            items.sort(Comparator.comparing(InzageItem::registeredOn).thenComparing(InzageItem::id));
            for (InzageItem item : items) {
                item.accessLog().checkpoints().forEach(cp -> checkpoints.put(size(cp), cp));
                List<AccessLogFile.Entry> entries = new ArrayList<>();
                for (InzageItem.Access a : item.accesses()) {
                    entries.add(new AccessLogFile.Entry(a.index(), a.at().toString(), a.role(), a.organisation(),
                            a.node(), a.action(), a.purpose(), a.professional(), a.counterpart(), a.counterpartNode(),
                            a.proof()));
                }
                signals.add(new AccessLogFile.Signal(item.id(), item.accessLog().reference(), item.relation(),
                        item.organisation(), item.registeredOn().toString(), entries));
            }
            logs.add(new AccessLogFile.NodeLog(nodeId, first.origin(), first.logKey(), first.witnessKey(),
                    List.copyOf(checkpoints.values()), signals));
        });
        return new AccessLogFile(AccessLogFile.FORMAT, clock.instant().toString(), node.nodeId(),
                List.copyOf(unavailable), logs);
    }

    /** The file as JSON text. */
    public String json(Bsn person) {
        try {
            return file(person).toJson();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(String note) {
        return Long.parseLong(note.split("\n", 3)[1]);
    }
}
