package nl.betrokken.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import nl.betrokken.crypto.log.CosignatureV1Verifier;
import nl.betrokken.crypto.log.LogHasher;
import nl.betrokken.crypto.log.NoteException;
import nl.betrokken.crypto.log.NoteVerifier;
import nl.betrokken.crypto.log.ProofException;
import nl.betrokken.crypto.log.ProofVerifier;
import nl.betrokken.crypto.log.ReleaseException;
import nl.betrokken.crypto.log.RootMismatchException;
import nl.betrokken.crypto.log.SealedEntry;
import nl.betrokken.crypto.log.VerifiedCheckpoint;

/**
 * Checks a person's {@link AccessLogFile} offline, trusting nothing but the keys (the ones in the file, or, better,
 * the coordinator's published ones passed as {@link AccessLogFile.PublishedKeys}):
 * <ol>
 *   <li>with published keys: the coordinator's witness key in every log is the published one, and every node's log
 *       key is the one the coordinator publishes for that node (the key it pinned at the node's first checkpoint);</li>
 *   <li>every checkpoint is a checkpoint of the node's log ({@code betrokken/node/<node>}) signed by its log key and
 *       countersigned by the coordinator's witness key;</li>
 *   <li>every entry: its leaf hashes to its leaf hash, names its own index and the signal's reference, and says what
 *       the portal shows of it (time, action, role); a covered entry's inclusion proof leads to the root of the
 *       countersigned checkpoint of its tree size;</li>
 *   <li>an entry that was held back and released: its open form opens the commitment in its sealed leaf with the salt
 *       given, and a second inclusion proof puts the sealed leaf in a checkpoint that did not yet hold the release
 *       (tree size at most the release entry's index) and was countersigned no later than the release.</li>
 * </ol>
 * What it cannot check: that the node listed every entry about the signal, and which signal a reference stands for
 * (the log names signals by a keyed reference that only the node can compute). The first failure ends the check and
 * is named, e.g. {@code noord, signal 3f2a…, entry 17}.
 */
public final class AccessLogVerifier {

    private static final LogHasher HASHER = LogHasher.rfc6962();

    private AccessLogVerifier() {
    }

    /** What a file that verifies holds. */
    public record Report(int logs, int signals, int entries, int covered, int notCovered, int releasedProven,
                         int releasedNotProven, List<String> checkpoints) {
    }

    /**
     * @param published the coordinator's published keys, or null to trust the keys in the file
     * @throws AuditVerificationException naming the first thing that fails
     */
    public static Report verify(AccessLogFile file, AccessLogFile.PublishedKeys published)
            throws AuditVerificationException {
        if (!AccessLogFile.FORMAT.equals(file.format())) {
            throw new AuditVerificationException("file", "is not a " + AccessLogFile.FORMAT + " file (format "
                    + file.format() + ")");
        }
        int signals = 0;
        int entries = 0;
        int covered = 0;
        int notCovered = 0;
        int releasedProven = 0;
        int releasedNotProven = 0;
        List<String> summary = new ArrayList<>();
        for (AccessLogFile.NodeLog log : list(file.logs())) {
            String node = log.node();
            NoteVerifier logKey = key(node + ", log key", () -> NoteVerifier.parse(log.logKey()));
            CosignatureV1Verifier witness = key(node + ", witness key", () -> CosignatureV1Verifier.parse(log.witnessKey()));
            if (!("betrokken/node/" + node).equals(log.origin())) {
                throw new AuditVerificationException(node, "its log is named " + log.origin() + ", not betrokken/node/" + node);
            }
            if (published != null) {
                if (!log.witnessKey().equals(published.witnessKey())) {
                    throw new AuditVerificationException(node + ", witness key", "is not the coordinator's published"
                            + " witness key: the countersignatures in this file are not the coordinator's");
                }
                String pinned = published.nodeLogKeys() == null ? null : published.nodeLogKeys().get(node);
                if (pinned == null) {
                    throw new AuditVerificationException(node + ", log key", "the published keys name no log key for"
                            + " node " + node);
                }
                if (!log.logKey().equals(pinned)) {
                    throw new AuditVerificationException(node + ", log key", "is not the key the coordinator"
                            + " publishes for node " + node + ": this log is not the node's log");
                }
            }
            // size -> [root, countersigned at]
            Map<Long, VerifiedCheckpoint> byTreeSize = new TreeMap<>();
            Map<Long, Instant> cosignedAt = new HashMap<>();
            for (String note : list(log.checkpoints())) {
                String where = node + ", checkpoint";
                VerifiedCheckpoint cp;
                try {
                    cp = VerifiedCheckpoint.open(note, log.origin(), logKey);
                } catch (NoteException e) {
                    throw new AuditVerificationException(where, "does not verify as a checkpoint of " + log.origin()
                            + " signed by the node's log key (" + e.getMessage() + ")");
                }
                long size = cp.checkpoint().size();
                where += " (size " + size + ")";
                try {
                    cosignedAt.put(size, cp.cosignedAt(witness));
                } catch (NoteException e) {
                    throw new AuditVerificationException(where, "is not countersigned by the coordinator's witness key"
                            + " (" + e.getMessage() + ")");
                }
                byTreeSize.put(size, cp);
                summary.add(node + " size " + size + " countersigned at " + cosignedAt.get(size));
            }
            for (AccessLogFile.Signal signal : list(log.signals())) {
                signals++;
                String signalWhere = node + ", signal " + signal.id();
                Map<Long, AccessLogFile.Entry> byIndex = new HashMap<>();
                list(signal.entries()).forEach(e -> byIndex.put(e.index(), e));
                for (AccessLogFile.Entry entry : list(signal.entries())) {
                    entries++;
                    String where = signalWhere + ", entry " + entry.index();
                    AccessLogFile.Proof proof = entry.proof();
                    if (proof == null || proof.leaf() == null || proof.leafHash() == null) {
                        throw new AuditVerificationException(where, "carries no leaf to check");
                    }
                    byte[] leaf = proof.leaf().getBytes(StandardCharsets.UTF_8);
                    byte[] leafHash = HASHER.hashLeaf(leaf);
                    if (!Arrays.equals(leafHash, b64(where, "leaf hash", proof.leafHash()))) {
                        throw new AuditVerificationException(where, "its leaf does not hash to its leaf hash: the entry"
                                + " was changed after it was logged");
                    }
                    JsonNode leafJson = json(where, "leaf", proof.leaf());
                    if (leafJson.path("index").asLong(-1) != entry.index()) {
                        throw new AuditVerificationException(where, "its leaf names index "
                                + leafJson.path("index").asText() + ": the entry stands elsewhere in the log");
                    }
                    if (!proof.covered()) {
                        notCovered++;
                    } else {
                        include(where, leafHash, entry.index(), proof.treeSize(), proof.hashes(), byTreeSize);
                        covered++;
                    }
                    JsonNode open = leafJson;
                    if (proof.released() != null) {
                        open = opened(where, leafJson, proof.released(), entry.index());
                    } else if (leafJson.has("sealed")) {
                        throw new AuditVerificationException(where, "is sealed and carries no release to open it");
                    }
                    shows(where, entry, open, signal.reference());
                    if (proof.released() != null) {
                        AccessLogFile.Released r = proof.released();
                        if (r.treeSize() == null || r.releasedBy() == null) {
                            releasedNotProven++;
                            continue;
                        }
                        String sealedWhere = where + " (while held back)";
                        include(sealedWhere, leafHash, entry.index(), r.treeSize(), r.hashes(), byTreeSize);
                        AccessLogFile.Entry release = byIndex.get(r.releasedBy());
                        if (release == null || release.proof() == null
                                || !"audit.released".equals(json(where, "release", release.proof().leaf()).path("kind").asText())) {
                            throw new AuditVerificationException(where, "its release (entry " + r.releasedBy()
                                    + ") is not among the signal's entries");
                        }
                        if (r.treeSize() > r.releasedBy()) {
                            throw new AuditVerificationException(sealedWhere, "the checkpoint of size " + r.treeSize()
                                    + " already holds its release (entry " + r.releasedBy() + "): it does not show the"
                                    + " entry while it was held back");
                        }
                        Instant releasedAt = Instant.parse(json(where, "release", release.proof().leaf()).path("at").asText());
                        Instant cosigned = cosignedAt.get(r.treeSize());
                        if (cosigned.isAfter(releasedAt)) {
                            throw new AuditVerificationException(sealedWhere, "the checkpoint of size " + r.treeSize()
                                    + " was countersigned at " + cosigned + ", after the release at " + releasedAt);
                        }
                        releasedProven++;
                    }
                }
            }
        }
        return new Report(list(file.logs()).size(), signals, entries, covered, notCovered, releasedProven,
                releasedNotProven, summary);
    }

    /** Opens a released entry: the sealed leaf's commitment against the open form and salt; returns the open form. */
    private static JsonNode opened(String where, JsonNode sealedLeaf, AccessLogFile.Released released, long index)
            throws AuditVerificationException {
        if (!sealedLeaf.has("sealed") || released.open() == null || released.salt() == null) {
            throw new AuditVerificationException(where, "is released without a sealed leaf, its open form and the salt"
                    + " that opens its commitment");
        }
        byte[] commitment;
        try {
            commitment = Base64.getUrlDecoder().decode(sealedLeaf.path("sealed").asText());
        } catch (IllegalArgumentException e) {
            throw new AuditVerificationException(where, "its sealed leaf holds no commitment");
        }
        try {
            SealedEntry.verifyRelease(commitment, released.open().getBytes(StandardCharsets.UTF_8),
                    b64(where, "salt", released.salt()));
        } catch (ReleaseException | IllegalArgumentException e) {
            throw new AuditVerificationException(where, "its released content does not open its commitment: it is not"
                    + " what was committed to when it was sealed");
        }
        JsonNode open = json(where, "open form", released.open());
        if (open.path("index").asLong(-1) != index || !open.path("at").asText().equals(sealedLeaf.path("at").asText())) {
            throw new AuditVerificationException(where, "its open form names another index or time than its sealed leaf");
        }
        return open;
    }

    /** The entry shows what its leaf says: time, action and role, about the signal's reference. */
    private static void shows(String where, AccessLogFile.Entry entry, JsonNode leaf, String reference)
            throws AuditVerificationException {
        String kind = leaf.path("kind").asText();
        String actor = leaf.path("actor").asText();
        String role = actor.contains(":") ? actor.substring(0, actor.indexOf(':')) : actor;
        if (!kind.equals(entry.action())) {
            throw new AuditVerificationException(where, "shows action " + entry.action() + " but its leaf says " + kind);
        }
        if (!role.equals(entry.role())) {
            throw new AuditVerificationException(where, "shows role " + entry.role() + " but its leaf says " + role);
        }
        String at = leaf.path("at").asText();
        try {
            if (entry.at() == null || !Instant.parse(at).equals(Instant.parse(entry.at()))) {
                throw new AuditVerificationException(where, "shows time " + entry.at() + " but its leaf says " + at);
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new AuditVerificationException(where, "has a time that is not a time");
        }
        if (reference != null && !reference.equals(leaf.path("subject").asText())
                && !reference.equals(leaf.path("details").path("signal").asText())) {
            throw new AuditVerificationException(where, "its leaf is not about " + reference);
        }
    }

    private static void include(String where, byte[] leafHash, long index, Long treeSize, List<String> hashes,
                                Map<Long, VerifiedCheckpoint> byTreeSize) throws AuditVerificationException {
        VerifiedCheckpoint cp = treeSize == null ? null : byTreeSize.get(treeSize);
        if (cp == null) {
            throw new AuditVerificationException(where, "its proof is against a tree of size " + treeSize
                    + ", but the file holds no countersigned checkpoint of that size");
        }
        List<byte[]> proof = new ArrayList<>();
        for (String h : list(hashes)) {
            proof.add(b64(where, "proof hash", h));
        }
        try {
            ProofVerifier.verifyInclusion(HASHER, index, treeSize, leafHash, proof, cp.checkpoint().rootHash());
        } catch (RootMismatchException e) {
            throw new AuditVerificationException(where, "its inclusion proof does not lead to the root of the"
                    + " checkpoint of size " + treeSize + ": the proof was changed, or the entry is not in that tree");
        } catch (ProofException e) {
            throw new AuditVerificationException(where, "its inclusion proof is malformed (" + e.getMessage() + ")");
        }
    }

    private static byte[] b64(String where, String what, String text) throws AuditVerificationException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AuditVerificationException(where, "its " + what + " is not base64");
        }
    }

    private static JsonNode json(String where, String what, String text) throws AuditVerificationException {
        try {
            JsonNode node = AccessLogFile.json().readTree(text);
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new AuditVerificationException(where, "its " + what + " is not a JSON object");
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    private interface KeyParser<T> {
        T parse();
    }

    private static <T> T key(String what, KeyParser<T> parser) throws AuditVerificationException {
        try {
            return parser.parse();
        } catch (RuntimeException e) {
            throw new AuditVerificationException(what, "is not a verifier key (" + e.getMessage() + ")");
        }
    }
}
