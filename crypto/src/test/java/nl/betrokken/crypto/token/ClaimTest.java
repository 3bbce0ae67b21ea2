package nl.betrokken.crypto.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimTest {

    @ParameterizedTest
    @ValueSource(strings = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
    void create_withRegisteredName_throwsNamingIt(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Claim.string(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Claim.number(name));
        assertThrows(IllegalArgumentException.class, () -> Claim.bool(name));
        assertThrows(IllegalArgumentException.class, () -> Claim.stringList(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void create_withBlankName_throws(String name) {
        assertThrows(IllegalArgumentException.class, () -> Claim.string(name));
    }

    @Test
    void create_withNullName_throws() {
        assertThrows(IllegalArgumentException.class, () -> Claim.string(null));
    }

    @Test
    void equals_needsSameNameAndType() {
        assertEquals(Claim.string("ticket"), Claim.string("ticket"));
        assertNotEquals(Claim.string("ticket"), Claim.string("tickets"));
        assertNotEquals((Object) Claim.string("n"), Claim.number("n"));
    }
}
