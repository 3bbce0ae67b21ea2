package nl.betrokken.crypto.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import nl.betrokken.crypto.keys.SecretBytes;

/**
 * {@link NoteSigner} for timestamped Ed25519 cosignatures, {@code cosignature/v1} of c2sp.org/tlog-cosignature
 * (signature type {@code 0x04}).
 *
 * <p>The signature line carries {@code key id || timestamp || Ed25519 signature}: the timestamp is the signing
 * time in whole seconds since the epoch, 8 bytes big-endian, and the signature covers
 *
 * <pre>
 * cosignature/v1\n
 * time &lt;timestamp in decimal&gt;\n
 * &lt;the whole checkpoint body&gt;
 * </pre>
 *
 * so the time is signed together with the checkpoint. The key id is
 * {@code SHA-256(key name || 0x0A || 0x04 || public key)[:4]}.
 *
 * <p>A cosignature states: "as of this time, the largest consistent tree this cosigner has seen for this origin
 * has this root". The coordinator cosigns a node's checkpoint with it, through {@link CheckpointWitness}. A node may
 * sign its own checkpoints with it too (c2sp.org/tlog-checkpoint lets a log sign with a cosignature), which is how a
 * node's checkpoint carries tree size, root hash and a signed time; see {@link VerifiedCheckpoint#logTime()}.
 *
 * <p>Use a seed for this signer that no {@link Ed25519NoteSigner} uses, and one cosigner key per statement: the
 * signed message does not name the cosigner.
 */
public final class CosignatureV1Signer extends Ed25519KeySigner {

    private final Clock clock;
    private final CosignatureV1Verifier verifier;

    private CosignatureV1Signer(String keyName, SecretBytes seed, Clock clock) {
        super(keyName, seed);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifier = CosignatureV1Verifier.of(keyName, publicKey());
    }

    /**
     * Returns the cosigner for the Ed25519 key with this 32-byte seed, stamping each signature with
     * {@code clock}'s current second.
     *
     * @throws IllegalArgumentException if the name is not a valid key name or the seed is not 32 bytes
     */
    public static CosignatureV1Signer fromSeed(String keyName, SecretBytes seed, Clock clock) {
        return new CosignatureV1Signer(keyName, seed, clock);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the clock is before 1970, which a timestamp cannot express
     */
    @Override
    public byte[] sign(byte[] text) {
        Objects.requireNonNull(text, "text");
        long timestamp = clock.instant().getEpochSecond();
        if (timestamp < 0) {
            throw new IllegalStateException("clock reads " + clock.instant() + ", before the POSIX epoch");
        }
        byte[] signature = ed25519(signedMessage(timestamp, text));
        return ByteBuffer.allocate(Long.BYTES + signature.length).putLong(timestamp).put(signature).array();
    }

    /** The message a cosignature/v1 signs: header line, time line, then the note text. */
    static byte[] signedMessage(long timestamp, byte[] text) {
        byte[] header = ("cosignature/v1\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(header.length + text.length).put(header).put(text).array();
    }

    @Override
    public CosignatureV1Verifier verifier() {
        return verifier;
    }
}
