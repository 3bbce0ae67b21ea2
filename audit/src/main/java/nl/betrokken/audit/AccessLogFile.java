package nl.betrokken.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a parent or youth downloads from the portal ({@code GET /api/v1/citizen/access-log}): for every signal of their
 * inzage, the entries of the holding node's audit log about it, each with the exact leaf as logged and an RFC 9162
 * inclusion proof against a checkpoint of that log countersigned by the coordinator, and the keys to check them;
 * {@link AccessLogVerifier} ({@code java -jar audit.jar verify-inzage FILE}) checks it offline.
 *
 * <p>It holds no BSN and no youth's name: signals are named by their id at the holding node and their organisation.
 * The leaves are the log's entries as an auditor reads them, so they name members of staff by their account name at
 * the node (docs/audit.md, "Who and what entries name").
 *
 * @param format      {@value #FORMAT}
 * @param createdAt   when the file was made (UTC)
 * @param node        the node where the person signed in and downloaded it
 * @param unavailable the nodes that did not answer: their signals are missing from this file
 * @param logs        one per holding node that answered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessLogFile(String format, String createdAt, String node, List<String> unavailable, List<NodeLog> logs) {

    public static final String FORMAT = "betrokken-access-log/v1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The signals of one holding node, with what it takes to check their entries.
     *
     * @param origin      the log's name, {@code betrokken/node/<node id>}, the first line of each checkpoint
     * @param logKey      the node's log verifier key (c2sp.org/signed-note), the one the coordinator pinned
     * @param witnessKey  the coordinator's cosignature verifier key, as the coordinator publishes it
     * @param checkpoints the countersigned checkpoints (signed notes) the proofs lead to, smallest first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeLog(String node, String origin, String logKey, String witnessKey, List<String> checkpoints,
                          List<Signal> signals) {
    }

    /**
     * One signal and the log's entries about it, oldest first.
     *
     * @param reference the signal's keyed reference in the log ({@code signal:<32 hex>}): every entry names it as its
     *                  subject or as its {@code signal} detail
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Signal(String id, String reference, String relation, String organisation, String registeredOn,
                         List<Entry> entries) {
    }

    /**
     * One entry as the portal shows it (what was done, when, by which role of which organisation, why) and its proof.
     * {@code at}, {@code action} and {@code role} are checked against the leaf; the organisation names and the
     * purpose are the node's reading of it.
     *
     * @param role         the actor's role: the part of the log's actor before the colon ({@code prof}, {@code node}, …)
     * @param node         for an actor that is another node, that node
     * @param professional the registering professional's name, on the registration only
     * @param counterpart  for an entry about a match, the organisation on the other side, as its node gave it
     * @param counterpartNode for an entry about a match, the node of the other side
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long index, String at, String role, String organisation, String node, String action,
                        String purpose, String professional, String counterpart, String counterpartNode, Proof proof) {
    }

    /**
     * That the entry stands in the log.
     *
     * @param leaf     the exact leaf as logged (UTF-8 JSON; for an entry that was held back, its sealed form)
     * @param leafHash RFC 9162 leaf hash of {@code leaf}, base64
     * @param covered  false when no countersigned checkpoint covered the entry yet: then no tree size and no hashes
     * @param treeSize the size of the countersigned checkpoint the hashes lead to
     * @param hashes   the RFC 9162 section 2.1.3 inclusion proof, base64, lowest sibling first
     * @param released for an entry held back (Veilig Thuis) and released: what opens it, and that it was there all along
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Proof(String leaf, String leafHash, boolean covered, Long treeSize, List<String> hashes,
                        Released released) {
    }

    /**
     * A held-back entry opened by the gemeente's release.
     *
     * @param open       the entry's open form, which its commitment (in the sealed leaf) commits to
     * @param salt       the salt that opens the commitment, base64
     * @param treeSize   the size of a checkpoint countersigned while the entry was still sealed (before the release
     *                   entry), or null when the node holds none
     * @param hashes     the inclusion proof of the sealed leaf against that checkpoint
     * @param releasedBy the index of the {@code audit.released} entry, which is among the signal's entries (null, and
     *                   no tree size, when the node did not find it)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Released(String open, String salt, Long treeSize, List<String> hashes, Long releasedBy) {
    }

    public String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }

    public static AccessLogFile read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), AccessLogFile.class);
    }

    public static AccessLogFile parse(String json) throws IOException {
        return JSON.readValue(json, AccessLogFile.class);
    }

    /** The coordinator's published keys ({@code /.well-known/betrokken-audit-keys.json}), for {@code --keys}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PublishedKeys(String logKey, String witnessKey, java.util.Map<String, String> nodeLogKeys) {

        public static PublishedKeys read(Path file) throws IOException {
            return JSON.readValue(file.toFile(), PublishedKeys.class);
        }
    }

    /** Writes any of these records (or the whole file) as indented JSON. */
    static ObjectMapper json() {
        return JSON;
    }

    /** Writes the file. */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }
}
