package nl.betrokken.node.backup;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nl.betrokken.testing.TestPostgres;

/**
 * The backup and restore of compose/README.md, run against the test's PostgreSQL server: the {@code pg_dump} and
 * {@code pg_restore} command lines are read from the README (the lines that run them in the {@code noord-db} or
 * {@code coordinator-db} container), with only the connection (host, port, user, database) put in for this
 * server's. So the README's commands are the ones tested, and a change to them is tested too.
 */
final class PgBackup {

    static final Path README = Path.of("..", "compose", "README.md");

    private final TestPostgres.Server server;
    private final URI uri;

    PgBackup(TestPostgres.Server server) {
        this.server = server;
        // jdbc:postgresql://host:port/db?params
        this.uri = URI.create(server.jdbcUrl().substring("jdbc:".length()));
    }

    /** A new empty database on the server, as a fresh PostgreSQL container has. */
    String createDatabase() {
        String name = "bt_backup_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        sql("CREATE DATABASE " + name);
        return name;
    }

    /** Drops {@code name}, closing whatever still holds a connection to it. */
    void dropDatabase(String name) {
        sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The JDBC URL of database {@code name} on the server. */
    String jdbcUrl(String name) {
        return "jdbc:postgresql://" + uri.getHost() + ":" + port() + "/" + name
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The README's backup of {@code service} (noord-db, coordinator-db): its pg_dump line, to {@code dump}. */
    void dump(String service, String database, Path dump) throws IOException, InterruptedException {
        run(readmeCommand(service, "pg_dump"), database, ProcessBuilder.Redirect.INHERIT,
                ProcessBuilder.Redirect.to(dump.toFile()));
    }

    /** The README's restore of {@code service}: its pg_restore line, reading {@code dump} into {@code database}. */
    void restore(String service, Path dump, String database) throws IOException, InterruptedException {
        run(readmeCommand(service, "pg_restore"), database, ProcessBuilder.Redirect.from(dump.toFile()),
                ProcessBuilder.Redirect.DISCARD);
    }

    /**
     * The words of the README's {@code docker compose exec -T SERVICE TOOL ...} line from TOOL up to the shell's
     * redirection.
     */
    static List<String> readmeCommand(String service, String tool) throws IOException {
        String prefix = "docker compose exec -T " + service + " " + tool + " ";
        List<String> found = Files.readAllLines(README, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> l.startsWith(prefix)).toList();
        if (found.size() != 1) {
            throw new AssertionError(README + " has " + found.size() + " lines starting with '" + prefix
                    + "', expected exactly one");
        }
        String line = found.get(0).substring(prefix.length() - tool.length() - 1);
        int redirect = line.indexOf(tool.equals("pg_dump") ? '>' : '<');
        if (redirect < 0) {
            throw new AssertionError("the README's " + tool + " line has no redirection: " + found.get(0));
        }
        return List.of(line.substring(0, redirect).strip().split("\\s+"));
    }

    private void run(List<String> readme, String database, ProcessBuilder.Redirect in, ProcessBuilder.Redirect out)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        for (String word : readme) {
            if (word.startsWith("--username=")) {
                command.add("--username=" + server.username());
            } else if (word.startsWith("--dbname=")) {
                command.add("--dbname=" + database);
            } else {
                command.add(word);
            }
        }
        if (command.stream().noneMatch(w -> w.startsWith("--dbname="))) {
            throw new AssertionError("the README's " + readme.get(0) + " names no --dbname: " + readme);
        }
        command.add(1, "--host=" + uri.getHost());
        command.add(2, "--port=" + port());
        ProcessBuilder b = new ProcessBuilder(command).redirectInput(in).redirectOutput(out)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        if (!server.password().isEmpty()) {
            b.environment().put("PGPASSWORD", server.password());
        }
        Process p;
        try {
            p = b.start();
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is missing: install Debian's postgresql-client"
                    + " (bash .ci/run does)", e);
        }
        String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited with " + p.exitValue() + ": " + errors);
        }
    }

    private int port() {
        return uri.getPort() < 0 ? 5432 : uri.getPort();
    }

    private void sql(String statement) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed on " + server + ": " + e.getMessage()
                    + " (the backup test makes databases of its own: the test user needs CREATEDB)", e);
        }
    }
}
