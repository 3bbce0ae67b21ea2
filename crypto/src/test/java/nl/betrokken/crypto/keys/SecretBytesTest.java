package nl.betrokken.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretBytesTest {
    private static final SecretKeyAccess ACCESS = SecretKeyAccess.insecure();

    @Test
    void toString_showsOnlyTheLength() {
        SecretBytes s = SecretBytes.copyFrom(new byte[] {0x41, 0x42, 0x43}, ACCESS);
        assertEquals("SecretBytes[3 bytes]", s.toString());
    }

    @Test
    void copyFrom_copiesItsInput() {
        byte[] in = {1, 2, 3};
        SecretBytes s = SecretBytes.copyFrom(in, ACCESS);
        in[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, s.copy(ACCESS));
    }

    @Test
    void copy_returnsAFreshArray() {
        SecretBytes s = SecretBytes.copyFrom(new byte[] {1, 2, 3}, ACCESS);
        s.copy(ACCESS)[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, s.copy(ACCESS));
    }

    @Test
    void copy_withoutAccess_throws() {
        SecretBytes s = SecretBytes.copyFrom(new byte[] {1}, ACCESS);
        assertThrows(NullPointerException.class, () -> s.copy(null));
    }

    @Test
    void equalsSecretBytes_comparesContent() {
        SecretBytes a = SecretBytes.copyFrom(new byte[] {1, 2, 3}, ACCESS);
        assertTrue(a.equalsSecretBytes(SecretBytes.copyFrom(new byte[] {1, 2, 3}, ACCESS)));
        assertFalse(a.equalsSecretBytes(SecretBytes.copyFrom(new byte[] {1, 2, 4}, ACCESS)));
        assertFalse(a.equalsSecretBytes(SecretBytes.copyFrom(new byte[] {1, 2}, ACCESS)));
        assertFalse(a.equalsSecretBytes(null));
    }

    @Test
    void copyFrom_withEmptyBytes_throws() {
        assertThrows(IllegalArgumentException.class, () -> SecretBytes.copyFrom(new byte[0], ACCESS));
    }

    @Test
    void random_hasTheRequestedLength() {
        assertEquals(32, SecretBytes.random(32, new SecureRandom()).size());
        assertThrows(IllegalArgumentException.class, () -> SecretBytes.random(0, new SecureRandom()));
    }
}
