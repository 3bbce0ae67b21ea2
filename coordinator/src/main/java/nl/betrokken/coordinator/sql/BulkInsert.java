package nl.betrokken.coordinator.sql;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.postgresql.PGConnection;

/**
 * Rows gathered column by column and inserted with one statement, {@code INSERT INTO t (a, b) SELECT * FROM
 * UNNEST(?, ?)}, one array parameter per column. PostgreSQL and H2 both accept it, with an {@code ON CONFLICT}
 * clause too. On PostgreSQL, rows without such a clause go in by {@code COPY} instead.
 *
 * <p>Why not a JDBC batch: a batch of 20,000 rows binds 20,000 × columns parameters one by one, and each row is
 * planned and executed apart; the national-year benchmark spent most of its database time there
 * (docs/performance.md).
 */
public final class BulkInsert {

    /** A column of the table and the type its values are bound as. */
    public record Column(String name, SqlType type) {
    }

    private final String table;
    private final String suffix;
    private final String sql;
    private final String copySql;
    private final List<Column> columns;
    private final List<List<Object>> values;

    /**
     * @param table   the table
     * @param suffix  what follows the rows, such as {@code "ON CONFLICT DO NOTHING"}, or ""
     * @param columns the columns, in the order {@link #add} takes their values
     */
    public BulkInsert(String table, String suffix, Column... columns) {
        this.table = table;
        this.suffix = suffix;
        this.columns = List.of(columns);
        this.values = Stream.of(columns).map(c -> (List<Object>) new ArrayList<>()).toList();
        String names = this.columns.stream().map(Column::name).collect(Collectors.joining(", "));
        this.sql = "INSERT INTO " + table + " (" + names + ") SELECT * FROM UNNEST(" + "?, ".repeat(columns.length - 1)
                + "?)" + (suffix.isEmpty() ? "" : " " + suffix);
        this.copySql = "COPY " + table + " (" + names + ") FROM STDIN";
    }

    public static Column column(String name, SqlType type) {
        return new Column(name, type);
    }

    /** Adds a row: one non-null value per column, in the columns' order. */
    public BulkInsert add(Object... row) {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException(row.length + " values for " + columns.size() + " columns");
        }
        for (int i = 0; i < row.length; i++) {
            values.get(i).add(row[i]);
        }
        return this;
    }

    public int size() {
        return values.get(0).size();
    }

    /** Inserts the rows added so far (nothing when there are none); returns the number of rows inserted. */
    public int execute(Connection connection) throws SQLException {
        if (size() == 0) {
            return 0;
        }
        if (suffix.isEmpty() && connection.isWrapperFor(PGConnection.class)) {
            return copy(connection.unwrap(PGConnection.class));
        }
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                insert.setArray(i + 1, SqlArrays.of(connection, columns.get(i).type(), values.get(i)));
            }
            return insert.executeUpdate();
        }
    }

    /**
     * PostgreSQL's {@code COPY … FROM STDIN} in its text format (one line a row, tab between columns): the server's
     * fastest way in, and no array for the driver to build. Not for an {@code ON CONFLICT} clause, which COPY lacks.
     * The text is written as the driver sends it ({@link Rows}), so that the server stores the first rows while the
     * later ones are still being written.
     */
    private int copy(PGConnection connection) throws SQLException {
        try {
            return (int) connection.getCopyAPI().copyIn(copySql, new Rows());
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed", e);
        }
    }

    /** The rows in COPY's text format, written a few hundred at a time as they are read. */
    private final class Rows extends Reader {
        private final StringBuilder text = new StringBuilder(1 << 16);
        private int at;
        private int row;
        private Object lastTime;
        private String lastTimeText;

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == text.length()) {
                text.setLength(0);
                at = 0;
                for (int end = Math.min(size(), row + 256); row < end; row++) {
                    append(row);
                }
                if (text.length() == 0) {
                    return -1;
                }
            }
            int n = Math.min(length, text.length() - at);
            text.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        private void append(int row) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    text.append('\t');
                }
                Object value = values.get(i).get(row);
                if (columns.get(i).type() == SqlType.TIMESTAMPTZ) {
                    if (!value.equals(lastTime)) { // rows of one statement mostly share one time
                        lastTime = value;
                        lastTimeText = SqlArrays.timestamp(value).toString();
                    }
                    text.append(lastTimeText);
                } else {
                    appendCopyValue(text, columns.get(i).type(), value);
                }
            }
            text.append('\n');
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    /** One value in COPY's text format (section "Text Format" of PostgreSQL's COPY page). */
    private static void appendCopyValue(StringBuilder text, SqlType type, Object value) {
        switch (type) {
            case BIGINT, INT, DATE, UUID, TIMESTAMPTZ -> text.append(value);
            case BOOLEAN -> text.append((Boolean) value ? 't' : 'f');
            case BYTEA -> {
                text.append("\\\\x");
                for (byte b : (byte[]) value) {
                    text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                }
            }
            case TEXT -> {
                String s = (String) value;
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    switch (c) {
                        case '\\' -> text.append("\\\\");
                        case '\t' -> text.append("\\t");
                        case '\n' -> text.append("\\n");
                        case '\r' -> text.append("\\r");
                        default -> text.append(c);
                    }
                }
            }
        }
    }
}
