package nl.betrokken.crypto.index;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyEpoch;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.subtle.HmacSha256;

/**
 * A keyed blind index over BSNs, so a node can find its own encrypted rows by BSN without storing the BSN in the
 * clear. For epoch {@code e}:
 *
 * <pre>
 * K_e   = ring.deriveDataAtRestKey(e, BLIND_INDEX)      (HKDF-SHA256, see {@link KeyRing})
 * index = HMAC-SHA256(K_e, "betrokken/blind-index/v1/bsn" || 0x00 || the 9 BSN digits in ASCII)   32 bytes
 * </pre>
 *
 * <p>The label is a fixed, versioned domain-separation string ended by 0x00, as for pseudonyms. The key is the
 * node's own {@code BLIND_INDEX} key, independent of the federation's {@code PSEUDONYM} key, so a blind index
 * cannot be joined with pseudonyms the coordinator sees.
 *
 * <p>Guarantees: deterministic per epoch (equality look-ups work); without the key ring an index reveals nothing
 * about the BSN and cannot be recomputed. Not guaranteed: hiding equality (two rows of one person share an index,
 * by design) or resisting a holder of the ring, who can enumerate all BSNs.
 *
 * <p>Epochs: {@link #of} uses the primary epoch, for new rows. {@link #candidates} covers every epoch that is not
 * disabled, including accepted epochs past their transition, because indexed rows outlive the transition (as for
 * {@code KeyRingAead}). Rows indexed under an epoch become unfindable when it is disabled: re-index them first.
 *
 * <p>Immutable and thread-safe. The ring is immutable too, so one HMAC per enabled epoch is set up at creation;
 * build a new instance after a rotation or disable.
 */
public final class BlindIndex {
    /** The domain-separation label, without its terminating 0x00. Part of the v1 scheme: never change it. */
    public static final String LABEL = "betrokken/blind-index/v1/bsn";
    /** The length of an index value in bytes. */
    public static final int LENGTH = HmacSha256.MAC_LENGTH;

    private static final byte[] PREFIX = (LABEL + "\0").getBytes(StandardCharsets.US_ASCII);
    private static final int BSN_LENGTH = 9;

    private final int primaryEpoch;
    private final List<HmacSha256> macs; // primary first, then the other enabled epochs, newest first

    private BlindIndex(int primaryEpoch, List<HmacSha256> macs) {
        this.primaryEpoch = primaryEpoch;
        this.macs = macs;
    }

    /** Returns a blind index over {@code ring}'s {@link KeyPurpose#BLIND_INDEX} keys. */
    public static BlindIndex create(KeyRing ring) {
        Objects.requireNonNull(ring, "ring");
        int primary = ring.primary().id();
        List<HmacSha256> macs = new ArrayList<>();
        try {
            macs.add(mac(ring, primary));
            List<KeyEpoch> epochs = ring.epochs(); // ascending ids
            for (int i = epochs.size() - 1; i >= 0; i--) {
                KeyEpoch e = epochs.get(i);
                if (e.id() != primary && e.state() != KeyEpoch.State.DISABLED) {
                    macs.add(mac(ring, e.id()));
                }
            }
        } catch (GeneralSecurityException e) {
            // Only epochs holding a secret are used and derived keys are 32 bytes, so this is a broken JDK.
            throw new IllegalStateException("cannot set up HMAC-SHA256", e);
        }
        return new BlindIndex(primary, List.copyOf(macs));
    }

    private static HmacSha256 mac(KeyRing ring, int epochId) throws GeneralSecurityException {
        return HmacSha256.create(ring.deriveDataAtRestKey(epochId, KeyPurpose.BLIND_INDEX));
    }

    /** Returns the 32-byte index of {@code bsn} under the primary epoch. Store it with new rows. */
    public byte[] of(Bsn bsn) {
        return macs.get(0).compute(message(bsn));
    }

    /**
     * Returns the index of {@code bsn} under every epoch that is not disabled, the primary first, then older epochs
     * newest first. Look a BSN up by all of them, so rows indexed before a rotation are still found.
     */
    public List<byte[]> candidates(Bsn bsn) {
        byte[] message = message(bsn);
        List<byte[]> result = new ArrayList<>(macs.size());
        for (HmacSha256 mac : macs) {
            result.add(mac.compute(message));
        }
        return List.copyOf(result);
    }

    private static byte[] message(Bsn bsn) {
        Objects.requireNonNull(bsn, "bsn");
        String digits = bsn.digits();
        byte[] m = new byte[PREFIX.length + BSN_LENGTH];
        System.arraycopy(PREFIX, 0, m, 0, PREFIX.length);
        for (int i = 0; i < BSN_LENGTH; i++) {
            m[PREFIX.length + i] = (byte) digits.charAt(i); // Bsn guarantees ASCII '0'..'9'
        }
        return m;
    }

    /** Returns e.g. {@code BlindIndex[primaryEpoch=3, epochs=2]}: never a key, BSN or index value. */
    @Override
    public String toString() {
        return "BlindIndex[primaryEpoch=" + primaryEpoch + ", epochs=" + macs.size() + "]";
    }
}
