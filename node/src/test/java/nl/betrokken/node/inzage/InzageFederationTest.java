package nl.betrokken.node.inzage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.audit.AccessLogFile;
import nl.betrokken.audit.AccessLogVerifier;
import nl.betrokken.audit.AuditVerificationException;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * Inzage through a real coordinator process (its {@code /internal/v1/inzage} look-up and inzage tickets) and two
 * nodes, noord on H2 and oost on PostgreSQL: a parent signed in at one node sees their child's signals at both, and
 * the signal of a sibling registered with them as parent; a stranger sees nothing. The access log downloaded as one
 * file names who did what (registered, viewed, matched with which organisation, the counterpart's node fetching the
 * contact data, inzage served) and verifies offline, with the built {@code audit.jar verify-inzage} too, against the
 * coordinator's published keys; changed entries, proofs, signatures and keys are named. A held-back signal is absent
 * from it until the gemeente releases it, and then comes with the proof that its entries were logged all along.
 */
class InzageFederationTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost();
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    @Test
    void parent_signedInAtOneNode_seesTheSignalsOfTheirChildrenAtEveryNode() {
        String child = Youths.bsn();
        String sibling = Youths.bsn();
        String mother = Youths.bsn();
        String father = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String atNoord = register("noord", Youths.registration(child, born, mother, father));
        String atOost = register("oost", Youths.registration(child, born));
        String siblingAtOost = register("oost", Youths.registration(sibling, born, mother));

        // The look-up finds what the coordinator holds: wait until the outboxes delivered all three.
        JsonNode page = awaitItems("noord", mother, 3);
        assertEquals(Set.of("noord:" + atNoord, "oost:" + atOost, "oost:" + siblingAtOost), keys(page));
        assertEquals(0, page.get("unavailable").size(), page.toString());
        for (JsonNode item : page.get("items")) {
            assertEquals("PARENT", item.get("relation").asText(), item.toString());
            assertTrue(item.get("organisation").asText().startsWith(item.get("node").asText() + "-org-"),
                    item.toString());
            assertTrue(item.has("activeUntil") && item.has("deleteAfter") && item.get("accesses").isArray(),
                    item.toString());
        }

        // The father is named on noord's signal only, so the child's signals are his; the sibling's is not.
        assertEquals(Set.of("noord:" + atNoord, "oost:" + atOost), keys(signals("oost", father)));
        assertEquals(Set.of(), keys(signals("oost", Youths.bsn())), "a stranger sees nothing");
    }

    @Test
    void accessLog_downloadedAsOneFile_namesWhoDidWhat_andVerifiesOffline(@TempDir Path dir) throws Exception {
        String child = Youths.bsn();
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(8).toString();
        String atNoord = register("noord", Youths.registration(child, born, mother));
        String atOost = register("oost", Youths.registration(child, born));
        assertEquals(200, NODES.get("noord").call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").status());

        // oost fetches the contact data behind noord's signal once the match is made: noord logs contact.served.
        // noord's match.received is written just after oost served noord its contact: wait for it as well.
        AccessLogFile file = awaitFile("oost", mother, f -> actions(f, "noord", atNoord).contains("contact.served")
                && actions(f, "oost", atOost).contains("contact.served")
                && actions(f, "noord", atNoord).contains("match.received"));
        assertEquals(AccessLogFile.FORMAT, file.format());
        assertEquals("oost", file.node());
        assertEquals(List.of(), file.unavailable());

        AccessLogFile.Signal noord = signal(file, "noord", atNoord);
        AccessLogFile.Entry registered = entry(noord, "signal.registered");
        assertEquals("prof", registered.role());
        assertTrue(registered.organisation().startsWith("noord-org-"), registered.toString());
        assertNotNull(registered.professional(), "the registering professional is named");
        assertNotNull(registered.purpose());
        AccessLogFile.Entry viewed = entry(noord, "signal.viewed");
        assertEquals("prof", viewed.role());
        assertEquals(registered.organisation(), viewed.organisation());
        assertEquals(null, viewed.professional(), "no other professional is named");
        AccessLogFile.Entry matched = entry(noord, "match.received");
        assertEquals("oost", matched.counterpartNode());
        assertTrue(matched.counterpart().startsWith("oost-org-"), "matched with which organisation: " + matched);
        AccessLogFile.Entry served = entry(noord, "contact.served");
        assertEquals("node", served.role());
        assertEquals("oost", served.node());
        assertTrue(served.organisation().startsWith("oost-org-"), "fetched by the counterpart's organisation: " + served);
        assertEquals("oost", entry(noord, "inzage.served").node());
        for (AccessLogFile.NodeLog log : file.logs()) {
            for (AccessLogFile.Signal signal : log.signals()) {
                for (AccessLogFile.Entry e : signal.entries()) {
                    assertTrue(e.proof().covered(), "countersigned before the answer: " + e.index() + " " + e.action());
                }
            }
        }

        // Offline, against the coordinator's published keys (its log key for every node included).
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, get(federation.coordinatorUrl() + "/.well-known/betrokken-audit-keys.json", null).body());
        AccessLogFile.PublishedKeys published = AccessLogFile.PublishedKeys.read(keys);
        AccessLogVerifier.Report report = AccessLogVerifier.verify(file, published);
        assertEquals(0, report.notCovered());
        assertEquals(2, report.logs());
        Path path = dir.resolve("toegangslog.json");
        file.write(path);
        VerifyRun ok = verifyInzage(path, keys);
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().startsWith("OK: "), ok.output());

        // A changed entry, a changed proof hash, a forged checkpoint signature, another witness key: each named.
        String where = "noord, signal " + atNoord + ", entry " + viewed.index();
        AccessLogFile changed = AccessLogFile.parse(file.toJson().replace(
                viewed.proof().leaf().replace("\"", "\\\""),
                viewed.proof().leaf().replace("signal.viewed", "signal.ended").replace("\"", "\\\"")));
        changed.write(path);
        VerifyRun failed = verifyInzage(path, keys);
        assertEquals(1, failed.exit(), failed.output());
        assertTrue(failed.output().startsWith("FAILED " + where + ": its leaf does not hash to its leaf hash"),
                failed.output());

        // The topmost hash: an inner node of the tree (the lowest one may be another entry's leaf hash in the file).
        String hash = viewed.proof().hashes().get(viewed.proof().hashes().size() - 1);
        byte[] flipped = Base64.getDecoder().decode(hash);
        flipped[0] ^= 1;
        assertNamed(AccessLogFile.parse(file.toJson().replace(hash, Base64.getEncoder().encodeToString(flipped))),
                published, "its inclusion proof does not lead to the root");

        AccessLogFile.NodeLog noordLog = log(file, "noord");
        String note = noordLog.checkpoints().get(0);
        String signatureLine = note.lines().filter(l -> l.startsWith("\u2014 betrokken/node/noord ")).findFirst()
                .orElseThrow();
        byte[] signature = Base64.getDecoder().decode(signatureLine.substring(signatureLine.lastIndexOf(' ') + 1));
        signature[12] ^= 1;
        String forged = signatureLine.substring(0, signatureLine.lastIndexOf(' ') + 1)
                + Base64.getEncoder().encodeToString(signature);
        assertNamed(AccessLogFile.parse(file.toJson().replace(signatureLine, forged)), published,
                "does not verify as a checkpoint of betrokken/node/noord signed by the node's log key");

        String otherWitness = nl.betrokken.crypto.log.CosignatureV1Signer.fromSeed("betrokken/coordinator/witness",
                nl.betrokken.crypto.keys.SecretBytes.random(32, new java.security.SecureRandom()),
                java.time.Clock.systemUTC()).verifier().verifierKey();
        AccessLogFile wrongWitness = AccessLogFile.parse(file.toJson().replace(noordLog.witnessKey(), otherWitness));
        assertNamed(wrongWitness, published, "is not the coordinator's published witness key");
        assertNamed(wrongWitness, null, "is not countersigned by the coordinator's witness key");
    }

    @Test
    void heldBackSignal_isNotInTheAccessLog_untilReleased_thenWithProofItWasLoggedAllAlong(@TempDir Path dir)
            throws Exception {
        String child = Youths.bsn();
        String parent = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(6).toString();
        String informed = register("noord", Youths.registration(child, born, parent));
        Map<String, Object> veiligThuis = Youths.registration(child, born, parent);
        veiligThuis.put("parentsInformed", Map.of("notInformedReason", "informeren brengt het kind in gevaar"));
        String held = register("oost", veiligThuis);
        assertEquals(200, NODES.get("oost").call("GET", "/api/v1/signals/" + held, null, "prof-a").status());

        // Both at the coordinator (the match between them is made): the held-back one is still not shown.
        AccessLogFile before = awaitFile("noord", parent, f -> actions(f, "noord", informed).contains("match.received"));
        assertEquals(Set.of("noord"), Set.copyOf(before.logs().stream().map(AccessLogFile.NodeLog::node).toList()));
        assertEquals(List.of(), before.unavailable(), "nothing says that something was held back");
        assertTrue(!before.toJson().contains(held));

        NodeHarness.Response released = NODES.get("oost").call("POST", "/api/v1/audit/held/" + held + "/release", null,
                "gemeente");
        assertEquals(200, released.status(), String.valueOf(released.body()));

        AccessLogFile after = awaitFile("noord", parent, f -> f.logs().stream().anyMatch(l -> l.node().equals("oost")));
        AccessLogFile.Signal signal = signal(after, "oost", held);
        AccessLogFile.Entry release = entry(signal, "audit.released");
        assertEquals("gemeente", release.role());
        List<String> sealedThenReleased = new ArrayList<>();
        for (AccessLogFile.Entry e : signal.entries()) {
            if (e.proof().released() != null) {
                sealedThenReleased.add(e.action());
                assertNotNull(e.proof().released().treeSize(), "a checkpoint countersigned while sealed: " + e);
                assertTrue(e.proof().released().treeSize() <= release.index());
                assertEquals(release.index(), e.proof().released().releasedBy());
                assertTrue(e.proof().leaf().contains("\"sealed\""), "the leaf as logged: its sealed form");
            }
        }
        assertTrue(sealedThenReleased.containsAll(List.of("signal.registered", "signal.viewed")),
                sealedThenReleased.toString());
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, get(federation.coordinatorUrl() + "/.well-known/betrokken-audit-keys.json", null).body());
        AccessLogVerifier.Report report = AccessLogVerifier.verify(after, AccessLogFile.PublishedKeys.read(keys));
        assertEquals(sealedThenReleased.size(), report.releasedProven());
        Path path = dir.resolve("toegangslog.json");
        after.write(path);
        VerifyRun ok = verifyInzage(path, keys);
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().contains("held back and released, proven to have been in the log while held back"),
                ok.output());

        // A salt that does not open the commitment, or a "held back" checkpoint that already holds the release.
        AccessLogFile.Entry first = signal.entries().stream().filter(e -> e.proof().released() != null).findFirst()
                .orElseThrow();
        byte[] salt = Base64.getDecoder().decode(first.proof().released().salt());
        salt[0] ^= 1;
        assertNamed(AccessLogFile.parse(after.toJson().replace(first.proof().released().salt(),
                Base64.getEncoder().encodeToString(salt))), null, "does not open its commitment");
    }

    private static void assertNamed(AccessLogFile file, AccessLogFile.PublishedKeys keys, String why) {
        AuditVerificationException e = assertThrows(AuditVerificationException.class,
                () -> AccessLogVerifier.verify(file, keys));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    record VerifyRun(int exit, String output) {
    }

    /** {@code java -jar audit/target/audit.jar verify-inzage FILE --keys KEYS}, the built verifier in its own process. */
    private static VerifyRun verifyInzage(Path file, Path keys) throws Exception {
        Path jar = Path.of("..", "audit", "target", "audit.jar");
        assertTrue(Files.exists(jar), jar.toAbsolutePath() + " is missing: build the audit module first");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toAbsolutePath().toString(), "verify-inzage", file.toString(), "--keys", keys.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new VerifyRun(p.waitFor(), output);
    }

    /** The access-log file of {@code bsn}, downloaded at {@code node}, once it satisfies {@code ready} (30 s at most). */
    private static AccessLogFile awaitFile(String node, String bsn, Predicate<AccessLogFile> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        AccessLogFile file = download(node, bsn);
        while (!ready.test(file) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            file = download(node, bsn);
        }
        assertTrue(ready.test(file), file.toJson());
        return file;
    }

    private static AccessLogFile download(String node, String bsn) throws Exception {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        HttpResponse<String> r = get("http://127.0.0.1:" + NODES.get(node).port() + "/api/v1/citizen/access-log",
                token.body().get("access_token").asText());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename="),
                r.headers().toString());
        return AccessLogFile.parse(r.body());
    }

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AccessLogFile.NodeLog log(AccessLogFile file, String node) {
        return file.logs().stream().filter(l -> l.node().equals(node)).findFirst().orElseThrow(
                () -> new AssertionError("no log of " + node));
    }

    private static AccessLogFile.Signal signal(AccessLogFile file, String node, String id) {
        return log(file, node).signals().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no signal " + id + " at " + node));
    }

    private static List<String> actions(AccessLogFile file, String node, String id) {
        return file.logs().stream().filter(l -> l.node().equals(node)).flatMap(l -> l.signals().stream())
                .filter(s -> s.id().equals(id)).flatMap(s -> s.entries().stream()).map(AccessLogFile.Entry::action)
                .toList();
    }

    private static AccessLogFile.Entry entry(AccessLogFile.Signal signal, String action) {
        return signal.entries().stream().filter(e -> e.action().equals(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " in " + signal.entries()));
    }

    private static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static JsonNode awaitItems(String node, String bsn, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode page = signals(node, bsn);
        while (page.get("items").size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            page = signals(node, bsn);
        }
        return page;
    }

    /** The inzage of {@code bsn}, signed in at {@code node} through its dev identity provider. */
    private static JsonNode signals(String node, String bsn) {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        NodeHarness.Response r = NODES.get(node).call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    private static Set<String> keys(JsonNode page) {
        Set<String> out = new TreeSet<>();
        page.get("items").forEach(i -> out.add(i.get("node").asText() + ":" + i.get("id").asText()));
        return out;
    }
}
