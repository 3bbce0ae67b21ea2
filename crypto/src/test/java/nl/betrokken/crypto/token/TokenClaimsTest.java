package nl.betrokken.crypto.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TokenClaimsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Claim<String> TICKET = Claim.string("ticket");
    private static final Claim<List<String>> SIGNALS = Claim.stringList("signals");

    @Test
    void build_defaultsJwtIdToRandomUuidAndNotBeforeToIssuedAt() {
        TokenClaims first = claims().build();
        TokenClaims second = claims().build();

        UUID.fromString(first.jwtId());
        assertNotEquals(first.jwtId(), second.jwtId());
        assertEquals(NOW, first.notBefore());
    }

    @Test
    void build_truncatesTimesToWholeSeconds() {
        TokenClaims claims = claims().issuedAt(NOW.plusMillis(999)).expiresAt(NOW.plusSeconds(60).plusNanos(5))
                .build();

        assertEquals(NOW, claims.issuedAt());
        assertEquals(NOW.plusSeconds(60), claims.expiresAt());
    }

    @Test
    void build_withExpiresAtEqualToNotBefore_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> claims().notBefore(NOW.plusSeconds(60)).expiresAt(NOW.plusSeconds(60)).build());
        assertEquals("expiresAt 2026-01-01T00:01:00Z must be after notBefore 2026-01-01T00:01:00Z", e.getMessage());
    }

    @Test
    void build_withExpiresAtBeforeIssuedAt_throws() {
        assertThrows(IllegalArgumentException.class, () -> claims().expiresAt(NOW.minusSeconds(1)).build());
    }

    @Test
    void build_withExpiryWithinTheSameSecond_throws() {
        assertThrows(IllegalArgumentException.class, () -> claims().expiresAt(NOW.plusMillis(500)).build());
    }

    @Test
    void build_withoutRequiredField_throwsNamingIt() {
        assertMessage("issuer must not be blank", () -> claims().issuer(null).build());
        assertMessage("subject must not be blank", () -> claims().subject(" ").build());
        assertMessage("audience must not be blank", () -> claims().audience("").build());
        assertMessage("jwtId must not be blank", () -> claims().jwtId(" ").build());
        assertMessage("issuedAt is required", () -> claims().issuedAt(null).build());
        assertMessage("expiresAt is required", () -> claims().expiresAt(null).build());
    }

    @Test
    void get_withAbsentClaim_isEmpty() {
        assertEquals(Optional.empty(), claims().build().get(TICKET));
    }

    @Test
    void require_withAbsentClaim_throwsNamingIt() {
        TokenClaims claims = claims().build();

        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> claims.require(TICKET));
        assertEquals("claim 'ticket' is missing", e.getMessage());
    }

    @Test
    void get_withSameNameButOtherType_throws() {
        TokenClaims claims = claims().claim(TICKET, "t-1").build();

        assertThrows(IllegalStateException.class, () -> claims.get(Claim.number("ticket")));
    }

    @Test
    void claim_copiesTheListAndReturnsItUnmodifiable() {
        List<String> signals = new ArrayList<>(List.of("s-1"));
        TokenClaims claims = claims().claim(SIGNALS, signals).build();
        signals.add("s-2");

        List<String> read = claims.require(SIGNALS);

        assertEquals(List.of("s-1"), read);
        assertThrows(UnsupportedOperationException.class, () -> read.add("s-3"));
    }

    @Test
    void claim_withNullValueOrElement_throws() {
        assertThrows(IllegalArgumentException.class, () -> claims().claim(TICKET, null));
        assertThrows(IllegalArgumentException.class, () -> claims().claim(SIGNALS, Arrays.asList("s-1", null)));
    }

    @Test
    void toString_leavesOutSubjectAndClaimValues() {
        TokenClaims claims = claims().subject("pseudonym-abc").claim(TICKET, "ticket-value").build();

        assertFalse(claims.toString().contains("pseudonym-abc"), claims.toString());
        assertFalse(claims.toString().contains("ticket-value"), claims.toString());
        assertTrue(claims.toString().contains("ticket"), claims.toString());
    }

    private static TokenClaims.Builder claims() {
        return TokenClaims.builder()
                .issuer("node-utrecht")
                .subject("node-utrecht")
                .audience("coordinator")
                .issuedAt(NOW)
                .expiresAt(NOW.plusSeconds(300));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, build).getMessage());
    }
}
