package nl.betrokken.coordinator.sql;

import static nl.betrokken.coordinator.sql.BulkInsert.column;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;

/** Both ways in (COPY on PostgreSQL, INSERT … UNNEST with ON CONFLICT and on H2) store every value as given. */
class BulkInsertTest {

    private static final String[] TEXTS = {"plain", "tab\there", "new\nline", "back\\slash", "cr\rlf", "\\N", "é ∑"};

    @ParameterizedTest
    @EnumSource(Db.class)
    void execute_withAndWithoutConflictClause_storesEveryValueUnchanged(Db db) throws SQLException {
        try (Connection c = connect(db.freshDatabase())) {
            createBulk(c);
            Instant time = Instant.parse("2026-11-24T23:30:01.123456Z");
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < TEXTS.length; i++) {
                rows.add(new Object[] {(long) i, i * 7, TEXTS[i], LocalDate.of(2020, 2, 29).plusDays(i),
                        time.plusSeconds(i), UUID.randomUUID(), i % 2 == 0, new byte[] {(byte) i, (byte) 0xFF, 0, 92}});
            }
            int half = rows.size() / 2;
            assertEquals(half, insert("", rows.subList(0, half)).execute(c), "without ON CONFLICT (COPY on PostgreSQL)");
            assertEquals(rows.size() - half, insert("ON CONFLICT DO NOTHING", rows).execute(c),
                    "with ON CONFLICT: the rows already there are skipped");
            try (PreparedStatement select = c.prepareStatement("SELECT id, n, t, d, ts, u, b, bytes FROM bulk ORDER BY id");
                 ResultSet rs = select.executeQuery()) {
                for (Object[] row : rows) {
                    rs.next();
                    assertEquals(row[0], rs.getLong(1));
                    assertEquals(row[1], rs.getInt(2));
                    assertEquals(row[2], rs.getString(3));
                    assertEquals(row[3], rs.getObject(4, LocalDate.class));
                    assertEquals(row[4], rs.getObject(5, java.time.OffsetDateTime.class).toInstant());
                    assertEquals(row[5], rs.getObject(6, UUID.class));
                    assertEquals(row[6], rs.getBoolean(7));
                    assertArrayEquals((byte[]) row[7], rs.getBytes(8));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void execute_manyRows_aboveWhatOneChunkOfCopyTextHolds_storesEveryRow(Db db) throws SQLException {
        try (Connection c = connect(db.freshDatabase())) {
            createBulk(c);
            Instant time = Instant.parse("2026-12-06T01:00:00Z");
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 3000; i++) { // rows are written 256 at a time, some 200 characters each
                byte[] bytes = new byte[32];
                java.util.Arrays.fill(bytes, (byte) i);
                rows.add(new Object[] {(long) i, i, TEXTS[i % TEXTS.length] + i, LocalDate.of(2026, 1, 1).plusDays(i % 300),
                        time.plusSeconds(i / 1000), new UUID(i, -i), i % 3 == 0, bytes});
            }
            assertEquals(rows.size(), insert("", rows).execute(c));
            try (PreparedStatement select = c.prepareStatement("SELECT id, t, ts, u, bytes FROM bulk ORDER BY id");
                 ResultSet rs = select.executeQuery()) {
                for (Object[] row : rows) {
                    rs.next();
                    assertEquals(row[0], rs.getLong(1));
                    assertEquals(row[2], rs.getString(2));
                    assertEquals(row[4], rs.getObject(3, java.time.OffsetDateTime.class).toInstant());
                    assertEquals(row[5], rs.getObject(4, UUID.class));
                    assertArrayEquals((byte[]) row[7], rs.getBytes(5));
                }
                assertEquals(false, rs.next(), "no row more");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void execute_duplicateKeyWithoutConflictClause_failsAndStoresNothing(Db db) throws SQLException {
        try (Connection c = connect(db.freshDatabase())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE pair (id BIGINT PRIMARY KEY)");
            }
            c.setAutoCommit(false);
            BulkInsert insert = new BulkInsert("pair", "", column("id", SqlType.BIGINT)).add(1L).add(2L).add(1L);
            assertThrows(SQLException.class, () -> insert.execute(c));
            c.rollback();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pair")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    /** The table of {@link #insert}: a column of every type BulkInsert writes. */
    private static void createBulk(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bulk (id BIGINT PRIMARY KEY, n INT NOT NULL, t VARCHAR(100) NOT NULL,"
                    + " d DATE NOT NULL, ts TIMESTAMP WITH TIME ZONE NOT NULL, u UUID NOT NULL, b BOOLEAN NOT NULL,"
                    + " bytes BYTEA NOT NULL)");
        }
    }

    private static BulkInsert insert(String suffix, List<Object[]> rows) {
        BulkInsert insert = new BulkInsert("bulk", suffix, column("id", SqlType.BIGINT), column("n", SqlType.INT),
                column("t", SqlType.TEXT), column("d", SqlType.DATE), column("ts", SqlType.TIMESTAMPTZ),
                column("u", SqlType.UUID), column("b", SqlType.BOOLEAN), column("bytes", SqlType.BYTEA));
        rows.forEach(insert::add);
        return insert;
    }

    private static Connection connect(Map<String, Object> p) throws SQLException {
        return DriverManager.getConnection((String) p.get("datasources.default.url"),
                (String) p.getOrDefault("datasources.default.username", "sa"),
                (String) p.getOrDefault("datasources.default.password", ""));
    }
}
