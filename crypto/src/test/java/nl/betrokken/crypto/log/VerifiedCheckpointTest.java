package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifiedCheckpointTest {

    private static final JsonNode NOTES = Vectors.read("/vectors/log/signed-notes.json");

    @Test
    void open_publishedCheckpoints_givesSizeRootAndCosignatureTimes() {
        List<String> failures = new ArrayList<>();
        for (JsonNode t : NOTES.get("checkpoints")) {
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            VerifiedCheckpoint opened;
            try {
                opened = VerifiedCheckpoint.open(t.get("note").asText(), t.get("origin").asText(),
                        NoteVerifier.parse(t.get("vkey").asText()));
            } catch (NoteException e) {
                if (!e.reason().name().equals(t.get("wantErr").asText())) {
                    failures.add(id + ": " + e.getMessage());
                }
                continue;
            }
            if (!t.get("wantErr").isBoolean()) {
                failures.add(id + ": accepted, want " + t.get("wantErr").asText());
                continue;
            }
            Checkpoint cp = opened.checkpoint();
            if (cp.size() != t.get("wantSize").asLong()
                    || !Base64.getEncoder().encodeToString(cp.rootHash()).equals(t.get("wantRoot").asText())) {
                failures.add(id + ": opened " + cp);
            }
            Optional<Instant> wantLogTime = t.has("wantLogTime")
                    ? Optional.of(Instant.parse(t.get("wantLogTime").asText()))
                    : Optional.empty();
            if (!opened.logTime().equals(wantLogTime)) {
                failures.add(id + ": log time " + opened.logTime());
            }
            for (JsonNode c : t.get("cosigners")) {
                try {
                    Instant at = opened.cosignedAt(CosignatureV1Verifier.parse(c.get("vkey").asText()));
                    if (!at.equals(Instant.parse(c.get("wantTime").asText()))) {
                        failures.add(id + ": " + c.get("vkey").asText() + " cosigned at " + at);
                    }
                } catch (NoteException e) {
                    failures.add(id + ": " + e.getMessage());
                }
            }
        }
        assertEquals(5, NOTES.get("checkpoints").size());
        assertEquals(List.of(), failures);
    }

    @Test
    void parse_cosignatureSpecExample_readsKeyIdsAndTheSignedTime() throws NoteException {
        for (JsonNode t : NOTES.get("parse")) {
            SignedNote note = SignedNote.parse(t.get("note").asText());
            Checkpoint cp = Checkpoint.parseBody(note.text());

            assertEquals(t.get("wantOrigin").asText(), cp.origin());
            assertEquals(t.get("wantSize").asLong(), cp.size());
            JsonNode want = t.get("wantSignatures");
            assertEquals(want.size(), note.signatures().size());
            for (int i = 0; i < want.size(); i++) {
                SignedNote.Signature got = note.signatures().get(i);
                assertEquals(want.get(i).get("keyName").asText(), got.keyName());
                assertEquals(want.get(i).get("keyId").asText(), HexFormat.of().toHexDigits(got.keyId()));
                assertEquals(want.get(i).get("length").asInt(), got.signature().length);
                if (want.get(i).has("wantTime")) {
                    // Any cosignature/v1 verifier reads the format; this key is not the (unpublished) witness's.
                    CosignatureV1Verifier anyCosigner = CosignatureV1Verifier.parse(
                            "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2");
                    assertEquals(Optional.of(Instant.parse(want.get(i).get("wantTime").asText())),
                            anyCosigner.timestamp(got.signature()));
                }
            }
        }
    }

    @Test
    void open_checkpointNotes_refusesEachFaultWithItsOwnReasonAndMessage() {
        JsonNode doc = Vectors.read("/vectors/log/checkpoint-open.json");
        NoteVerifier log = Vectors.publishedSigner("Log").verifier();
        List<String> failures = new ArrayList<>();
        for (JsonNode t : doc.get("tests")) {
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            String note = note(t);
            try {
                VerifiedCheckpoint opened = VerifiedCheckpoint.open(note, t.get("origin").asText(), log);
                if (!t.get("wantErr").isBoolean()) {
                    failures.add(id + ": accepted, want " + t.get("wantErr").asText());
                } else if (!opened.checkpoint().body().equals(t.get("body").asText())) {
                    failures.add(id + ": body " + opened.checkpoint().body());
                }
            } catch (NoteException e) {
                if (!e.reason().name().equals(t.get("wantErr").asText())
                        || !e.getMessage().contains(t.get("wantMessage").asText())) {
                    failures.add(id + ": " + e.getMessage());
                }
            }
        }
        assertEquals(18, doc.get("tests").size());
        assertEquals(List.of(), failures);
    }

    /** Builds the note a case describes: its body signed by the listed published keys, perhaps tampered with. */
    private static String note(JsonNode t) {
        String body = t.get("body").asText();
        List<NoteSigner> signers = new ArrayList<>();
        t.get("signedBy").forEach(name -> signers.add(Vectors.publishedSigner(name.asText())));
        if (signers.isEmpty()) {
            return body;
        }
        String note = SignedNote.sign(body, signers.toArray(NoteSigner[]::new)).marshal();
        if (t.has("tamperedBody")) {
            note = t.get("tamperedBody").asText() + note.substring(body.length());
        }
        return note;
    }

    @Test
    void open_signedByACosignatureV1LogKey_carriesTheLogTime() throws NoteException {
        Instant now = Instant.parse("2026-06-01T10:00:00Z");
        CosignatureV1Signer node = CosignatureV1Signer.fromSeed("betrokken.nl/node/utrecht",
                Vectors.seedOfGoSignerKey("PRIVATE+KEY+Known+451c786d+AQPRoE2+Z+Ed1HaHBA9F/FfracvcZ2rDU39kCecMEoci"),
                Clock.fixed(now, ZoneOffset.UTC));
        Checkpoint cp = new Checkpoint("betrokken.nl/node/utrecht", 0, LogHasher.rfc6962().emptyRoot());

        VerifiedCheckpoint opened =
                VerifiedCheckpoint.open(cp.sign(node).marshal(), "betrokken.nl/node/utrecht", node.verifier());

        assertEquals(cp, opened.checkpoint());
        assertEquals(Optional.of(now), opened.logTime());
    }

    @Test
    void cosignedAt_withoutThatCosigner_throwsUnknownKey() throws NoteException {
        Ed25519NoteSigner log = Vectors.publishedSigner("Log");
        Checkpoint cp = new Checkpoint("TestParseCheckpoint", 0, LogHasher.rfc6962().emptyRoot());
        VerifiedCheckpoint opened = VerifiedCheckpoint.open(cp.sign(log).marshal(), cp.origin(), log.verifier());
        CosignatureV1Verifier remora = CosignatureV1Verifier.parse(
                "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2");

        NoteException e = assertThrows(NoteException.class, () -> opened.cosignedAt(remora));
        assertEquals("UNKNOWN_KEY: note has no signature by key remora.n621.de+da77ade7; it is signed by"
                + " Log+2271c621", e.getMessage());
    }
}
