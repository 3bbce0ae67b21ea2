package nl.betrokken.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void freshSchema_isEmptyAndIsolatedFromOthers() throws SQLException {
        try (TestPostgres.Schema one = TestPostgres.freshSchema(); TestPostgres.Schema two = TestPostgres.freshSchema()) {
            try (Connection c = DriverManager.getConnection(one.jdbcUrl(), one.username(), one.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE marker (id INT)");
                s.execute("INSERT INTO marker VALUES (1)");
            }
            assertEquals(1, tableCount(one));
            assertEquals(0, tableCount(two));
        }
    }

    @Test
    void close_dropsTheSchema() throws SQLException {
        TestPostgres.Schema schema = TestPostgres.freshSchema();
        schema.close();
        TestPostgres.Server server = schema.server();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema.name() + "'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void find_withTestJdbcUrlThatDoesNotAnswer_failsInsteadOfFallingBack() throws Exception {
        int closedPort = closedPort();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestPostgres.find(
                Map.of("TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing"), () -> false,
                TestPostgres.LOCAL_URL));
        assertTrue(e.getMessage().contains("TEST_JDBC_URL"), e.getMessage());
    }

    @Test
    void find_withNothingAnswering_failsSayingHowToProvideOne() throws Exception {
        String nowhere = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/test";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestPostgres.find(Map.of(), () -> false, nowhere));
        for (String hint : new String[] {"TEST_JDBC_URL=", "Docker engine", "127.0.0.1:5432", ".ci/run"}) {
            assertTrue(e.getMessage().contains(hint), "message lacks '" + hint + "': " + e.getMessage());
        }
    }

    private static int tableCount(TestPostgres.Schema schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema.name() + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
