package nl.betrokken.coordinator.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.sql.KeyLookups;

/**
 * A stored signal given pseudonyms under a new epoch is queued again by an intake that has not committed yet, while a
 * matching pass takes the signal out of the queue and reads its links (without the intake's, not yet committed): the
 * signal must be in the queue afterwards, so that the next pass matches its new links. Plays the intake on one
 * connection and the pass's delete on another.
 */
class RequeueRaceTest {

    private static final long SIGNAL = 4711L;

    @Test
    void aSignalRequeuedBeforeAPassTakesIt_staysQueuedForTheNextPass() throws Exception {
        try (Harness h = Harness.fresh(Db.POSTGRES); Connection intake = h.connect(); Connection pass = h.connect()) {
            try (Statement s = intake.createStatement()) {
                s.executeUpdate("INSERT INTO match_queue (signal_id) VALUES (" + SIGNAL + ")");
            }
            intake.setAutoCommit(false);
            KeyLookups.begin(intake);
            Set<Long> ids = new TreeSet<>(Set.of(SIGNAL));
            IntakeService.unqueue(intake, ids);
            IntakeService.queue(intake, ids);

            pass.setAutoCommit(false);
            CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> {
                try (PreparedStatement delete = pass.prepareStatement("DELETE FROM match_queue WHERE signal_id = ?")) {
                    delete.setLong(1, SIGNAL);
                    return delete.executeUpdate();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> taken.get(500, TimeUnit.MILLISECONDS),
                    "the pass waits for the intake that queues the signal again");
            intake.commit();
            taken.get(10, TimeUnit.SECONDS);
            pass.commit();
            assertEquals(1, h.queryLong("SELECT count(*) FROM match_queue WHERE signal_id = " + SIGNAL),
                    "still queued for the next pass, which reads the new links");
        }
    }
}
