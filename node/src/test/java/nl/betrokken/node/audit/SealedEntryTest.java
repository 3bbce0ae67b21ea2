package nl.betrokken.node.audit;

import static nl.betrokken.node.audit.AuditFixtures.bundle;
import static nl.betrokken.node.audit.AuditFixtures.kinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.AuditVerificationException;
import nl.betrokken.audit.BundleVerifier;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;

/**
 * The Veilig Thuis exception: a signal registered without informing the parents is committed to the tree at once but
 * sealed, its content not readable; after the gemeente releases it, the bundle verifies with it opened, against the
 * checkpoint signed while it was sealed, so it cannot have been added afterwards.
 */
class SealedEntryTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void heldBackRegistration_isCommittedSealedAndOpensOnRelease(Db db) throws Exception {
        try (NodeHarness node = NodeHarness.start(db, "noord", null, null)) {
            String bsn = Youths.bsn();
            Map<String, Object> body = new HashMap<>(Youths.registration(bsn));
            body.put("parentsInformed", Map.of("notInformedReason", "Veilig Thuis onderzoekt de thuissituatie"));
            NodeHarness.Response registered = node.call("POST", "/api/v1/signals", body, "prof-a");
            assertEquals(201, registered.status(), String.valueOf(registered.body()));
            String id = registered.body().get("id").asText();
            assertEquals(200, node.call("GET", "/api/v1/signals/" + id, null, "prof-a").status());
            String reference = node.bean(NodeAudit.class).signal(UUID.fromString(id));

            AuditBundle before = bundle(node);
            List<AuditBundle.Entry> sealed = before.entries().stream().filter(e -> e.kind() == null).toList();
            assertEquals(2, sealed.size(), "the registration and the view, sealed");
            sealed.forEach(e -> assertNotNull(e.commitment(), "committed to"));
            sealed.forEach(e -> assertNull(e.salt(), "not openable yet"));
            assertFalse(kinds(before).contains("signal.registered"));
            String text = before.toJson();
            for (String hidden : List.of(id, reference, bsn, "Testkind", "prof-a")) {
                assertFalse(text.contains(hidden), "a sealed entry shows nothing of its content");
            }
            assertEquals(2, BundleVerifier.verify(before).entries() - kinds(before).size());

            String today = LocalDate.now(ClockFactory.ZONE).toString();
            JsonNode listed = node.call("GET", "/api/v1/audit/entries?from=" + today + "&to=" + today, null, "auditor")
                    .body().get("entries");
            List<JsonNode> commitments = new ArrayList<>();
            listed.forEach(e -> {
                if (!e.has("kind")) {
                    commitments.add(e);
                }
            });
            assertEquals(2, commitments.size(), "the auditor sees the sealed entries as commitments only");
            assertEquals(sealed.get(0).commitment(), commitments.get(0).get("commitment").asText());

            JsonNode held = node.call("GET", "/api/v1/audit/held", null, "gemeente").body().get("items");
            assertEquals(1, held.size());
            assertEquals(reference, held.get(0).get("reference").asText());
            assertEquals(2, held.get(0).get("sealedEntries").asInt());
            for (String other : List.of("prof-a", "auditor", "coord-a")) {
                assertEquals(403, node.call("POST", "/api/v1/audit/held/" + id + "/release", null, other).status(),
                        "only the gemeente releases");
            }

            // Its review date: three months after it was held, then one the gemeente sets, itself a sealed entry.
            LocalDate day = LocalDate.now(ClockFactory.ZONE);
            assertEquals(day.plusMonths(3).toString(), held.get(0).get("reviewOn").asText());
            Map<String, String> review = Map.of("on", day.plusDays(30).toString(), "reason", "Onderzoek loopt nog.");
            assertEquals(403, node.call("POST", "/api/v1/audit/held/" + id + "/review", review, "prof-a").status());
            NodeHarness.Response reviewed = node.call("POST", "/api/v1/audit/held/" + id + "/review", review,
                    "gemeente");
            assertEquals(200, reviewed.status(), String.valueOf(reviewed.body()));
            assertEquals(day.plusDays(30).toString(), reviewed.body().get("reviewOn").asText());
            assertEquals("Onderzoek loopt nog.", reviewed.body().get("reviewReason").asText());
            assertEquals(3, reviewed.body().get("sealedEntries").asInt(), "audit.review-set, sealed with the rest");

            NodeHarness.Response released = node.call("POST", "/api/v1/audit/held/" + id + "/release", null, "gemeente");
            assertEquals(200, released.status(), String.valueOf(released.body()));
            assertEquals(3, released.body().get("entries").asInt());
            assertEquals(404, node.call("POST", "/api/v1/audit/held/" + id + "/review", review, "gemeente").status(),
                    "a released hold has no review date to set");
            assertEquals(404, node.call("POST", "/api/v1/audit/held/" + id + "/release", null, "gemeente").status(),
                    "released once");
            assertEquals(200, node.call("GET", "/api/v1/signals/" + id, null, "prof-a").status());

            AuditBundle after = bundle(node);
            BundleVerifier.Report report = BundleVerifier.verify(after);
            assertTrue(after.checkpoints().containsAll(before.checkpoints()),
                    "the checkpoint signed while they were sealed is verified against the opened entries");
            assertTrue(report.checkpoints() > before.checkpoints().size());
            for (AuditBundle.Entry e : sealed) {
                AuditBundle.Entry opened = after.entries().get((int) e.index());
                assertNotNull(opened.kind());
                assertNotNull(opened.salt(), "released with the salt that opens its commitment");
                assertEquals(e.commitment(), opened.commitment());
                assertEquals(e.leafHash(), opened.leafHash(), "the same leaf as before the release");
                assertEquals(reference, opened.subject());
            }
            assertEquals("signal.registered", after.entries().get((int) sealed.get(0).index()).kind());
            assertEquals("signal.viewed", after.entries().get((int) sealed.get(1).index()).kind());
            assertTrue(kinds(after).contains("audit.released"));
            AuditBundle.Entry last = after.entries().stream().filter(e -> "signal.viewed".equals(e.kind()))
                    .reduce((a, b) -> b).orElseThrow();
            assertNull(last.commitment(), "after the release, entries about the signal are appended open");

            // A released entry whose content is changed no longer opens its commitment.
            AuditFixtures.execute(node, "UPDATE audit_entry SET actor = 'prof:iemand-anders' WHERE idx = ?",
                    sealed.get(0).index());
            AuditVerificationException e = assertThrows(AuditVerificationException.class,
                    () -> BundleVerifier.verify(bundle(node)));
            assertEquals("entry " + sealed.get(0).index(), e.where());
        }
    }
}
