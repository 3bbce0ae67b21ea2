package nl.betrokken.coordinator.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Singleton;
import nl.betrokken.crypto.pseudonym.Pseudonym;

/**
 * The coordinator's second keyed hash over a pseudonym: {@code HMAC-SHA256(K_rekey, label ‖ 0x00 ‖ epoch ‖ value)}
 * with the epoch as 4 bytes big-endian. Only the result is stored, so the coordinator's database, even together with
 * the federation key, allows no dictionary check over BSNs without the coordinator's key as well.
 */
@Singleton
public final class Rekeyer {

    static final String LABEL = "betrokken/rekey/v1/person";
    private static final byte[] PREFIX = (LABEL + "\0").getBytes(StandardCharsets.US_ASCII);

    private final CoordinatorKeys keys;

    Rekeyer(CoordinatorKeys keys) {
        this.keys = keys;
    }

    /** The 32-byte re-keyed form of {@code pseudonym}; equal inputs (epoch and value) give equal outputs. */
    public byte[] rekey(Pseudonym pseudonym) {
        byte[] value = pseudonym.value();
        ByteBuffer input = ByteBuffer.allocate(PREFIX.length + 4 + value.length)
                .put(PREFIX).putInt(pseudonym.epoch()).put(value);
        return keys.rekeyMac().compute(input.array());
    }
}
