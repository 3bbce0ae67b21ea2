package nl.betrokken.coordinator.inzage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.coordinator.intake.EpochRetirement;
import nl.betrokken.coordinator.keys.Rekeyer;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.pseudonym.Pseudonym;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenVerifier;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.crypto.token.VerifiedToken;

/** The inzage look-up: which signals a signed-in person may see, with a ticket for each holding node. */
class InzageLookupTest {

    private static final String PATH = "/internal/v1/inzage";

    /** The body a node sends for the person {@code bsn}: their pseudonym under every accepted epoch. */
    private static Map<String, Object> body(Pseudonymizer pseudonyms, String bsn) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Pseudonym p : pseudonyms.pseudonymizeForMatching(Bsn.parse(bsn))) {
            list.add(Map.of("epoch", p.epoch(), "person", p.encoded()));
        }
        return Map.of("pseudonyms", list);
    }

    private static Harness.Response ask(TestNode asker, Pseudonymizer pseudonyms, String bsn) {
        return asker.harness().call("POST", PATH, body(pseudonyms, bsn), asker.token());
    }

    /** The answer as {@code "<node>:<ref>" -> relation}, requiring a 200. */
    private static Map<String, String> signals(Harness.Response r) {
        assertEquals(200, r.status(), String.valueOf(r.body()));
        Map<String, String> out = new HashMap<>();
        for (JsonNode s : r.body().get("signals")) {
            String key = s.get("node").asText() + ":" + s.get("ref").asText();
            assertEquals(null, out.put(key, s.get("relation").asText()), key + " appears once");
        }
        return out;
    }

    private static void assertRefusedNaming(Harness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field + ": " + r.body());
    }

    private static void submit(TestNode node, Map<String, Object> record) {
        Harness.Response r = node.submit(List.of(record));
        assertEquals(200, r.status(), String.valueOf(r.body()));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void lookup_findsOwnSignalsAndAParentsChildrenThroughSignalsNamingThatParent(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        TestNode zuid = h.enrol("zuid");
        String child = People.bsn();
        String sibling = People.bsn();
        String halfSibling = People.bsn();
        String mother = People.bsn();
        String father = People.bsn();
        submit(noord, People.record("n-1", "org", child, mother, father));
        submit(oost, People.record("o-1", "org", child)); // names no parent: found through the child
        submit(zuid, People.record("z-1", "org", sibling, mother)); // a sibling with the mother in common
        submit(zuid, People.record("z-2", "org", halfSibling, father)); // the father's other child

        String n1 = noord.id() + ":n-1";
        String o1 = oost.id() + ":o-1";
        String z1 = zuid.id() + ":z-1";
        String z2 = zuid.id() + ":z-2";
        assertEquals(Map.of(n1, "SELF", o1, "SELF"), signals(ask(oost, People.PSEUDONYMS, child)),
                "the youth: both signals about them");
        assertEquals(Map.of(n1, "PARENT", o1, "PARENT", z1, "PARENT"), signals(ask(zuid, People.PSEUDONYMS, mother)),
                "the mother: the signal naming her, the other signal on that child, and the sibling's signal naming"
                        + " her; not the father's other child");
        assertEquals(Map.of(n1, "PARENT", o1, "PARENT", z2, "PARENT"), signals(ask(zuid, People.PSEUDONYMS, father)),
                "the father: not the sibling, whose signal names only the mother");
        assertEquals(Map.of(z1, "SELF"), signals(ask(noord, People.PSEUDONYMS, sibling)));
        long links = h.queryLong("SELECT count(*) FROM signal_person");
        assertEquals(Map.of(), signals(ask(noord, People.PSEUDONYMS, People.bsn())), "a stranger: nothing");
        assertEquals(links, h.queryLong("SELECT count(*) FROM signal_person"), "the look-up stores no person");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void lookup_endedSignal_stillAppearsWhileTheCoordinatorHoldsIt(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        String youth = People.bsn();
        String parent = People.bsn();
        submit(noord, People.record("n-1", "org", youth, parent));
        assertEquals(200, noord.end("n-1", LocalDate.now(h.clock())).status());
        assertEquals("ARCHIVED", statusOf(h, noord.id(), "n-1"));
        assertEquals(Map.of(noord.id() + ":n-1", "SELF"), signals(ask(noord, People.PSEUDONYMS, youth)));
        assertEquals(Map.of(noord.id() + ":n-1", "PARENT"), signals(ask(noord, People.PSEUDONYMS, parent)));
        assertEquals(200, noord.erase("n-1").status());
        assertEquals(Map.of(), signals(ask(noord, People.PSEUDONYMS, youth)), "an erased signal is gone");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void veiligThuis_findsOnlyTheYouthsOwnSignals_withRelationVeiligThuis_andOnlyForThatRole(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String youth = People.bsn();
        String child = People.bsn();
        submit(noord, People.record("n-1", "org", youth));
        submit(oost, People.record("o-1", "org", youth));
        submit(oost, People.record("o-2", "org", child, youth)); // names the youth as a parent: not theirs to find
        assertEquals(200, oost.end("o-1", LocalDate.now(h.clock())).status()); // archived at the coordinator
        String vtPath = PATH + "/veilig-thuis";
        long entries = h.queryLong("SELECT count(*) FROM audit_entry WHERE kind = 'inzage.veilig-thuis-lookup'");

        Harness.Response found = noord.harness().call("POST", vtPath, body(People.PSEUDONYMS, youth),
                noord.token(b -> b.claim(Claim.string("role"), "veilig-thuis")));
        assertEquals(Map.of(noord.id() + ":n-1", "VEILIG_THUIS", oost.id() + ":o-1", "VEILIG_THUIS"), signals(found),
                "active and archived signals about the youth, not the signal naming them as a parent");
        PublicKeySet jwks = PublicKeySet.parse(h.call("GET", "/.well-known/jwks.json", null, null).body().toString());
        for (JsonNode s : found.body().get("signals")) {
            VerifiedToken ticket;
            try {
                ticket = Es256TokenVerifier.builder().trustedKeys(jwks).expectedIssuer("betrokken-coordinator")
                        .expectedType("betrokken-inzage+jwt").clock(h.clock())
                        .expectedAudience(s.get("node").asText()).build().verify(s.get("ticket").asText());
            } catch (TokenVerificationException e) {
                throw new AssertionError(e);
            }
            assertEquals("VEILIG_THUIS", ticket.claims().require(InzageTickets.RELATION));
            assertEquals(noord.id(), ticket.claims().require(InzageTickets.ASKER));
        }
        assertEquals(entries + 1,
                h.queryLong("SELECT count(*) FROM audit_entry WHERE kind = 'inzage.veilig-thuis-lookup'"));

        for (String role : new String[] {null, "gemeente", "auditor"}) {
            Harness.Response refused = noord.harness().call("POST", vtPath, body(People.PSEUDONYMS, youth),
                    role == null ? noord.token() : noord.token(b -> b.claim(Claim.string("role"), role)));
            assertEquals(403, refused.status(), role + ": " + refused.body());
        }
        assertEquals(Map.of(noord.id() + ":n-1", "SELF", oost.id() + ":o-1", "SELF", oost.id() + ":o-2", "PARENT"),
                signals(ask(noord, People.PSEUDONYMS, youth)), "the person's own inzage is unchanged");
    }

    private static String statusOf(Harness h, String node, String ref) {
        try (Connection c = h.connect();
             PreparedStatement s = c.prepareStatement("SELECT status FROM signal WHERE node_id = ? AND ref = ?")) {
            s.setString(1, node);
            s.setString(2, ref);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void ticket_verifiesWithThePublishedKeysAndNamesHolderSignalAskerAndRelation(Db db) throws Exception {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode zuid = h.enrol("zuid");
        String youth = People.bsn();
        String parent = People.bsn();
        submit(noord, People.record("n-1", "org", youth, parent));
        Harness.Response r = ask(zuid, People.PSEUDONYMS, parent);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        JsonNode signal = r.body().get("signals").get(0);
        assertEquals(noord.id(), signal.get("node").asText());
        assertEquals("n-1", signal.get("ref").asText());

        PublicKeySet jwks = PublicKeySet.parse(h.call("GET", "/.well-known/jwks.json", null, null).body().toString());
        Es256TokenVerifier.Builder verifier = Es256TokenVerifier.builder().trustedKeys(jwks)
                .expectedIssuer("betrokken-coordinator").expectedType("betrokken-inzage+jwt").clock(h.clock());
        String ticket = signal.get("ticket").asText();
        VerifiedToken verified = verifier.expectedAudience(noord.id()).build().verify(ticket);
        assertEquals("n-1", verified.claims().subject());
        assertEquals(zuid.id(), verified.claims().require(InzageTickets.ASKER));
        assertEquals("PARENT", verified.claims().require(InzageTickets.RELATION));
        assertFalse(verified.claims().jwtId().isBlank());
        assertTrue(!verified.claims().expiresAt().isAfter(verified.claims().issuedAt().plus(Duration.ofMinutes(5))),
                "valid for five minutes at most");
        assertTrue(!verified.claims().notBefore().isAfter(h.clock().instant()));
        String header = new String(java.util.Base64.getUrlDecoder().decode(ticket.substring(0, ticket.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.contains("\"typ\":\"betrokken-inzage+jwt\""), header);

        assertRefused(() -> verifier.expectedAudience(zuid.id()).build().verify(ticket), "for the holding node only");
        assertRefused(() -> Es256TokenVerifier.builder().trustedKeys(jwks).expectedIssuer("betrokken-coordinator")
                .expectedAudience(noord.id()).expectedType("betrokken-ticket+jwt").clock(h.clock()).build()
                .verify(ticket), "not a match ticket");
        String second = ask(zuid, People.PSEUDONYMS, parent).body().get("signals").get(0).get("ticket").asText();
        assertFalse(verifier.expectedAudience(noord.id()).build().verify(second).claims().jwtId()
                .equals(verified.claims().jwtId()), "each look-up signs fresh tickets");
    }

    private interface Verification {
        void run() throws TokenVerificationException;
    }

    private static void assertRefused(Verification v, String why) {
        try {
            v.run();
        } catch (TokenVerificationException expected) {
            return;
        }
        throw new AssertionError("verified, but should not: " + why);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void lookup_isAuditedWithTheCountAndNoPseudonym(Db db) throws Exception {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode zuid = h.enrol("zuid");
        String youth = People.bsn();
        submit(noord, People.record("n-1", "org", youth));
        submit(noord, People.record("n-2", "org", youth));
        assertEquals(2, signals(ask(zuid, People.PSEUDONYMS, youth)).size());

        List<String> entries = new ArrayList<>();
        try (Connection c = h.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT kind, actor, subject, details FROM audit_entry WHERE actor = ? AND kind = 'inzage.lookup'")) {
            s.setString(1, "node:" + zuid.id());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4));
                }
            }
        }
        assertEquals(1, entries.size(), "one entry per look-up: " + entries);
        String entry = entries.get(0);
        assertTrue(entry.contains("signals") && entry.contains("2"), entry);
        Rekeyer rekeyer = h.bean(Rekeyer.class);
        for (Pseudonym p : People.PSEUDONYMS.pseudonymizeForMatching(Bsn.parse(youth))) {
            assertFalse(entry.contains(p.encoded().substring(3)), "the entry holds the pseudonym");
            assertFalse(entry.toLowerCase().contains(HexFormat.of().formatHex(rekeyer.rekey(p))),
                    "the entry holds the re-keyed pseudonym");
        }
        assertFalse(entry.contains(youth));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void lookup_badRequest_refusedNamingTheField(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        List<Pseudonym> own = People.PSEUDONYMS.pseudonymizeForMatching(Bsn.parse(People.bsn()));
        Pseudonym p = own.get(0);
        assertRefusedNaming(h.call("POST", PATH, Map.of("pseudonyms", List.of(
                Map.of("epoch", p.epoch(), "person", p.encoded()),
                Map.of("epoch", p.epoch() + 1, "person", "not-a-pseudonym"))), node.token()), "pseudonyms[1].person");
        assertRefusedNaming(h.call("POST", PATH, Map.of("pseudonyms", List.of(
                Map.of("epoch", p.epoch() + 1, "person", p.encoded()))), node.token()), "pseudonyms[0].person");
        assertRefusedNaming(h.call("POST", PATH, Map.of("pseudonyms", List.of(
                Map.of("epoch", p.epoch(), "person", p.encoded()),
                Map.of("epoch", p.epoch(), "person", p.encoded()))), node.token()), "pseudonyms[1].epoch");
        List<Map<String, Object>> nine = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            nine.add(Map.of("epoch", i, "person", p.encoded()));
        }
        assertRefusedNaming(h.call("POST", PATH, Map.of("pseudonyms", nine), node.token()), "pseudonyms");
        assertRefusedNaming(h.call("POST", PATH, Map.of("pseudonyms", List.of()), node.token()), "pseudonyms");
        assertEquals(0, h.queryLong("SELECT count(*) FROM audit_entry WHERE kind = 'inzage.lookup' AND actor = 'node:"
                + node.id() + "'"), "a refused request looks nothing up");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void lookup_withoutANodeToken_is401(Db db) {
        Harness h = Harness.shared(db);
        Harness.Response r = h.call("POST", PATH, body(People.PSEUDONYMS, People.bsn()), null);
        assertEquals(401, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void lookup_retiredEpoch_isIgnoredAndAloneRefused(Db db) {
        try (Harness h = Harness.fresh(db)) {
            Instant now = Instant.now();
            KeyRing before = KeyRing.generate(new SecureRandom(), now.minus(Duration.ofDays(400)));
            KeyRing after = before.rotate(new SecureRandom(), now, Duration.ofDays(30));
            Pseudonymizer epochOne = HmacPseudonymizer.create(before, Clock.fixed(now, ZoneOffset.UTC));
            Pseudonymizer transition = HmacPseudonymizer.create(after, Clock.fixed(now, ZoneOffset.UTC));
            TestNode noord = h.enrol("noord");
            String youth = People.bsn();
            submit(noord, People.record("n-1", "org", LocalDate.now(h.clock()), transition, youth));
            String n1 = noord.id() + ":n-1";
            assertEquals(Map.of(n1, "SELF"), signals(ask(noord, epochOne, youth)), "epoch 1 finds it before");

            h.bean(EpochRetirement.class).retire(1);
            assertEquals(Map.of(n1, "SELF"), signals(ask(noord, transition, youth)), "epoch 2 finds it, once");
            List<Map<String, Object>> staleOne = List.of(Map.of("epoch", 1, "person", "left over, not parsed"),
                    Map.of("epoch", 2, "person", transition.pseudonymizeForMatching(Bsn.parse(youth)).stream()
                            .filter(p -> p.epoch() == 2).findFirst().orElseThrow().encoded()));
            assertEquals(Map.of(n1, "SELF"), signals(h.call("POST", PATH, Map.of("pseudonyms", staleOne),
                    noord.token())), "the retired epoch's entry is not even read");
            assertRefusedNaming(ask(noord, epochOne, youth), "pseudonyms");
        }
    }
}
