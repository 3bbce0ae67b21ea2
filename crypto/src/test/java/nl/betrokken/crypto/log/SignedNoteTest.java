package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {

    private static final JsonNode NOTES = Vectors.read("/vectors/log/signed-notes.json");

    @Test
    void sign_withGoTestKey_givesExactlyThePublishedNote() {
        List<String> failures = new ArrayList<>();
        for (JsonNode t : NOTES.get("sign")) {
            String skey = t.get("skey").asText();
            String name = skey.split("\\+")[2];
            Ed25519NoteSigner signer = Ed25519NoteSigner.fromSeed(name, Vectors.seedOfGoSignerKey(skey));
            String got = SignedNote.sign(t.get("text").asText(), signer).marshal();
            if (!got.equals(t.get("want").asText())) {
                failures.add("tcId " + t.get("tcId").asInt() + ": got\n" + got);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void parseAndVerify_publishedNotes_acceptOrRefuseForTheStatedReason() {
        List<String> failures = new ArrayList<>();
        for (JsonNode t : NOTES.get("open")) {
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            NoteVerifier verifier = NoteVerifier.parse(t.get("vkey").asText());
            try {
                SignedNote note = SignedNote.parse(t.get("note").asText());
                note.verify(verifier);
                if (!t.get("wantErr").isBoolean()) {
                    failures.add(id + ": accepted, want " + t.get("wantErr").asText());
                } else if (!note.text().equals(t.get("wantText").asText())) {
                    failures.add(id + ": text " + note.text());
                } else if (!note.marshal().equals(t.get("note").asText())) {
                    failures.add(id + ": marshals to another note");
                }
            } catch (NoteException e) {
                if (!e.reason().name().equals(t.get("wantErr").asText())) {
                    failures.add(id + ": " + e.getMessage());
                }
            }
        }
        assertEquals(13, NOTES.get("open").size());
        assertEquals(List.of(), failures);
    }

    @Test
    void parse_withMoreThan100SignatureLines_isMalformed() {
        JsonNode goNote = NOTES.get("open").get(0);
        String text = goNote.get("wantText").asText();
        String line = goNote.get("note").asText().substring(text.length() + 1).split("\n")[0] + "\n";

        NoteException e = assertThrows(NoteException.class,
                () -> SignedNote.parse(text + "\n" + line.repeat(101)));
        assertEquals(NoteException.Reason.MALFORMED_NOTE, e.reason());
        assertEquals("MALFORMED_NOTE: note has 101 signature lines; at most 100 are read", e.getMessage());
    }

    @Test
    void parse_withControlCharacter_namesItsOffset() {
        NoteException e = assertThrows(NoteException.class, () -> SignedNote.parse("a\rb\n\n\u2014 k AAAAAAA=\n"));
        assertEquals("MALFORMED_NOTE: note has control character or lone surrogate U+000D at offset 1; only"
                + " newline is allowed", e.getMessage());
    }

    @Test
    void withSignature_bySameKey_replacesTheLine_andKeepsOthers() {
        Ed25519NoteSigner log = Vectors.publishedSigner("Log");
        Ed25519NoteSigner known = Vectors.publishedSigner("Known");

        SignedNote note = SignedNote.sign("text\n", log, known).withSignature(log);

        assertEquals(2, note.signatures().size());
        assertEquals("Known", note.signatures().get(0).keyName());
        assertEquals("Log", note.signatures().get(1).keyName());
    }

    @Test
    void verify_withOneOfTwoLinesByTheKeyBad_throwsBadSignature() throws NoteException {
        Ed25519NoteSigner log = Vectors.publishedSigner("Log");
        String good = SignedNote.sign("text\n", log).marshal();
        String other = SignedNote.sign("other\n", log).marshal();
        String otherLine = other.substring("other\n\n".length());

        SignedNote twice = SignedNote.parse(good + otherLine);

        NoteException e = assertThrows(NoteException.class, () -> twice.verify(log.verifier()));
        assertEquals(NoteException.Reason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void sign_withTextWithoutFinalNewline_throws() {
        Ed25519NoteSigner log = Vectors.publishedSigner("Log");

        assertThrows(IllegalArgumentException.class, () -> SignedNote.sign("abc", log));
        assertThrows(IllegalArgumentException.class, () -> SignedNote.sign("a\u0000b\n", log));
        assertThrows(IllegalArgumentException.class, () -> SignedNote.sign("abc\n"));
    }

    @Test
    void toString_namesTheKeys_notTheText() {
        SignedNote note = SignedNote.sign("secret text\n", Vectors.publishedSigner("Log"));

        assertEquals("SignedNote[1 signatures: Log+2271c621]", note.toString());
    }
}
