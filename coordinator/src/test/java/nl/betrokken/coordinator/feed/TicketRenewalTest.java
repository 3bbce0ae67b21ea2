package nl.betrokken.coordinator.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.Es256TokenVerifier;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.VerifiedToken;

/** A party's node gets a fresh match ticket while the match exists; nobody else, and not after it is withdrawn. */
class TicketRenewalTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void renew_byAPartyWhileTheMatchExists_givesAFreshTicketElse404(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            TestNode west = h.enrol("west");
            String child = People.bsn();
            assertEquals(200, noord.submit(List.of(People.record("n-1", "org", child))).status());
            assertEquals(200, oost.submit(List.of(People.record("o-1", "org", child))).status());
            String matchId = noord.created().get(0).get("matchId").asText();
            String path = "/internal/v1/matches/" + matchId + "/ticket";

            h.clock().advance(Duration.ofDays(45)); // the feed's ticket has expired
            Harness.Response renewed = h.call("POST", path, null, noord.token());
            assertEquals(200, renewed.status(), String.valueOf(renewed.body()));
            JsonNode jwks = h.call("GET", "/.well-known/jwks.json", null, null).body();
            VerifiedToken ticket = Es256TokenVerifier.builder().trustedKeys(PublicKeySet.parse(jwks.toString()))
                    .expectedAudience(Tickets.AUDIENCE).expectedIssuer(Tickets.ISSUER).expectedType(Tickets.TYPE)
                    .clock(h.clock()).build().verify(renewed.body().get("ticket").asText());
            assertEquals(matchId, ticket.claims().subject());
            assertEquals(List.of(noord.id() + ":n-1", oost.id() + ":o-1"), ticket.claims().require(Tickets.PARTIES));
            assertTrue(ticket.claims().expiresAt().isAfter(h.clock().instant().plus(Duration.ofDays(29))));
            assertEquals(200, h.call("POST", path, null, oost.token()).status(), "either party");

            assertEquals(404, h.call("POST", path, null, west.token()).status(), "not a party");
            assertEquals(404, h.call("POST", "/internal/v1/matches/" + java.util.UUID.randomUUID() + "/ticket", null,
                    noord.token()).status());
            assertEquals(401, h.call("POST", path, null, null).status());
            assertEquals(200, oost.erase("o-1").status());
            Harness.Response gone = h.call("POST", path, null, noord.token());
            assertEquals(404, gone.status(), "the match was withdrawn");
            assertTrue(gone.contentType().startsWith("application/problem+json"));
        }
    }

}
