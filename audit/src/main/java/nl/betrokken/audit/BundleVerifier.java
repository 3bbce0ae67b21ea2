package nl.betrokken.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import nl.betrokken.crypto.log.CosignatureV1Verifier;
import nl.betrokken.crypto.log.LogHasher;
import nl.betrokken.crypto.log.MerkleFrontier;
import nl.betrokken.crypto.log.NoteException;
import nl.betrokken.crypto.log.NoteVerifier;
import nl.betrokken.crypto.log.ReleaseException;
import nl.betrokken.crypto.log.SealedEntry;
import nl.betrokken.crypto.log.VerifiedCheckpoint;

/**
 * Checks an {@link AuditBundle} offline, trusting nothing but the public keys in it (which the auditor compares with
 * the keys the node and coordinator publish):
 * <ol>
 *   <li>entries stand at their own index, with none missing, doubled or swapped;</li>
 *   <li>each entry hashes to the leaf hash recorded when it was appended, and a released sealed entry opens its
 *       commitment;</li>
 *   <li>each checkpoint is signed by the log (and, where the bundle names the coordinator's key, the countersigned
 *       ones by the coordinator), and its root is the root of the entries it covers; so an entry changed, removed,
 *       inserted or moved after a checkpoint was signed, or a log rewritten after the coordinator countersigned it,
 *       is found.</li>
 * </ol>
 * The first failure ends the check and is named: {@code entry 17} or {@code checkpoint 3 (size 120)}.
 */
public final class BundleVerifier {

    private static final LogHasher HASHER = LogHasher.rfc6962();

    private BundleVerifier() {
    }

    /** What a bundle that verifies holds. */
    public record Report(int entries, int checkpoints, int countersigned, long coveredEntries, Instant lastCountersignedAt) {
    }

    public static Report verify(AuditBundle bundle) throws AuditVerificationException {
        NoteVerifier logKey = key("log key", () -> NoteVerifier.parse(bundle.logKey()));
        CosignatureV1Verifier witness = bundle.witnessKey() == null ? null
                : key("witness key", () -> CosignatureV1Verifier.parse(bundle.witnessKey()));
        List<AuditBundle.Entry> entries = bundle.entries() == null ? List.of() : bundle.entries();
        List<String> checkpoints = bundle.checkpoints() == null ? List.of() : bundle.checkpoints();

        MerkleFrontier frontier = MerkleFrontier.empty(HASHER);
        int next = 0; // the next checkpoint to compare
        long lastMatched = 0;
        int countersigned = 0;
        Instant lastCountersignedAt = null;
        for (int position = 0; position <= entries.size(); position++) {
            // Compare every checkpoint whose tree is complete at this point, before adding the next entry.
            while (next < checkpoints.size()) {
                String where = "checkpoint " + next;
                VerifiedCheckpoint cp = open(where, checkpoints.get(next), bundle.origin(), logKey);
                long size = cp.checkpoint().size();
                where += " (size " + size + ")";
                if (size < lastMatched) {
                    throw new AuditVerificationException(where, "comes after a checkpoint of size " + lastMatched
                            + "; checkpoints must be in order of size");
                }
                if (size > position) {
                    if (position < entries.size()) {
                        break; // compared once the entries it covers are in
                    }
                    throw new AuditVerificationException(where, "covers " + size + " entries but the bundle holds "
                            + entries.size() + ": entries after index " + (entries.size() - 1) + " were removed");
                }
                Instant cosigned = null;
                if (witness != null && cp.note().signatures().stream().anyMatch(s -> s.keyName().equals(witness.keyName()))) {
                    try {
                        cosigned = cp.cosignedAt(witness);
                    } catch (NoteException e) {
                        throw new AuditVerificationException(where, "carries a countersignature in the coordinator's"
                                + " name that does not verify (" + e.getMessage() + ")");
                    }
                }
                if (!Arrays.equals(cp.checkpoint().rootHash(), frontier.rootHash())) {
                    throw new AuditVerificationException(where, "its root is not the root of entries 0 to " + (size - 1)
                            + ": the log was changed after this checkpoint was "
                            + (cosigned != null ? "countersigned by the coordinator at " + cosigned : "signed")
                            + "; the change lies in entries " + lastMatched + " to " + (size - 1));
                }
                if (cosigned != null) {
                    countersigned++;
                    lastCountersignedAt = cosigned;
                }
                lastMatched = size;
                next++;
            }
            if (position == entries.size()) {
                break;
            }
            frontier = frontier.append(leafHash(entries.get(position), position));
        }
        return new Report(entries.size(), checkpoints.size(), countersigned, lastMatched, lastCountersignedAt);
    }

    private static byte[] leafHash(AuditBundle.Entry e, int position) throws AuditVerificationException {
        String where = "entry " + e.index();
        if (e.index() != position) {
            throw new AuditVerificationException(where, "stands at position " + position + "; an entry before it is"
                    + " missing, doubled or out of order");
        }
        AuditEntry entry;
        try {
            entry = e.toEntry();
        } catch (RuntimeException ex) {
            throw new AuditVerificationException(where, "is malformed (" + ex.getMessage() + ")");
        }
        if (entry.sealed() && entry.event() != null) {
            if (e.salt() == null) {
                throw new AuditVerificationException(where, "is released without the salt that opens its commitment");
            }
            try {
                SealedEntry.verifyRelease(entry.commitment(), entry.openData(), Base64.getDecoder().decode(e.salt()));
            } catch (ReleaseException | IllegalArgumentException ex) {
                throw new AuditVerificationException(where, "its released content does not open its commitment: it is"
                        + " not what was committed to when it was sealed");
            }
        }
        byte[] leafHash = entry.leafHash(HASHER);
        if (e.leafHash() != null && !Arrays.equals(leafHash, Base64.getDecoder().decode(e.leafHash()))) {
            throw new AuditVerificationException(where, "does not hash to the leaf hash recorded when it was appended:"
                    + " it was changed after it was logged");
        }
        return leafHash;
    }

    private static VerifiedCheckpoint open(String where, String note, String origin, NoteVerifier logKey)
            throws AuditVerificationException {
        try {
            return VerifiedCheckpoint.open(note, origin, logKey);
        } catch (NoteException e) {
            throw new AuditVerificationException(where, "does not verify as a checkpoint of " + origin + " signed by the"
                    + " log's key (" + e.getMessage() + ")");
        }
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
