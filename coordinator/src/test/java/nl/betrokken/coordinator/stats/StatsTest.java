package nl.betrokken.coordinator.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.Claim;

class StatsTest {

    private static String path(LocalDate day) {
        return "/api/v1/stats?from=" + day + "&to=" + day;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void stats_countSignalsAndMatchesWithinAndAcrossRegions(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            String mother = People.bsn();
            noord.submit(List.of(People.record("n-1", "org-a", child, mother), People.record("n-2", "org-b", child)));
            oost.submit(List.of(People.record("o-1", "org-a", People.bsn(), mother)));
            LocalDate today = LocalDate.now(h.clock());
            h.awaitMatching();
            String token = noord.token(b -> b.claim(Claim.string("role"), "gemeente"));
            Harness.Response r = h.call("GET", path(today), null, token);
            assertEquals(200, r.status(), String.valueOf(r.body()));
            JsonNode s = r.body();
            assertEquals(3, s.get("signalsRegistered").asLong());
            assertEquals(1, s.get("matches").get("childWithin").asLong());
            assertEquals(0, s.get("matches").get("childAcross").asLong());
            assertEquals(1, s.get("matches").get("familyAcross").asLong());
            assertEquals(0, s.get("matches").get("familyWithin").asLong());
            Harness.Response yesterday = h.call("GET", path(today.minusDays(1)), null,
                    noord.token(b -> b.claim(Claim.string("role"), "auditor")));
            assertEquals(0, yesterday.body().get("signalsRegistered").asLong());

            // per enrolled node (region): received in the period, and the day of its newest signal; west sent none
            TestNode west = h.enrol("west");
            try (java.sql.Connection c = h.connect(); java.sql.PreparedStatement p = c.prepareStatement(
                    "UPDATE signal SET received_at = ? WHERE node_id = ?")) {
                p.setTimestamp(1, java.sql.Timestamp.from(today.minusDays(40).atStartOfDay(h.clock().getZone())
                        .toInstant()));
                p.setString(2, oost.id());
                p.executeUpdate();
            }
            JsonNode month = h.call("GET", "/api/v1/stats?from=" + today.minusDays(29) + "&to=" + today, null,
                    noord.token(b -> b.claim(Claim.string("role"), "matchcoordinator"))).body();
            assertEquals("[{\"node\":\"" + noord.id() + "\",\"signalsReceived\":2,\"lastSignalOn\":\"" + today
                    + "\"},{\"node\":\"" + oost.id() + "\",\"signalsReceived\":0,\"lastSignalOn\":\""
                    + today.minusDays(40) + "\"},{\"node\":\"" + west.id() + "\",\"signalsReceived\":0}]",
                    month.get("regions").toString());
            assertEquals(0, yesterday.body().get("regions").get(0).get("signalsReceived").asLong(),
                    "nothing received from noord yesterday: " + yesterday.body());
            assertFalse(month.toString().contains("org-a"), "no organisation: " + month);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void stats_withoutGemeenteOrAuditorRole_is403(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        assertEquals(403, h.call("GET", path(LocalDate.now(h.clock())), null, noord.token()).status());
        assertEquals(403, h.call("GET", path(LocalDate.now(h.clock())), null,
                noord.token(b -> b.claim(Claim.string("role"), "professional"))).status());
        assertEquals(401, h.call("GET", path(LocalDate.now(h.clock())), null, null).status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void stats_withPeriodEndingBeforeItStarts_is400NamingTo(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        Harness.Response r = h.call("GET", "/api/v1/stats?from=2026-02-01&to=2026-01-01", null,
                noord.token(b -> b.claim(Claim.string("role"), "auditor")));
        assertEquals(400, r.status());
        assertEquals("to", r.body().get("violations").get(0).get("field").asText());
        Harness.Response bad = h.call("GET", "/api/v1/stats?from=yesterday&to=2026-01-01", null,
                noord.token(b -> b.claim(Claim.string("role"), "auditor")));
        assertEquals(400, bad.status(), String.valueOf(bad.body()));
    }
}
