package nl.betrokken.coordinator.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.Es256TokenVerifier;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.VerifiedToken;

/**
 * Both parties of a match get one ticket, signed once ({@link Tickets#REUSED_FOR}); a delivery after that gets a
 * freshly signed one, valid for the full {@link Tickets#LIFETIME} from then.
 */
class TicketsTest {

    @Test
    void bothPartiesGetTheSameTicket_andALaterDeliveryAFreshOne() throws Exception {
        try (Harness h = Harness.fresh(Db.H2)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            assertEquals(200, noord.submit(List.of(People.record("n-1", "org", child))).status());
            assertEquals(200, oost.submit(List.of(People.record("o-1", "org", child))).status());
            JsonNode atNoord = noord.created().get(0);
            JsonNode atOost = oost.created().get(0);
            assertEquals(atNoord.get("matchId"), atOost.get("matchId"));
            String ticket = atNoord.get("ticket").asText();
            assertEquals(ticket, atOost.get("ticket").asText(), "one signature for both sides");
            assertEquals(ticket, noord.created().get(0).get("ticket").asText(), "and for a redelivery soon after");

            h.clock().advance(Tickets.REUSED_FOR.plusSeconds(1));
            String later = noord.created().get(0).get("ticket").asText();
            assertNotEquals(ticket, later, "an hour on, a delivery is signed afresh");
            VerifiedToken fresh = verify(h, later);
            assertEquals(List.of(noord.id() + ":n-1", oost.id() + ":o-1"), fresh.claims().require(Tickets.PARTIES));
            assertTrue(verify(h, ticket).claims().issuedAt().isBefore(fresh.claims().issuedAt()));
            assertEquals(Duration.between(fresh.claims().issuedAt(), fresh.claims().expiresAt()), Tickets.LIFETIME);
        }
    }

    private static VerifiedToken verify(Harness h, String ticket) throws Exception {
        JsonNode jwks = h.call("GET", "/.well-known/jwks.json", null, null).body();
        return Es256TokenVerifier.builder().trustedKeys(PublicKeySet.parse(jwks.toString()))
                .expectedAudience(Tickets.AUDIENCE).expectedIssuer(Tickets.ISSUER).expectedType(Tickets.TYPE)
                .clock(h.clock()).build().verify(ticket);
    }
}
