package nl.betrokken.coordinator.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.coordinator.intake.EpochRetirement;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;

class KeyRotationTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void rotation_oldEpochKeepsMatchingAndResubmissionMakesNoDuplicate(Db db) {
        Harness h = Harness.shared(db);
        Instant now = Instant.now();
        KeyRing before = KeyRing.generate(new SecureRandom(), now.minus(Duration.ofDays(400)));
        KeyRing after = before.rotate(new SecureRandom(), now, Duration.ofDays(30));
        Pseudonymizer epochOne = HmacPseudonymizer.create(before, Clock.fixed(now, ZoneOffset.UTC));
        Pseudonymizer transition = HmacPseudonymizer.create(after, Clock.fixed(now, ZoneOffset.UTC));
        Pseudonymizer epochTwo = HmacPseudonymizer.create(after, Clock.fixed(now.plus(Duration.ofDays(31)), ZoneOffset.UTC));
        LocalDate today = LocalDate.now(h.clock());

        TestNode a = h.enrol("noord");
        TestNode b = h.enrol("oost");
        TestNode c = h.enrol("zuid");
        String child = People.bsn();
        a.submit(List.of(People.record("a-1", "org", today, epochOne, child)));
        b.submit(List.of(People.record("b-1", "org", today, transition, child)));
        assertEquals(1, a.created().size(), "an epoch-1 signal matches a signal sent under both epochs");

        Harness.Response resubmitted = a.submit(List.of(People.record("a-1", "org", today, transition, child)));
        assertEquals("UPDATED", resubmitted.body().get("results").get(0).get("outcome").asText());
        assertEquals(1, a.created().size(), "moving to the new epoch makes no second match");
        assertEquals("UNCHANGED", a.submit(List.of(People.record("a-1", "org", today, transition, child)))
                .body().get("results").get(0).get("outcome").asText());

        c.submit(List.of(People.record("c-1", "org", today, epochTwo, child)));
        Set<String> counterparts = c.created().stream().map(e -> e.get("counterpart").get("node").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of(a.id(), b.id()), counterparts, "after the transition, epoch 2 alone finds both");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void retire_oldEpoch_refusedWhileNeededThenIgnoredAtIntakeWithoutLosingAMatch(Db db) {
        try (Harness h = Harness.fresh(db)) {
            Instant now = Instant.now();
            KeyRing before = KeyRing.generate(new SecureRandom(), now.minus(Duration.ofDays(400)));
            KeyRing after = before.rotate(new SecureRandom(), now, Duration.ofDays(30));
            Pseudonymizer epochOne = HmacPseudonymizer.create(before, Clock.fixed(now, ZoneOffset.UTC));
            Pseudonymizer transition = HmacPseudonymizer.create(after, Clock.fixed(now, ZoneOffset.UTC));
            Pseudonymizer epochTwo = HmacPseudonymizer.create(after,
                    Clock.fixed(now.plus(Duration.ofDays(31)), ZoneOffset.UTC));
            LocalDate today = LocalDate.now(h.clock());
            EpochRetirement retirement = h.bean(EpochRetirement.class);
            TestNode a = h.enrol("noord");
            TestNode b = h.enrol("oost");
            TestNode c = h.enrol("zuid");
            String child = People.bsn();
            a.submit(List.of(People.record("a-1", "org", today, epochOne, child)));
            b.submit(List.of(People.record("b-1", "org", today, transition, child)));
            h.awaitMatching();

            IllegalStateException needed = assertThrows(IllegalStateException.class, () -> retirement.retire(1));
            assertTrue(needed.getMessage().contains(a.id() + " 1"), needed.getMessage());
            assertThrows(IllegalArgumentException.class, () -> retirement.retire(2), "the newest epoch");

            a.submit(List.of(People.record("a-1", "org", today, transition, child)));
            assertEquals(new EpochRetirement.Report(1, 2, false), retirement.retire(1));
            assertEquals(0, h.queryLong("SELECT count(*) FROM signal_person WHERE epoch = 1"));
            assertEquals(1, h.queryLong("SELECT count(*) FROM audit_entry WHERE kind = 'key.rotated'"));

            assertEquals("UNCHANGED", b.submit(List.of(People.record("b-1", "org", today, transition, child)))
                    .body().get("results").get(0).get("outcome").asText(), "epoch 1 is ignored, epoch 2 is known");
            c.submit(List.of(People.record("c-1", "org", today, transition, child)));
            Set<String> counterparts = c.created().stream().map(e -> e.get("counterpart").get("node").asText())
                    .collect(Collectors.toSet());
            assertEquals(Set.of(a.id(), b.id()), counterparts, "epoch 2 alone finds both");
            assertEquals(0, h.queryLong("SELECT count(*) FROM signal_person WHERE epoch = 1"), "epoch 1 is not stored");
            assertEquals(2, a.created().size(), "noord: oost and zuid, each once");

            Harness.Response refused = c.submit(List.of(People.record("c-2", "org", today, epochOne, People.bsn())));
            assertEquals(400, refused.status());
            assertEquals("signals[0].pseudonyms", refused.body().get("violations").get(0).get("field").asText());
            assertEquals(new EpochRetirement.Report(1, 0, true), retirement.retire(1));
            assertEquals(1, epochTwo.pseudonymizeForMatching(nl.betrokken.crypto.bsn.Bsn.parse(child)).size());
        }
    }
}
