package nl.betrokken.crypto.log;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A checkpoint whose log signature has been verified, with the signed note it came in.
 *
 * <p>{@link #open} works in the order of transparency-dev/formats' {@code log.ParseCheckpoint}: parse the note's
 * syntax, verify the log's signature, and only then parse the body and compare the origin. So no byte of an
 * unsigned body is ever interpreted.
 *
 * <p>Immutable and thread-safe.
 */
public final class VerifiedCheckpoint {

    private final Checkpoint checkpoint;
    private final SignedNote note;
    private final Optional<Instant> logTime;

    private VerifiedCheckpoint(Checkpoint checkpoint, SignedNote note, Optional<Instant> logTime) {
        this.checkpoint = checkpoint;
        this.note = note;
        this.logTime = logTime;
    }

    /**
     * Opens a checkpoint note signed by the log of {@code origin}.
     *
     * @param note the signed note, as the log published it
     * @param origin the origin the checkpoint must name, e.g. {@code betrokken.nl/node/utrecht}
     * @param logVerifier the log's key, from configuration; either key type will do
     * @throws NoteException with, in the order checked: {@code MALFORMED_NOTE} or {@code NO_SIGNATURES} (syntax),
     *     {@code UNKNOWN_KEY} (no line by the log's key), {@code BAD_SIGNATURE}, {@code MALFORMED_CHECKPOINT} (the
     *     signed body), {@code ORIGIN_MISMATCH}
     */
    public static VerifiedCheckpoint open(String note, String origin, NoteVerifier logVerifier)
            throws NoteException {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(logVerifier, "logVerifier");
        SignedNote signed = SignedNote.parse(note);
        SignedNote.Signature logSignature = signed.verify(logVerifier);
        // The log's key signed this text: only now is it safe to parse.
        Checkpoint checkpoint = Checkpoint.parseBody(signed.text());
        if (!checkpoint.origin().equals(origin)) {
            throw new NoteException(NoteException.Reason.ORIGIN_MISMATCH, "checkpoint origin '"
                    + checkpoint.origin() + "' is not the expected origin '" + origin + "'");
        }
        return new VerifiedCheckpoint(checkpoint, signed, logVerifier.timestamp(logSignature.signature()));
    }

    /** Returns the checkpoint. */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** Returns the note, with all its signature lines, exactly as opened. */
    public SignedNote note() {
        return note;
    }

    /**
     * Returns the signed time of the log's own signature when the log signs with a {@link CosignatureV1Signer},
     * or empty when its key type states no time.
     */
    public Optional<Instant> logTime() {
        return logTime;
    }

    /**
     * Verifies the cosignature by {@code cosigner} and returns the time it states: when that party saw this
     * checkpoint as the largest consistent one of the log.
     *
     * @throws NoteException with {@code UNKNOWN_KEY} if the note has no line by the cosigner, or
     *     {@code BAD_SIGNATURE} if it does not verify
     */
    public Instant cosignedAt(CosignatureV1Verifier cosigner) throws NoteException {
        SignedNote.Signature cosignature = note.verify(Objects.requireNonNull(cosigner, "cosigner"));
        return cosigner.timestamp(cosignature.signature()).orElseThrow(); // verify() checked the format
    }

    /** Returns e.g. {@code VerifiedCheckpoint[Checkpoint[...], 2 signatures]}. */
    @Override
    public String toString() {
        return "VerifiedCheckpoint[" + checkpoint + ", " + note.signatures().size() + " signatures]";
    }
}
