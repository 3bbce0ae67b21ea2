package nl.betrokken.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.betrokken.testing.TestPostgres;

/**
 * A federation as an operator runs it, every part a real process of its built jar: the coordinator on a private
 * PostgreSQL cluster ({@link PrivatePostgres}, so that it can be restarted), three nodes ({@code noord},
 * {@code oost}, {@code zuid}) each in a schema of their own on the test PostgreSQL ({@link TestPostgres}), keys
 * made and nodes enrolled with the operators' commands. {@code zuid} reaches the coordinator through a
 * {@link TcpProxy} the test controls. Professionals sign in as in production: with access tokens of the region's
 * identity provider (here a key of the test's own, whose JWK set the nodes read from a file), for the dev profile's
 * accounts and for more professionals the instellingscoördinator adds through {@code POST /api/v1/staff}.
 */
final class Federation implements AutoCloseable {

    static final List<String> NODES = List.of("noord", "oost", "zuid");
    static final String PROXIED = "zuid";
    private static final String ISSUER = "https://idp.reliability.test";
    /** More professionals per node, in {@code N-org-a}, next to the dev profile's {@code N-prof-a} and {@code N-prof-b}. */
    private static final int EXTRA_PROFESSIONALS = 4;

    final Path dir;
    final PrivatePostgres coordinatorDb;
    final Service coordinator;
    final TcpProxy proxy;
    final Map<String, Service> nodes = new LinkedHashMap<>();
    final Map<String, TestPostgres.Schema> nodeDbs = new LinkedHashMap<>();
    /** Per node, the usernames of its professionals. */
    final Map<String, List<String>> professionals = new LinkedHashMap<>();
    private final ECKey signingKey;
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(8)).build();

    /** The repository's root: where the built jars are. */
    static Path root() {
        String configured = System.getProperty("reliability.root");
        Path root = configured == null || configured.isBlank() ? Path.of("..") : Path.of(configured);
        return root.toAbsolutePath().normalize();
    }

    private Federation(Path dir, PrivatePostgres coordinatorDb, Service coordinator, TcpProxy proxy, ECKey key) {
        this.dir = dir;
        this.coordinatorDb = coordinatorDb;
        this.coordinator = coordinator;
        this.proxy = proxy;
        this.signingKey = key;
    }

    static Federation start() throws Exception {
        Service.jar("coordinator");
        Service.jar("node");
        Path dir = Files.createTempDirectory("reliability");
        PrivatePostgres pg = PrivatePostgres.start();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("reliability-idp").generate();
        Path jwks = dir.resolve("idp-jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());

        Path coordinatorDir = Files.createDirectories(dir.resolve("coordinator"));
        Service coordinator = new Service("coordinator", "coordinator", coordinatorDir, Ports.free(), "-Xmx384m")
                .env("DATASOURCES_DEFAULT_URL", pg.jdbcUrl())
                .env("DATASOURCES_DEFAULT_USERNAME", "postgres")
                .env("DATASOURCES_DEFAULT_PASSWORD", "")
                .env("DATASOURCES_DEFAULT_DRIVER_CLASS_NAME", "org.postgresql.Driver")
                .env("DATASOURCES_DEFAULT_DIALECT", "POSTGRES");
        Federation f = new Federation(dir, pg, coordinator, new TcpProxy(coordinator.port()), key);
        // Should the test JVM be stopped (a build's time-out, ^C), its processes and cluster go with it.
        Runtime.getRuntime().addShutdownHook(new Thread(f::kill, "reliability-cleanup"));
        try {
            f.startAll(jwks);
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    private void startAll(Path jwks) throws Exception {
        coordinator.launch();
        // Keys while the coordinator starts: one federation key ring for all nodes, each node's own keys.
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String n : NODES) {
            ports.put(n, Ports.free());
        }
        StringBuilder peers = new StringBuilder();
        for (String n : NODES) {
            peers.append(peers.length() == 0 ? "" : ",").append(n).append("=http://127.0.0.1:").append(ports.get(n));
        }
        for (String n : NODES) {
            Path nodeDir = Files.createDirectories(dir.resolve(n));
            TestPostgres.Schema schema = TestPostgres.freshSchema();
            nodeDbs.put(n, schema);
            int coordinatorPort = PROXIED.equals(n) ? proxy.port() : coordinator.port();
            nodes.put(n, new Service(n, "node", nodeDir, ports.get(n), "-Xmx512m")
                    .env("BETROKKEN_NODE_ID", n)
                    .env("BETROKKEN_PEERS", peers.toString())
                    .env("BETROKKEN_PUBLIC_URL", "http://127.0.0.1:" + ports.get(n))
                    .env("BETROKKEN_COORDINATOR_URL", "http://127.0.0.1:" + coordinatorPort)
                    .env("MICRONAUT_ENVIRONMENTS", "dev")
                    .env("BETROKKEN_DEV_ENABLED", "true")
                    .env("BETROKKEN_IDENTITY_PROVIDER_ISSUER", ISSUER)
                    .env("BETROKKEN_IDENTITY_PROVIDER_JWKS", "file:" + jwks)
                    .env("DATASOURCES_DEFAULT_URL", schema.jdbcUrl())
                    .env("DATASOURCES_DEFAULT_USERNAME", schema.username())
                    .env("DATASOURCES_DEFAULT_PASSWORD", schema.password() == null ? "" : schema.password())
                    .env("DATASOURCES_DEFAULT_DRIVER_CLASS_NAME", "org.postgresql.Driver")
                    .env("DATASOURCES_DEFAULT_DIALECT", "POSTGRES"));
        }
        Service first = nodes.get(NODES.get(0));
        Path ring = dir.resolve("federation-keyring.properties");
        first.commandOk("federation-keyring", ring.toString());
        List<String> init = new ArrayList<>(List.of("init"));
        for (String n : NODES) {
            Files.copy(ring, nodes.get(n).dataDir().resolve("federation-keyring.properties"),
                    StandardCopyOption.REPLACE_EXISTING);
            init.add(n);
            init.add(nodes.get(n).dataDir().toString());
        }
        first.commandOk(init.toArray(String[]::new));

        coordinator.awaitHealthy(Duration.ofSeconds(120));
        List<String> enrol = new ArrayList<>(List.of("enrol"));
        for (String n : NODES) {
            enrol.add(n);
            enrol.add(nodes.get(n).dataDir().resolve("node-public.jwks.json").toString());
        }
        coordinator.commandOk(enrol.toArray(String[]::new));

        for (Service n : nodes.values()) {
            n.launch();
        }
        for (Service n : nodes.values()) {
            n.awaitHealthy(Duration.ofSeconds(180));
        }
        for (String n : NODES) {
            List<String> names = new ArrayList<>(List.of(n + "-prof-a", n + "-prof-b"));
            for (int i = 1; i <= EXTRA_PROFESSIONALS; i++) {
                String username = n + "-load-" + i;
                Response r = send(n, "POST", "/api/v1/staff", n + "-coord-a",
                        "{\"username\":\"" + username + "\",\"displayName\":\"Load " + i + "\",\"email\":\""
                                + username + "@example.org\"}", Map.of());
                if (r.status() != 201) {
                    throw new IllegalStateException("adding professional " + username + " at " + n + ": " + r);
                }
                names.add(username);
            }
            professionals.put(n, names);
        }
    }

    /** An access token of the region's identity provider for {@code username}, valid for two hours. */
    String token(String username) {
        return tokens.computeIfAbsent(username, u -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                        .build(), new JWTClaimsSet.Builder().issuer(ISSUER).subject(u).claim("preferred_username", u)
                        .issueTime(new java.util.Date()).expirationTime(java.util.Date.from(Instant.now()
                                .plus(Duration.ofHours(2)))).build());
                jwt.sign(new ECDSASigner(signingKey));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    record Response(int status, String body) {
    }

    /** One call to a node's API as {@code username}; an I/O failure is thrown. */
    Response send(String node, String method, String path, String username, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodes.get(node).url() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token(username));
        headers.forEach(b::header);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    Connection nodeDb(String node) throws SQLException {
        TestPostgres.Schema s = nodeDbs.get(node);
        return DriverManager.getConnection(s.jdbcUrl(), s.username(), s.password());
    }

    Connection coordinatorDb() throws SQLException {
        return coordinatorDb.connect();
    }

    /** Kills every process at once and stops the cluster (after a test JVM was told to stop). */
    private void kill() {
        for (Service n : nodes.values()) {
            n.kill();
        }
        coordinator.kill();
        proxy.close();
        coordinatorDb.close();
        for (TestPostgres.Schema s : nodeDbs.values()) {
            try {
                s.close();
            } catch (IllegalStateException gone) {
                // dropped already
            }
        }
        try {
            PrivatePostgres.deleteTree(dir);
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    @Override
    public void close() {
        ExecutorService stopping = Executors.newFixedThreadPool(4);
        List<Future<?>> stops = new ArrayList<>();
        for (Service n : nodes.values()) {
            stops.add(stopping.submit(n::stop));
        }
        stops.add(stopping.submit(coordinator::stop));
        for (Future<?> f : stops) {
            try {
                f.get();
            } catch (Exception ignored) {
                // stopping what is left
            }
        }
        stopping.shutdown();
        proxy.close();
        coordinatorDb.close();
        for (TestPostgres.Schema s : nodeDbs.values()) {
            s.close();
        }
        if (!Boolean.getBoolean("reliability.keep")) {
            try {
                PrivatePostgres.deleteTree(dir);
            } catch (IOException ignored) {
                // a temporary directory
            }
        }
    }
}
