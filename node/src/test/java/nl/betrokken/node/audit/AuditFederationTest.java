package nl.betrokken.node.audit;

import static nl.betrokken.node.audit.AuditFixtures.bundle;
import static nl.betrokken.node.audit.AuditFixtures.entries;
import static nl.betrokken.node.audit.AuditFixtures.execute;
import static nl.betrokken.node.audit.AuditFixtures.kinds;
import static nl.betrokken.node.audit.AuditFixtures.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.MutableClock;
import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.AuditEntry;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.audit.AuditVerificationException;
import nl.betrokken.audit.BundleVerifier;
import nl.betrokken.crypto.log.LogHasher;
import nl.betrokken.crypto.log.MerkleFrontier;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.followup.RegieSender;
import nl.betrokken.node.match.ContactChanges;

/**
 * The node's audit trail with a real coordinator process that countersigns its checkpoints: a scenario whose every
 * step (registration, matches, follow-up, consent asked, granted, used, withdrawn and refused, hand-over, inzage,
 * bezwaar, end, archive) leaves its entry and whose bundle
 * verifies; tampering with the node's database after a countersigned
 * checkpoint, found and named by the verifier; and a log rewritten after a countersigned checkpoint, which the
 * coordinator refuses and the verifier exposes with the countersigned checkpoint.
 */
class AuditFederationTest {

    static CoordinatorProcess coordinator;
    static final List<NodeHarness> STARTED = new ArrayList<>();

    @BeforeAll
    static void start() {
        coordinator = CoordinatorProcess.start();
    }

    @AfterAll
    static void stop() {
        STARTED.forEach(NodeHarness::close);
        coordinator.close();
    }

    /** A node enrolled at the coordinator, which sends its checkpoints only when the test says so. */
    static Map<String, Object> enrolled(Db db, String nodeId, String peers, int port) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, nodeId, coordinator.url(), peers));
        p.put("micronaut.server.port", port);
        p.put("betrokken.audit.checkpoint-initial-delay", "1h");
        p.put("betrokken.follow-up.regie-send-interval", "1h");
        p.put("betrokken.staff.contact-push-interval", "1h");
        coordinator.enrol(nodeId, Path.of((String) p.get("betrokken.data-dir")));
        return p;
    }

    static NodeHarness started(Map<String, Object> properties) {
        NodeHarness node = NodeHarness.start(properties);
        STARTED.add(node);
        return node;
    }

    static NodeHarness enrolledNode(Db db, String nodeId) {
        return started(enrolled(db, nodeId, "", NodeHarness.freePort()));
    }

    static AuditCheckpoints.Outcome checkpoint(NodeHarness node) {
        return node.bean(AuditCheckpoints.class).run();
    }

    @Test
    void scenario_everyStepLeavesItsEntry_andTheBundleVerifiesWithoutIdentities() throws Exception {
        int noordPort = NodeHarness.freePort();
        int oostPort = NodeHarness.freePort();
        String peers = "noord=http://127.0.0.1:" + noordPort + ",oost=http://127.0.0.1:" + oostPort;
        Map<String, Object> noordProps = enrolled(Db.POSTGRES, "noord", peers, noordPort);
        noordProps.put(MutableClock.PROPERTY, true);
        NodeHarness noord = started(noordProps);
        NodeHarness oost = started(enrolled(Db.H2, "oost", peers, oostPort));

        // Registrations by two organisations at noord and one at oost: three signals on one youth, three matches.
        String youth = Youths.bsn();
        String parent = Youths.bsn();
        String atA = register(noord, "prof-a", Youths.registration(youth, "2014-05-01", parent));
        String atB = register(noord, "prof-b", Youths.registration(youth, "2014-05-01", parent));
        String atOost = register(oost, "prof-a", Youths.registration(youth, "2014-05-01", parent));
        List<JsonNode> matchesOfA = awaitMatches(noord, "prof-a", atA, 2);
        awaitMatches(oost, "prof-a", atOost, 2);
        UUID sameNode = matchWith(matchesOfA, false);
        UUID crossNode = matchWith(matchesOfA, true);

        // Views, follow-up, regie across nodes.
        assertEquals(200, noord.call("GET", "/api/v1/signals/" + atA, null, "prof-a").status());
        assertEquals(200, noord.call("GET", "/api/v1/signals", null, "prof-a").status());
        assertEquals(200, noord.call("PUT", "/api/v1/matches/" + sameNode + "/follow-up",
                Map.of("outcome", "CONTACT_MADE", "on", LocalDate.now(AuditFixtures.clock(noord)).toString()),
                "prof-a").status());
        assertEquals(200, noord.call("PUT", "/api/v1/matches/" + crossNode + "/follow-up",
                Map.of("outcome", "TAKES_REGIE"), "prof-a").status());
        assertEquals(1, noord.bean(RegieSender.class).deliverDue());

        // Consent (the youth is 12: a parent and the youth): noord's professional asks on the match with oost; the
        // parent and the youth grant at oost; a message goes to oost and is read there; the youth withdraws at oost;
        // the next message is refused. On the match within noord the parent refuses.
        String purpose = "Afstemmen wie de begeleiding op school doet.";
        String consent = ask(noord, crossNode, purpose);
        Map<String, String> asParent = Map.of("Authorization", "Bearer " + citizenToken(oost, parent));
        Map<String, String> asYouth = Map.of("Authorization", "Bearer " + citizenToken(oost, youth));
        NodeHarness.Response granted = oost.call("POST", "/api/v1/consent-requests/" + consent + "/grant", null, null,
                asParent);
        assertEquals(204, granted.status(), String.valueOf(granted.body()));
        assertEquals("PENDING", consentStatus(noord, crossNode), "the parent alone is not enough at 12");
        granted = oost.call("POST", "/api/v1/consent-requests/" + consent + "/grant", null, null, asYouth);
        assertEquals(204, granted.status(), String.valueOf(granted.body()));
        assertEquals("GRANTED", consentStatus(noord, crossNode));
        String message = "De jeugdarts ziet het kind volgende week.";
        NodeHarness.Response sent = noord.call("POST", "/api/v1/matches/" + crossNode + "/messages",
                Map.of("text", message), "prof-a");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        NodeHarness.Response read = oost.call("GET", "/api/v1/matches/" + crossNode + "/messages", null, "prof-a");
        assertEquals(200, read.status(), String.valueOf(read.body()));
        assertEquals(message, read.body().get("items").get(0).get("text").asText());
        NodeHarness.Response withdrawn = oost.call("POST", "/api/v1/consents/" + consent + "/withdraw", null, null,
                asYouth);
        assertEquals(204, withdrawn.status(), String.valueOf(withdrawn.body()));
        NodeHarness.Response refused = noord.call("POST", "/api/v1/matches/" + crossNode + "/messages",
                Map.of("text", "Nog een bericht."), "prof-a");
        assertEquals(403, refused.status(), String.valueOf(refused.body()));
        assertTrue(refused.body().get("type").asText().endsWith("/consent-withdrawn"), refused.body().toString());
        String refusedConsent = ask(noord, sameNode, purpose);
        assertEquals(204, oost.call("POST", "/api/v1/consent-requests/" + refusedConsent + "/refuse", null, null,
                asParent).status());
        assertEquals("REFUSED", consentStatus(noord, sameNode));
        JsonNode consents = noord.call("GET", "/api/v1/audit/reports?from=" + LocalDate.now(AuditFixtures.clock(noord))
                + "&to=" + LocalDate.now(AuditFixtures.clock(noord)), null, "auditor").body().get("consents");
        assertEquals(2, consents.get("asked").asInt(), consents.toString());
        assertEquals(1, consents.get("partsGranted").asInt(), consents.toString());
        assertEquals(1, consents.get("refused").asInt(), consents.toString());
        assertEquals(1, consents.get("withdrawn").asInt(), consents.toString());
        assertEquals(1, consents.get("sentWithConsent").asInt(), consents.toString());
        assertEquals(0, consents.get("sentWithoutConsent").asInt(), consents.toString());
        assertTrue(consents.get("exchangesRefused").asInt() >= 1, consents.toString());
        JsonNode atOostConsents = oost.call("GET", "/api/v1/audit/reports?from=" + LocalDate.now(AuditFixtures.clock(noord))
                + "&to=" + LocalDate.now(AuditFixtures.clock(noord)), null, "auditor").body().get("consents");
        assertEquals(1, atOostConsents.get("receivedWithConsent").asInt(), atOostConsents.toString());

        // Hand-over: prof-a leaves, a colleague takes the signal; oost hears the new contact.
        Map<String, Object> colleague = new HashMap<>(Map.of("username", "noord-collega", "displayName", "Collega",
                "email", "collega@school.example", "initialPassword", "een-lang-wachtwoord"));
        assertEquals(201, noord.call("POST", "/api/v1/staff", colleague, "coord-a").status());
        assertEquals(200, noord.call("POST", "/api/v1/staff/noord-prof-a/deactivate",
                Map.of("handOverTo", "noord-collega"), "coord-a").status());
        assertEquals(1, noord.bean(ContactChanges.class).pushDue());

        // Inzage and bezwaar: the parent signs in at oost and sees the child's signals at both nodes; they object to
        // noord's signal, noord's gemeente asks the signal's professional for advice and rejects the objection.
        String parentToken = citizenToken(oost, parent);
        NodeHarness.Response inzage = oost.call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + parentToken));
        assertEquals(200, inzage.status(), String.valueOf(inzage.body()));
        assertEquals(3, inzage.body().get("items").size(), inzage.body().toString());
        NodeHarness.Response objected = oost.call("POST", "/api/v1/objections", Map.of("node", "noord",
                "signalId", atA, "reason", "Wij zijn het niet eens met deze melding."), null,
                Map.of("Authorization", "Bearer " + parentToken));
        assertEquals(201, objected.status(), String.valueOf(objected.body()));
        String objection = objected.body().get("id").asText();
        assertEquals(200, noord.call("GET", "/api/v1/objections", null, "gemeente").status());
        assertEquals(200, noord.call("POST", "/api/v1/objections/" + objection + "/advice-request", null, "gemeente")
                .status());
        assertEquals(200, noord.call("POST", "/api/v1/objections/" + objection + "/decision", Map.of("outcome",
                "REJECTED", "motivation", "De zorgen zijn onderbouwd."), "gemeente").status());
        JsonNode objections = noord.call("GET", "/api/v1/audit/reports?from=" + LocalDate.now(AuditFixtures.clock(noord))
                + "&to=" + LocalDate.now(AuditFixtures.clock(noord)), null, "auditor").body().get("objections");
        assertEquals(1, objections.get("filed").asInt(), objections.toString());
        assertEquals(1, objections.get("rejected").asInt(), objections.toString());
        assertEquals(0, objections.get("open").asInt(), objections.toString());

        // The end, the countersigned checkpoint, then a day later the archive and a reasoned read of it.
        assertEquals(200, noord.call("POST", "/api/v1/signals/" + atB + "/end", Map.of("reason", "klaar"), "prof-b")
                .status());
        assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, checkpoint(noord));
        assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, checkpoint(oost));
        // (Before noord's clock moves: the coordinator takes no token from the future.)
        // The coordinator's own log, fetched through the node for its auditor: checkpointed the same way, and it
        // holds the countersigning of noord's checkpoint.
        NodeHarness.Response fromCoordinator = noord.call("GET", "/api/v1/audit/coordinator/bundle", null, "auditor");
        assertEquals(200, fromCoordinator.status(), String.valueOf(fromCoordinator.body()));
        AuditBundle coordinatorBundle = AuditBundle.parse(fromCoordinator.body().toString());
        assertEquals("betrokken/coordinator", coordinatorBundle.origin());
        BundleVerifier.verify(coordinatorBundle);
        assertTrue(coordinatorBundle.entries().stream().anyMatch(e -> "checkpoint.countersigned".equals(e.kind())
                && "node:noord".equals(e.actor())), "the coordinator logged countersigning noord's checkpoint");
        assertEquals(403, noord.call("GET", "/api/v1/audit/coordinator/bundle", null, "gemeente").status());
        List<String> atCoordinator = coordinatorBundle.entries().stream().map(e -> e.kind()).toList();
        for (String step : List.of("consent.registered", "consent.answered", "consent.granted", "consent.used",
                "consent.withdrawn", "consent.refused")) {
            assertTrue(atCoordinator.contains(step), "the coordinator logged " + step + ": " + atCoordinator);
        }
        String coordinatorText = coordinatorBundle.toJson();
        for (String content : List.of(youth, parent, purpose, message, "Testkind")) {
            assertFalse(coordinatorText.contains(content), "the coordinator's bundle holds no identity or content");
        }


        AuditFixtures.clock(noord).advance(Period.ofDays(1));
        assertEquals(1, noord.bean(ArchiveService.class).run().archived());
        assertEquals(200, noord.call("POST", "/api/v1/archive/signals/" + atB + "/access",
                Map.of("reason", "controle door de functionaris gegevensbescherming"), "gemeente").status());

        AuditBundle bundle = bundle(noord);
        BundleVerifier.Report report = BundleVerifier.verify(bundle);
        assertTrue(report.countersigned() >= 1, "countersigned by the coordinator: " + report);
        assertEquals("betrokken/node/noord", bundle.origin());
        List<String> kinds = kinds(bundle);
        for (String step : List.of("signal.registered", "match.received", "contact.fetched", "contact.served",
                "signal.viewed", "signal.listed", "matches.listed", "followup.contact-made", "regie.taken",
                "staff.created", "staff.deactivated", "contact.change-pushed", "signal.ended", "signal.archived",
                "archive.run", "archive.read", "access.coordinator", "access.gemeente", "access.auditor",
                "audit.read", "inzage.served", "bezwaar.filed", "bezwaar.listed", "bezwaar.advice-asked",
                "bezwaar.decided", "consent.asked", "consent.answered", "consent.withdrawn", "consent.viewed",
                "exchange.sent", "exchange.refused")) {
            assertTrue(kinds.contains(step), "the bundle holds an entry of " + step + ": " + kinds);
        }
        assertEquals(2, kinds.stream().filter("signal.registered"::equals).count());
        String text = bundle.toJson();
        for (String identity : List.of(youth, parent, "Testkind", atA, atB, atOost, sameNode.toString(),
                crossNode.toString(), "collega@school.example", objection, "niet eens", "onderbouwd", consent,
                refusedConsent, purpose, "begeleiding", message, "jeugdarts")) {
            assertFalse(text.contains(identity), "the bundle names nobody and no signal id");
        }

        // The auditor's command line, as docs/audit.md describes it.
        Path file = Files.createTempFile("noord-bundle", ".json");
        bundle.write(file);
        VerifyRun ok = verifyCommand(file);
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().startsWith("OK betrokken/node/noord: "), ok.output());
        Files.writeString(file, bundle.toJson().replaceFirst("\"index\" : 3,", "\"index\" : 33,"));
        VerifyRun failed = verifyCommand(file);
        assertEquals(1, failed.exit(), failed.output());
        assertTrue(failed.output().startsWith("FAILED betrokken/node/noord: entry 33: stands at position 3"), failed.output());

        AuditBundle atOostBundle = bundle(oost);
        assertTrue(BundleVerifier.verify(atOostBundle).countersigned() >= 1);
        for (String step : List.of("regie.received", "contact.change-received", "contact.served", "inzage.asked",
                "inzage.served", "bezwaar.sent", "exchange.received", "exchange.read")) {
            assertTrue(kinds(atOostBundle).contains(step), "oost logged " + step + ": " + kinds(atOostBundle));
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void tamperingAfterACountersignedCheckpoint_isNamedByTheVerifier(Db db) throws Exception {
        NodeHarness node = enrolledNode(db, "tamper-" + db.name().toLowerCase());
        for (int i = 0; i < 3; i++) {
            String id = register(node, "prof-a", Youths.registration(Youths.bsn()));
            assertEquals(200, node.call("GET", "/api/v1/signals/" + id, null, "prof-a").status());
        }
        assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, checkpoint(node));
        assertEquals(6, BundleVerifier.verify(bundle(node)).coveredEntries() - 2,
                "six entries, then the auditor's request and read; all covered");

        // A stored entry changed.
        execute(node, "UPDATE audit_entry SET actor = 'prof:iemand-anders' WHERE idx = 1");
        assertNamed(node, "entry 1");
        execute(node, "UPDATE audit_entry SET actor = 'prof:" + node.nodeId() + "-prof-a' WHERE idx = 1");
        BundleVerifier.verify(bundle(node));

        // The same change with the leaf hash recomputed to match: the countersigned checkpoint exposes it.
        AuditBundle.Entry second = bundle(node).entries().get(1);
        AuditEvent changed = new AuditEvent(second.kind(), "prof:iemand-anders", second.subject(), second.details());
        byte[] oldLeaf = Base64.getDecoder().decode(second.leafHash());
        execute(node, "UPDATE audit_entry SET actor = ?, leaf_hash = ? WHERE idx = 1", changed.actor(),
                new AuditEntry(1, Instant.parse(second.at()), changed, null).leafHash(LogHasher.rfc6962()));
        AuditVerificationException rewritten = assertThrows(AuditVerificationException.class,
                () -> BundleVerifier.verify(bundle(node)));
        assertTrue(rewritten.where().startsWith("checkpoint 0 (size "), rewritten.getMessage());
        assertTrue(rewritten.getMessage().contains("countersigned by the coordinator"), rewritten.getMessage());
        execute(node, "UPDATE audit_entry SET actor = ?, leaf_hash = ? WHERE idx = 1", second.actor(), oldLeaf);
        BundleVerifier.verify(bundle(node));

        // Two entries swapped.
        execute(node, "UPDATE audit_entry SET idx = -1 WHERE idx = 2");
        execute(node, "UPDATE audit_entry SET idx = 2 WHERE idx = 3");
        execute(node, "UPDATE audit_entry SET idx = 3 WHERE idx = -1");
        assertNamed(node, "entry 2");
        execute(node, "UPDATE audit_entry SET idx = -1 WHERE idx = 2");
        execute(node, "UPDATE audit_entry SET idx = 2 WHERE idx = 3");
        execute(node, "UPDATE audit_entry SET idx = 3 WHERE idx = -1");
        BundleVerifier.verify(bundle(node));

        // An entry deleted.
        execute(node, "DELETE FROM audit_entry WHERE idx = 4");
        assertNamed(node, "entry 5");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void logRewrittenAfterACountersignedCheckpoint_isRefusedRecordedAndExposed(Db db) throws Exception {
        NodeHarness node = enrolledNode(db, "fork-" + db.name().toLowerCase());
        register(node, "prof-a", Youths.registration(Youths.bsn()));
        register(node, "prof-b", Youths.registration(Youths.bsn()));
        assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, checkpoint(node));
        String countersigned = countersignedNotes(bundle(node)).get(0);

        // The operator rewrites the past: entry 0 gets another actor, the tree is rebuilt to match and the kept
        // checkpoints are thrown away. The rewritten log is consistent in itself.
        AuditBundle before = bundle(node);
        AuditBundle.Entry first = before.entries().get(0);
        AuditEvent changed = new AuditEvent(first.kind(), "prof:iemand-anders", first.subject(), first.details());
        byte[] leaf = new AuditEntry(0, Instant.parse(first.at()), changed, null).leafHash(LogHasher.rfc6962());
        execute(node, "UPDATE audit_entry SET actor = ?, leaf_hash = ? WHERE idx = 0", changed.actor(), leaf);
        rebuildHead(node);
        execute(node, "DELETE FROM audit_checkpoint");
        register(node, "prof-a", Youths.registration(Youths.bsn()));
        BundleVerifier.verify(bundle(node)); // without the coordinator's checkpoint nothing shows

        assertEquals(AuditCheckpoints.Outcome.REFUSED, checkpoint(node), "the coordinator refuses the fork");
        assertEquals(1, entries(node, "checkpoint.refused"));
        AuditBundle after = bundle(node);
        AuditBundle.Entry refusal = after.entries().stream().filter(e -> "checkpoint.refused".equals(e.kind()))
                .findFirst().orElseThrow();
        assertEquals("409", refusal.details().get("status"));
        assertEquals("audit-fork", refusal.details().get("problem"));

        List<String> checkpoints = new ArrayList<>(after.checkpoints());
        checkpoints.add(countersigned);
        checkpoints.sort(Comparator.comparingLong(AuditFederationTest::size));
        AuditBundle withEvidence = new AuditBundle(after.origin(), after.logKey(), after.witnessKey(), after.entries(),
                checkpoints);
        AuditVerificationException e = assertThrows(AuditVerificationException.class,
                () -> BundleVerifier.verify(withEvidence));
        assertEquals("checkpoint 0 (size " + size(countersigned) + ")", e.where());
        assertTrue(e.getMessage().contains("countersigned by the coordinator"), e.getMessage());
    }

    record VerifyRun(int exit, String output) {
    }

    /** {@code java -jar audit/target/audit.jar verify FILE}, the built verifier in a process of its own. */
    static VerifyRun verifyCommand(Path bundle) throws Exception {
        Path jar = Path.of("..", "audit", "target", "audit.jar");
        assertTrue(Files.exists(jar), jar.toAbsolutePath() + " is missing: build the audit module first");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toAbsolutePath().toString(), "verify", bundle.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new VerifyRun(p.waitFor(), output);
    }

    static void assertNamed(NodeHarness node, String where) {
        AuditVerificationException e = assertThrows(AuditVerificationException.class,
                () -> BundleVerifier.verify(bundle(node)));
        assertEquals(where, e.where(), e.getMessage());
    }

    static List<String> countersignedNotes(AuditBundle bundle) {
        return bundle.checkpoints().stream().filter(n -> n.contains("betrokken/coordinator/witness")).toList();
    }

    static long size(String note) {
        return Long.parseLong(note.split("\n", 3)[1]);
    }

    /** What a rewrite does to the tree: the frontier recomputed from the stored leaf hashes. */
    static void rebuildHead(NodeHarness node) {
        tx(node).executeWrite(status -> {
            MerkleFrontier frontier = MerkleFrontier.empty(LogHasher.rfc6962());
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT leaf_hash FROM audit_entry ORDER BY idx"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    frontier = frontier.append(rs.getBytes(1));
                }
            }
            StringBuilder nodes = new StringBuilder();
            for (byte[] n : frontier.nodes()) {
                nodes.append(nodes.length() == 0 ? "" : ",").append(Base64.getEncoder().encodeToString(n));
            }
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "UPDATE audit_head SET size = ?, frontier = ? WHERE id = 1")) {
                s.setLong(1, frontier.size());
                s.setString(2, nodes.toString());
                return s.executeUpdate();
            }
        });
    }

    /** {@code node}'s professional prof-a asks consent on {@code match}: the consent's id. */
    static String ask(NodeHarness node, UUID match, String purpose) {
        NodeHarness.Response r = node.call("POST", "/api/v1/matches/" + match + "/consent-requests",
                Map.of("purpose", purpose), "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    static String consentStatus(NodeHarness node, UUID match) {
        NodeHarness.Response r = node.call("GET", "/api/v1/matches/" + match + "/consent", null, "prof-a");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body().get("status").asText();
    }

    /** A dev identity provider's token for {@code bsn} at {@code node}. */
    static String citizenToken(NodeHarness node, String bsn) {
        NodeHarness.Response token = node.call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        return token.body().get("access_token").asText();
    }

    static String register(NodeHarness node, String user, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, user);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** The signal's matches once there are {@code count}, each with its counterpart's contact (at most 30 s). */
    static List<JsonNode> awaitMatches(NodeHarness node, String user, String signalId, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode m : node.call("GET", "/api/v1/matches", null, user).body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart")) {
                    found.add(m);
                }
            }
            if (found.size() >= count) {
                return found;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(count + " matches for a signal at " + node.nodeId() + " within 30 s");
    }

    static UUID matchWith(List<JsonNode> matches, boolean crossRegion) {
        Map<Boolean, UUID> byRegion = new LinkedHashMap<>();
        matches.forEach(m -> byRegion.put(m.get("crossRegion").asBoolean(), UUID.fromString(m.get("id").asText())));
        return byRegion.get(crossRegion);
    }
}
