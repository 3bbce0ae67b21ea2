package nl.betrokken.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, in a temporary directory on a free loopback port, made with {@code initdb}
 * and run with {@code pg_ctl} (as user {@code postgres} through {@code runuser} when the test runs as root, as
 * PostgreSQL refuses to run as root). It can be restarted at will, which the machine's shared server on 5432 must
 * never be. Fails, naming what to install, when the PostgreSQL server binaries are missing.
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path bin, Path base, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
    }

    /** initdb and start; the cluster answers when this returns. */
    static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path base = Files.createTempDirectory("reliability-pg");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        PrivatePostgres pg = new PrivatePostgres(bin, base, Ports.free());
        pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust",
                "--no-sync", "-E", "UTF8"));
        Files.writeString(pg.data.resolve("postgresql.conf"), "\nport = " + pg.port
                + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 100"
                + "\nfsync = off\nshared_buffers = 64MB\n", java.nio.file.StandardOpenOption.APPEND);
        pg.startAgain();
        return pg;
    }

    /** The newest installed server's binaries ({@code /usr/lib/postgresql/<version>/bin}). */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                List<Path> found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .sorted(Comparator.comparingInt(PrivatePostgres::version)).toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1);
                }
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql:"
                + " install them (Debian: apt-get install postgresql; .ci/run does)");
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    void startAgain() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("log").toString(),
                "-w", "-t", "60", "start"));
    }

    /** Stops at once, as a crash would (the next start recovers from the write-ahead log). */
    void crash() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
            }
            deleteTree(base);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not stop the private PostgreSQL in " + base, e);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed: " + output);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
