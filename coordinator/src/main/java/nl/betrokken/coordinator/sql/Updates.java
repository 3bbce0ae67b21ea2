package nl.betrokken.coordinator.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Updates and deletes that name one value in several places, such as both sides of a match. */
public final class Updates {

    private Updates() {
    }

    /**
     * Runs {@code sql} with {@code value} bound to every one of its parameters; returns the number of rows changed.
     * Requires that {@code sql} has no {@code ?} other than its parameters.
     */
    public static int withEveryParameter(Connection c, String sql, Object value) throws SQLException {
        long parameters = sql.chars().filter(ch -> ch == '?').count();
        try (PreparedStatement update = c.prepareStatement(sql)) {
            for (int i = 1; i <= parameters; i++) {
                update.setObject(i, value);
            }
            return update.executeUpdate();
        }
    }
}
