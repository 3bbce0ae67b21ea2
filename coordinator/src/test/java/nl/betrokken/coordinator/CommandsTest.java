package nl.betrokken.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenKeyPair;

class CommandsTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Commands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void enrol_withPublicJwksFile_enrolsTheNode(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("noord.jwks.json");
        TokenKeyPair key = TokenKeyPair.generate("noord-1"); // as nodes made before thumbprint key ids have it
        Files.writeString(jwks, PublicKeySet.of(key.publicJwk()).toJson());
        Run run = run("enrol", "noord", jwks.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("enrolled noord [" + TokenKeyPair.thumbprint(key.publicJwk()) + "]"), run.out());
    }

    @Test
    void enrol_withKeyOfAnotherNode_failsSayingWhy(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("oost.jwks.json");
        Files.writeString(jwks, PublicKeySet.of(TokenKeyPair.generate("oost-1").publicJwk()).toJson());
        Run run = run("enrol", "oost", jwks.toString(), "noord", jwks.toString());
        assertEquals(1, run.status());
        assertTrue(run.err().contains("is enrolled for node oost"), run.err());
    }

    @Test
    void unknownCommand_printsUsage() {
        Run run = run("frobnicate");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("usage:"), run.err());
    }

    @Test
    void retention_runsAndReports() {
        Run run = run("retention");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("retention on "), run.out());
    }

    @Test
    void federationEpochRetire_withoutOrWithABadEpoch_refusesSayingWhy() {
        assertEquals(2, run("federation-epoch-retire").status());
        Run run = run("federation-epoch-retire", "0");
        assertEquals(1, run.status());
        assertTrue(run.err().contains("epoch 0 must be positive"), run.err());
    }
}
