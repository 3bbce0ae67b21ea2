package nl.betrokken.coordinator.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;

/**
 * Links to persons have no foreign key: the person lock keeps retention from deleting a person that an intake links
 * between writing the person and linking it ({@link Persons}).
 */
class PersonLockTest {

    private static Map<Persons.Key, Long> upsert(Connection c, byte fill) throws Exception {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, fill);
        c.setAutoCommit(false);
        Map<Persons.Key, Long> ids = Persons.upsert(c, List.of(new Persons.Key(key)));
        c.commit();
        return ids;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonDeletedBeforeItIsLinked_isFound_soThatIntakeTriesAgain(Db db) throws Exception {
        try (Harness h = Harness.fresh(db); Connection c = h.connect()) {
            Map<Persons.Key, Long> ids = upsert(c, (byte) 1);
            Persons.lockAndCheck(c, ids.values());
            c.commit();
            try (Statement delete = c.createStatement()) {
                delete.executeUpdate("DELETE FROM person WHERE id = " + ids.values().iterator().next());
            }
            c.commit();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Persons.lockAndCheck(c, ids.values()));
            assertTrue(e.getMessage().contains("found 0 of 1"), e.getMessage());
            c.rollback();
        }
    }

    @Test
    void retention_waitsForAnIntakeThatHoldsTheLockShared_andIntakesDoNotWaitForEachOther() throws Exception {
        try (Harness h = Harness.fresh(Db.POSTGRES); Connection intake = h.connect(); Connection other = h.connect();
             Connection retention = h.connect()) {
            Map<Persons.Key, Long> ids = upsert(intake, (byte) 2);
            Persons.lockAndCheck(intake, ids.values());
            other.setAutoCommit(false);
            Persons.lockAndCheck(other, ids.values()); // returns at once: shared with the first
            other.commit();

            retention.setAutoCommit(false);
            CompletableFuture<Void> alone = CompletableFuture.runAsync(() -> {
                try {
                    Persons.lockAlone(retention);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> alone.get(500, TimeUnit.MILLISECONDS),
                    "retention waits while an intake holds the lock");
            intake.commit();
            alone.get(10, TimeUnit.SECONDS);
            retention.commit();
            assertEquals(1, h.queryLong("SELECT count(*) FROM person"));
        }
    }
}
