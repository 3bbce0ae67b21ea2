package nl.betrokken.coordinator.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import nl.betrokken.coordinator.enrolment.EnrolledNodes;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.testing.TestPostgres;

/**
 * Drives a synthetic national year ({@link NationalYear}) through a coordinator's HTTP API into PostgreSQL and checks
 * the matches against the {@link Oracle}.
 *
 * <p>Run it with {@code mvn -B -q -pl coordinator -Pbench verify} (see docs/performance.md); options go in
 * {@code -Dbench.args="..."}:
 * <pre>
 *   --signals N      signals in the year (321183, the seed's 2020 figure)
 *   --seed N         generator seed (2020)
 *   --batch N        records per request, at most 5000 (5000)
 *   --senders N      concurrent senders, one request each at a time (4)
 *   --oracle-only    generate and count the expected matches, start nothing
 *   --explain        after the run, EXPLAIN (ANALYZE, BUFFERS) the matcher's lookup of the links of 1000 signals of
 *                    region 0
 *   --drain-feed     after the run, read every node's whole feed over HTTP (tickets included) and time it
 *   --keep-schema    leave the PostgreSQL schema in place (its name is printed) for further analysis
 *   --jdbc PARAMS    extra parameters for the coordinator's JDBC URL, as deployment configuration would set them,
 *                    e.g. "reWriteBatchedInserts=true" or "options=-c%20random_page_cost=1.1"
 *   --analyze-every S  run ANALYZE on the schema every S seconds during the intake, as autovacuum's autoanalyze
 *                    would (the benchmark machine's server runs with autovacuum = off)
 *   --time-limit S   stop sending new batches after S seconds and report how far the intake got (no comparison)
 *   --sql-timing     time every JDBC call of the coordinator by statement ({@link SqlTiming}); best with --senders 1
 *   --csv FILE       per-batch timings (target/bench/national-year-batches.csv)
 *   --shape S        calibrated (the seed's table) or parents-always (every signal names the youth's parents)
 *   --no-baseline    leave out the plaintext central index ({@link PlaintextIndex}) that otherwise runs after the
 *                    coordinator on the same data, printing both times and their ratio
 * </pre>
 * The clock runs from the first request until every match is stored: until the last response, and, for a
 * coordinator that matches apart from the intake, until its match queue is empty.
 *
 * <p>Exit status: 0 when the coordinator's matches equal the oracle's, 1 when they differ, 2 when the run failed.
 */
public final class NationalYearBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The JWS {@code typ} of a node token: NodeAuthentication.TOKEN_TYPE where the coordinator declares one (read
     * reflectively, so the benchmark compiles either way), else the documented value, which a coordinator that does
     * not check the type accepts as well.
     */
    static final String NODE_TOKEN_TYPE = nodeTokenType();

    private record Options(int signals, long seed, int batch, int senders, boolean oracleOnly, boolean explain,
                           boolean drainFeed, boolean keepSchema, Path csv, String jdbc, int analyzeEvery,
                           int timeLimit, boolean sqlTiming, String shape, boolean baseline) {
        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + a);
                }
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                m.put(a.substring(2), flag ? "true" : args[++i]);
            }
            int batch = Integer.parseInt(m.getOrDefault("batch", "5000"));
            if (batch < 1 || batch > 5000) {
                throw new IllegalArgumentException("--batch must be 1 to 5000");
            }
            return new Options(Integer.parseInt(m.getOrDefault("signals", "321183")),
                    Long.parseLong(m.getOrDefault("seed", "2020")), batch,
                    Integer.parseInt(m.getOrDefault("senders", "4")),
                    m.containsKey("oracle-only"), m.containsKey("explain"), m.containsKey("drain-feed"),
                    m.containsKey("keep-schema"), Path.of(m.getOrDefault("csv", "target/bench/national-year-batches.csv")),
                    m.getOrDefault("jdbc", ""), Integer.parseInt(m.getOrDefault("analyze-every", "0")),
                    Integer.parseInt(m.getOrDefault("time-limit", "0")), m.containsKey("sql-timing"),
                    shape(m.getOrDefault("shape", "calibrated")), !m.containsKey("no-baseline"));
        }

        private static String shape(String name) {
            if (!name.equals("calibrated") && !name.equals("parents-always")) {
                throw new IllegalArgumentException("--shape must be calibrated or parents-always");
            }
            return name;
        }
    }

    /** One request's worth of one node's signals, its JSON body built before the clock starts. */
    private record Batch(int index, int node, int size, LocalDate lastFrom, byte[] body, int[] signals) {
    }

    /** What happened to one batch. */
    private record Timing(Batch batch, String thread, long startNanos, long endNanos, int attempts, int created) {
    }

    private NationalYearBenchmark() {
    }

    /** The coordinator's sessions are named after the run's schema, so that the sampler and the clean-up find them. */
    private static String appName(TestPostgres.Schema schema) {
        return "bench-" + schema.name();
    }

    public static void main(String[] args) throws Exception {
        int status;
        try {
            Options options = Options.parse(args);
            status = run(options);
            if (status == 0 && options.baseline() && ran != null) {
                status = baseline(options);
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 2;
        }
        System.out.flush();
        System.exit(status); // don't wait for the HTTP client's or the executors' non-daemon threads
    }

    private static int run(Options o) throws Exception {
        System.out.printf(Locale.ROOT, "national year: %,d signals, seed %d, batches of %d, %d senders, %d cores, max heap %d MiB%n",
                o.signals(), o.seed(), o.batch(), o.senders(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        long t0 = System.nanoTime();
        LocalDate today = LocalDate.now(Clock.system(java.time.ZoneId.of("Europe/Amsterdam")));
        NationalYear.Params params = NationalYear.Params.calibrated().withSignals(o.signals()).withSeed(o.seed());
        NationalYear year = NationalYear.generate(o.shape().equals("parents-always") ? params.parentsAlways() : params,
                today);
        long t1 = System.nanoTime();
        Oracle.Counts expected = Oracle.expected(year);
        long t2 = System.nanoTime();
        printYear(year, expected);
        System.out.printf(Locale.ROOT, "generated in %.2f s, oracle in %.2f s%n", secs(t1 - t0), secs(t2 - t1));
        if (o.oracleOnly()) {
            return 0;
        }

        TestPostgres.Schema schema = TestPostgres.freshSchema();
        // Dropped however the run ends (a kill included), unless --keep-schema; DROP SCHEMA IF EXISTS twice is harmless.
        // The coordinator's own sessions go first: a matcher pass still running would hold up the DROP.
        Thread dropSchema = new Thread(() -> {
            if (!o.keepSchema()) {
                try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
                     java.sql.PreparedStatement end = c.prepareStatement(
                             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                    end.setString(1, appName(schema));
                    end.executeQuery().close();
                } catch (SQLException e) {
                    System.out.println("could not end the coordinator's sessions: " + e.getMessage());
                }
                try {
                    schema.close();
                } catch (RuntimeException e) {
                    System.out.println("could not drop schema " + schema.name() + ": " + e.getMessage());
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(dropSchema);
        Path dataDir = Files.createTempDirectory("national-year");
        String jdbcUrl = schema.jdbcUrl() + "&ApplicationName=" + appName(schema) + (o.jdbc().isEmpty() ? "" : "&" + o.jdbc());
        Map<String, Object> props = new HashMap<>();
        props.put("datasources.default.url", jdbcUrl);
        props.put("datasources.default.username", schema.username());
        props.put("datasources.default.password", schema.password());
        props.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        props.put("datasources.default.dialect", "POSTGRES");
        props.put("betrokken.data-dir", dataDir.toString());
        props.put("micronaut.server.port", -1);
        props.put("logger.levels.nl.betrokken.coordinator.enrolment", "WARN");
        if (o.sqlTiming()) {
            props.put("bench.sql-timing", "true");
        }

        ApplicationContext context = null;
        long idle = 0;
        try {
            long t3 = System.nanoTime();
            context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            long t4 = System.nanoTime();
            System.out.printf(Locale.ROOT, "coordinator started in %.2f s on schema %s; %s%n", secs(t4 - t3),
                    schema.name(), serverSettings(schema));
            if (!o.jdbc().isEmpty()) {
                System.out.println("extra JDBC URL parameters: " + o.jdbc());
            }

            // Enrol the 66 nodes, each with a key of its own.
            TokenKeyPair[] keys = new TokenKeyPair[NationalYear.NODES];
            Es256TokenSigner[] signers = new Es256TokenSigner[NationalYear.NODES];
            EnrolledNodes enrolled = context.getBean(EnrolledNodes.class);
            for (int n = 0; n < NationalYear.NODES; n++) {
                keys[n] = TokenKeyPair.generate();
                signers[n] = Es256TokenSigner.create(keys[n], NODE_TOKEN_TYPE);
                enrolled.enrol(NationalYear.nodeId(n), PublicKeySet.of(keys[n].publicJwk()));
            }

            // What the nodes compute before they send: pseudonyms (one per person), then the request bodies.
            long t5 = System.nanoTime();
            Pseudonymizer pseudonymizer = HmacPseudonymizer.create(
                    KeyRing.generate(new SecureRandom(), Instant.now()), Clock.systemUTC());
            String[] youthPseudonym = new String[year.youths()];
            for (int y = 0; y < year.youths(); y++) {
                youthPseudonym[y] = pseudonymizer.pseudonymize(Bsn.parse(year.youthBsn[y])).encoded();
            }
            String[] parentPseudonym = new String[year.parents()];
            for (int p = 0; p < year.parents(); p++) {
                parentPseudonym[p] = pseudonymizer.pseudonymize(Bsn.parse(year.parentBsn[p])).encoded();
            }
            int epoch = pseudonymizer.pseudonymize(Bsn.parse(year.youthBsn[0])).epoch();
            long t6 = System.nanoTime();
            List<Batch> batches = batches(year, o.batch(), epoch, youthPseudonym, parentPseudonym);
            long t7 = System.nanoTime();
            long bytes = batches.stream().mapToLong(b -> b.body().length).sum();
            System.out.printf(Locale.ROOT, "pseudonymised %,d persons (%,d youths, %,d parents) in %.2f s; built %,d request"
                            + " bodies (%,d MB of JSON) in %.2f s; neither is part of the intake time%n",
                    year.youths() + year.parents(), year.youths(), year.parents(), secs(t6 - t5), batches.size(),
                    bytes >> 20, secs(t7 - t6));

            // The timed part: every batch over HTTP, by a few concurrent senders, in the order nodes would send them.
            URI intake = URI.create("http://127.0.0.1:" + server.getPort() + "/internal/v1/signals");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            DbSampler sampler = new DbSampler(schema, 50);
            sampler.start();
            Analyzer analyzer = new Analyzer(schema, o.analyzeEvery());
            analyzer.start();
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean failed = new AtomicBoolean();
            List<Timing> timings = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong done = new AtomicLong();
            SqlTiming.reset();
            ExecutorService senders = Executors.newFixedThreadPool(o.senders());
            idle = heapAfterGc();
            CpuUse cpu = CpuUse.now();
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < o.senders(); s++) {
                futures.add(senders.submit(() -> {
                    int i;
                    while (!failed.get() && (i = next.getAndIncrement()) < batches.size()
                            && (o.timeLimit() == 0 || System.nanoTime() - start < o.timeLimit() * 1_000_000_000L)) {
                        Batch b = batches.get(i);
                        long begin = System.nanoTime();
                        int attempts = 0;
                        while (true) {
                            attempts++;
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(intake)
                                    .timeout(Duration.ofMinutes(5))
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json")
                                    .header("Authorization", "Bearer " + token(signers[b.node()], b.node(), null))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(b.body())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                int created = occurrences(r.body(), "\"CREATED\"");
                                timings.add(new Timing(b, Thread.currentThread().getName(), begin - start,
                                        System.nanoTime() - start, attempts, created));
                                done.addAndGet(b.size());
                                break;
                            }
                            System.out.printf("batch %d of %s: HTTP %d %s%n", b.index(),
                                    NationalYear.nodeId(b.node()), r.statusCode(),
                                    r.body().substring(0, Math.min(500, r.body().length())));
                            if (r.statusCode() < 500 || attempts >= 3) {
                                failed.set(true);
                                return null;
                            }
                        }
                    }
                    return null;
                }));
            }
            Thread progress = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(5000);
                        System.out.printf(Locale.ROOT, "  %5.1f s: %,d signals stored%n",
                                secs(System.nanoTime() - start), done.get());
                    }
                } catch (InterruptedException e) {
                    // finished
                }
            });
            progress.setDaemon(true);
            progress.start();
            for (Future<?> f : futures) {
                f.get();
            }
            long intakeOnly = System.nanoTime() - start;
            // Matching runs apart from intake: the year is through when the matcher's queue is empty.
            awaitMatched(schema);
            long elapsed = System.nanoTime() - start;
            String cpuUsed = CpuUse.since(cpu, "the coordinator's run");
            System.out.printf(Locale.ROOT, "%nstored in %.2f s; every match found %.2f s after the first batch%n%s%n",
                    secs(intakeOnly), secs(elapsed), cpuUsed);
            Timer passes = context.getBean(MeterRegistry.class)
                    .find("betrokken.matcher.pass").timer();
            if (passes != null) {
                System.out.printf(Locale.ROOT, "MATCHING: %d matcher passes, %.3f s in all, the longest %.3f s%n",
                        passes.count(), passes.totalTime(TimeUnit.NANOSECONDS) / 1e9,
                        passes.max(TimeUnit.NANOSECONDS) / 1e9);
            }
            progress.interrupt();
            senders.shutdown();
            sampler.stop();
            analyzer.stop();
            if (failed.get()) {
                System.out.println("FAILED: a batch was refused; see above");
                return 2;
            }
            long created = timings.stream().mapToLong(Timing::created).sum();
            long sent = timings.stream().mapToLong(t -> t.batch().size()).sum();
            System.out.printf(Locale.ROOT, "%nINTAKE: %,d of %,d signals (%,d created) in %d requests: all stored %.2f s,"
                            + " every match found %.2f s after the first request: %,.0f signals/s%n",
                    sent, year.signals(), created, timings.size(), secs(intakeOnly), secs(elapsed), sent / secs(elapsed));
            printTimings(timings, o);
            sampler.print();
            analyzer.print();
            SqlTiming.print(elapsed, timings.stream().mapToLong(t -> t.endNanos() - t.startNanos()).sum());
            if (sent < year.signals()) {
                System.out.printf(Locale.ROOT, "RESULT: time limit of %d s reached after %,d of %,d signals; no comparison%n",
                        o.timeLimit(), sent, year.signals());
                return 2;
            }

            // The comparison: the database's matches, and the statistics an auditor sees, against the oracle.
            Oracle.Counts stored;
            long signalsStored;
            long feedEntries;
            try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password())) {
                stored = matchCounts(c);
                signalsStored = count(c, "SELECT count(*) FROM signal");
                feedEntries = count(c, "SELECT count(*) FROM feed_entry");
                printSizes(c);
            }
            URI stats = URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/stats?from=" + today.minusDays(1)
                    + "&to=" + today.plusDays(1));
            HttpResponse<String> sr = http.send(HttpRequest.newBuilder(stats)
                    .header("Authorization", "Bearer " + token(signers[0], 0, "auditor")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode m = JSON.readTree(sr.body()).get("matches");
            Oracle.Counts reported = new Oracle.Counts(m.get("childWithin").asLong(), m.get("childAcross").asLong(),
                    m.get("familyWithin").asLong(), m.get("familyAcross").asLong());
            long registered = JSON.readTree(sr.body()).get("signalsRegistered").asLong();

            System.out.println();
            System.out.println("MATCHES              oracle   signal_match   /api/v1/stats   seed 2020");
            row("child within", expected.childWithin(), stored.childWithin(), reported.childWithin(), 159_490);
            row("child across", expected.childAcross(), stored.childAcross(), reported.childAcross(), 111_060);
            row("family within", expected.familyWithin(), stored.familyWithin(), reported.familyWithin(), 312_990);
            row("family across", expected.familyAcross(), stored.familyAcross(), reported.familyAcross(), 50_435);
            row("total", expected.total(), stored.total(), reported.total(), 634_975);
            System.out.printf(Locale.ROOT, "signals: %,d generated, %,d stored, %,d registered (stats); feed entries %,d"
                    + " (2 per match: %,d)%n", year.signals(), signalsStored, registered, feedEntries, 2 * stored.total());

            if (o.explain()) {
                explain(schema, year, today);
            }
            if (o.drainFeed()) {
                drainFeeds(http, server.getPort(), signers);
            }

            boolean equal = expected.equals(stored) && expected.equals(reported) && signalsStored == year.signals()
                    && registered == year.signals() && feedEntries == 2 * stored.total();
            System.out.println(equal ? "RESULT: the coordinator's matches equal the oracle's"
                    : "RESULT: MISMATCH between the coordinator and the oracle");
            ran = new Ran(year, expected, batches.stream().map(Batch::signals).toList(), secs(elapsed));
            System.out.printf(Locale.ROOT, "RESULT: %,d signals through the coordinator in %.2f s%s%n", year.signals(),
                    secs(elapsed), year.signals() >= 321_183
                            ? " (goal for the national year: under 30 s: " + (secs(elapsed) < 30 ? "met)" : "NOT met)") : "");
            return equal ? 0 : 1;
        } finally {
            if (context != null) {
                // The coordinator's own heap: what a full collection leaves after the year, less what it left with the
                // coordinator started on its empty schema just before the first batch (the benchmark's year and request
                // bodies are in both). A figure taken after closing the coordinator instead missed the matcher's memory:
                // 7 MiB against 51 MiB this way, for the same code and year (docs/performance.md).
                long withCoordinator = heapAfterGc();
                context.close();
                if (idle > 0) {
                    System.out.printf(Locale.ROOT, "HEAP: %d MiB live after a full collection before the first batch, %d MiB"
                                    + " after the year: the coordinator holds %d MiB more after the year; the heap pools' peaks add"
                                    + " up to %d MiB (an upper bound of the peak, the benchmark's own data included)%n", idle >> 20,
                            withCoordinator >> 20, Math.max(0, withCoordinator - idle) >> 20, peakHeap() >> 20);
                }
            }
            if (o.keepSchema()) {
                System.out.println("schema kept: " + schema.name() + " (drop it with: DROP SCHEMA " + schema.name()
                        + " CASCADE)");
            } else {
                schema.close();
            }
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** What the coordinator's run leaves for the baseline: the year, its expected matches, its batches, its time. */
    private record Ran(NationalYear year, Oracle.Counts expected, List<int[]> batches, double seconds) {
    }

    private static Ran ran;

    /**
     * The plaintext central index ({@link PlaintextIndex}) fed the same batches in the same order by as many senders,
     * on a fresh schema of the same PostgreSQL, after the coordinator has stopped: both times and their ratio.
     */
    private static int baseline(Options o) throws Exception {
        System.gc();
        CpuUse cpu = CpuUse.now();
        PlaintextIndex.Result plain = PlaintextIndex.run(ran.year(), ran.batches(), o.senders());
        String cpuUsed = CpuUse.since(cpu, "the plaintext index");
        boolean equal = ran.expected().equals(plain.stored());
        System.out.printf(Locale.ROOT, "%nBASELINE: a plaintext central index (BSNs in the clear, indexed look-ups in"
                + " batches) stored every match in %.2f s; its matches %s the oracle's%n", plain.seconds(),
                equal ? "equal" : "DIFFER FROM (" + plain.stored() + ")");
        System.out.println(cpuUsed);
        System.out.printf(Locale.ROOT, "RATIO: coordinator %.2f s / plaintext index %.2f s = %.2f (%s shape, %,d signals)%n",
                ran.seconds(), plain.seconds(), ran.seconds() / plain.seconds(), o.shape(), ran.year().signals());
        return equal ? 0 : 1;
    }

    /** Each node's signals in order of their start date, cut into batches; all batches ordered by when they fill. */
    private static List<Batch> batches(NationalYear year, int size, int epoch, String[] youthPseudonym,
                                       String[] parentPseudonym) {
        List<List<Integer>> perNode = new ArrayList<>();
        for (int n = 0; n < NationalYear.NODES; n++) {
            perNode.add(new ArrayList<>());
        }
        for (int s = 0; s < year.signals(); s++) {
            perNode.get(year.node[s]).add(s);
        }
        List<Batch> batches = new ArrayList<>();
        for (int n = 0; n < NationalYear.NODES; n++) {
            List<Integer> signals = perNode.get(n);
            signals.sort(Comparator.<Integer>comparingInt(s -> -year.daysAgo[s]).thenComparingInt(s -> s));
            for (int from = 0; from < signals.size(); from += size) {
                List<Integer> part = signals.subList(from, Math.min(signals.size(), from + size));
                StringBuilder json = new StringBuilder(part.size() * 260).append("{\"signals\":[");
                for (int i = 0; i < part.size(); i++) {
                    int s = part.get(i);
                    if (i > 0) {
                        json.append(',');
                    }
                    json.append("{\"ref\":\"").append(year.ref(s))
                            .append("\",\"organisation\":\"").append(year.organisationRef(s))
                            .append("\",\"activeFrom\":\"").append(year.activeFrom(s))
                            .append("\",\"activeUntil\":\"").append(year.activeUntil(s))
                            .append("\",\"pseudonyms\":[{\"epoch\":").append(epoch)
                            .append(",\"youth\":\"").append(youthPseudonym[year.youth[s]]).append("\",\"parents\":[");
                    if (year.parentA[s] >= 0) {
                        json.append('"').append(parentPseudonym[year.parentA[s]]).append('"');
                    }
                    if (year.parentB[s] >= 0) {
                        json.append(",\"").append(parentPseudonym[year.parentB[s]]).append('"');
                    }
                    json.append("]}]}");
                }
                json.append("]}");
                batches.add(new Batch(0, n, part.size(), year.activeFrom(part.get(part.size() - 1)),
                        json.toString().getBytes(StandardCharsets.UTF_8),
                        part.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        batches.sort(Comparator.comparing(Batch::lastFrom).thenComparingInt(Batch::node));
        List<Batch> numbered = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            numbered.add(new Batch(i, b.node(), b.size(), b.lastFrom(), b.body(), b.signals()));
        }
        return numbered;
    }

    /** A node token as a node signs it for every call: five minutes, a fresh jti; an optional role claim. */
    private static String token(Es256TokenSigner signer, int node, String role) {
        String id = NationalYear.nodeId(node);
        Instant now = Instant.now();
        TokenClaims.Builder b = TokenClaims.builder()
                .issuer(id).subject(id).audience(NodeAuthentication.AUDIENCE)
                .jwtId(UUID.randomUUID().toString())
                .issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5)));
        if (role != null) {
            b.claim(Claim.string("role"), role);
        }
        return signer.sign(b.build());
    }

    private static void printYear(NationalYear year, Oracle.Counts expected) {
        int[] perNode = year.signalsPerNode();
        int[] sorted = perNode.clone();
        java.util.Arrays.sort(sorted);
        int parentsNamed = 0;
        int twoParents = 0;
        for (int s = 0; s < year.signals(); s++) {
            if (year.parentA[s] >= 0) {
                parentsNamed++;
            }
            if (year.parentB[s] >= 0) {
                twoParents++;
            }
        }
        int organisations = java.util.Arrays.stream(year.organisationsOf).sum();
        System.out.printf(Locale.ROOT, "generated: %,d signals on %,d youths (%.2f each) in %,d families, %,d parents;"
                        + " %.0f%% of signals name parents (%.0f%% two)%n",
                year.signals(), year.youths(), (double) year.signals() / year.youths(), year.families,
                year.parents(), 100.0 * parentsNamed / year.signals(), 100.0 * twoParents / year.signals());
        System.out.printf(Locale.ROOT, "nodes: 66; region 0 %,d signals (%.1f%%), the Raad %,d (%.1f%%), median region %,d,"
                        + " smallest %,d; %,d organisation references%n",
                perNode[0], 100.0 * perNode[0] / year.signals(), perNode[NationalYear.RAAD],
                100.0 * perNode[NationalYear.RAAD] / year.signals(), sorted[33], sorted[0], organisations);
        System.out.printf(Locale.ROOT, "oracle: child %,d within + %,d across; family %,d within + %,d across; %,d in all%n",
                expected.childWithin(), expected.childAcross(), expected.familyWithin(), expected.familyAcross(),
                expected.total());
    }

    private static void printTimings(List<Timing> timings, Options o) throws IOException {
        List<Timing> sorted = new ArrayList<>(timings);
        sorted.sort(Comparator.comparingLong(Timing::startNanos));
        double[] perSignalMs = sorted.stream()
                .mapToDouble(t -> (t.endNanos() - t.startNanos()) / 1e6 / t.batch().size()).sorted().toArray();
        double[] ms = sorted.stream().mapToDouble(t -> (t.endNanos() - t.startNanos()) / 1e6).sorted().toArray();
        System.out.printf(Locale.ROOT, "per request: median %.0f ms, p90 %.0f ms, max %.0f ms; per signal median %.3f ms,"
                        + " p90 %.3f ms; retries %d%n",
                pct(ms, 50), pct(ms, 90), pct(ms, 100), pct(perSignalMs, 50), pct(perSignalMs, 90),
                sorted.stream().mapToInt(t -> t.attempts() - 1).sum());
        // How the cost per signal grows through the year: tenths of the batches in sending order.
        StringBuilder line = new StringBuilder("ms per signal by tenth of the year:");
        int tenth = Math.max(1, sorted.size() / 10);
        for (int from = 0; from < sorted.size(); from += tenth) {
            List<Timing> part = sorted.subList(from, Math.min(sorted.size(), from + tenth));
            double sum = part.stream().mapToDouble(t -> (t.endNanos() - t.startNanos()) / 1e6).sum();
            int n = part.stream().mapToInt(t -> t.batch().size()).sum();
            line.append(String.format(Locale.ROOT, " %.3f", sum / n));
        }
        System.out.println(line);
        Files.createDirectories(o.csv().toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(o.csv()))) {
            w.println("batch,node,size,thread,start_ms,end_ms,duration_ms,attempts,created");
            for (Timing t : sorted) {
                w.printf(Locale.ROOT, "%d,%s,%d,%s,%.1f,%.1f,%.1f,%d,%d%n", t.batch().index(),
                        NationalYear.nodeId(t.batch().node()), t.batch().size(), t.thread(), t.startNanos() / 1e6,
                        t.endNanos() / 1e6, (t.endNanos() - t.startNanos()) / 1e6, t.attempts(), t.created());
            }
        }
        System.out.println("per-batch timings: " + o.csv().toAbsolutePath());
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void row(String what, long oracle, long db, long stats, long seed) {
        System.out.printf(Locale.ROOT, "%-14s %,12d %,14d %,15d %,11d %s%n", what, oracle, db, stats, seed,
                oracle == db && db == stats ? "" : "  <-- differs");
    }

    private static Oracle.Counts matchCounts(Connection c) throws SQLException {
        long[] v = new long[4];
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT match_type, cross_region, count(*) FROM signal_match GROUP BY match_type, cross_region")) {
            while (rs.next()) {
                int i = ("CHILD".equals(rs.getString(1)) ? 0 : 2) + (rs.getBoolean(2) ? 1 : 0);
                v[i] = rs.getLong(3);
            }
        }
        return new Oracle.Counts(v[0], v[1], v[2], v[3]);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The server's version and the settings that matter here. */
    private static String serverSettings(TestPostgres.Schema schema) throws SQLException {
        StringBuilder b = new StringBuilder("PostgreSQL");
        try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                     "SELECT name, current_setting(name) FROM pg_settings WHERE name IN ('server_version',"
                             + " 'autovacuum', 'random_page_cost', 'shared_buffers', 'work_mem', 'synchronous_commit',"
                             + " 'max_parallel_workers_per_gather') ORDER BY name = 'server_version' DESC, name")) {
            while (rs.next()) {
                b.append(rs.getString(1).equals("server_version") ? " " + rs.getString(2) + ":"
                        : " " + rs.getString(1) + "=" + rs.getString(2));
            }
        }
        return b.toString();
    }

    private static void printSizes(Connection c) throws SQLException {
        StringBuilder line = new StringBuilder("table sizes (with indexes):");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC")) {
            while (rs.next()) {
                line.append(String.format(Locale.ROOT, " %s %d MB;", rs.getString(1), rs.getLong(2) >> 20));
            }
        }
        System.out.println(line);
    }

    /**
     * The matcher's lookup of the links (persons) of 1000 of region 0's signals, as {@code Matcher} and
     * {@code KeyLookups} write it on PostgreSQL, with the plan PostgreSQL chose.
     */
    private static void explain(TestPostgres.Schema schema, NationalYear year, LocalDate today) throws SQLException {
        try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off");
            String signals = "SELECT array_agg(id) FROM (SELECT id FROM signal WHERE node_id = 'regio-00'"
                    + " ORDER BY id DESC LIMIT 1000) AS last";
            String sql = "SELECT x.* FROM UNNEST((" + signals + ")) AS q(id) CROSS JOIN LATERAL"
                    + " (SELECT sp.signal_id, sp.pseudonym, sp.role FROM signal_person sp WHERE sp.signal_id = q.id OFFSET 0) AS x";
            System.out.println("\nEXPLAIN (ANALYZE, BUFFERS) of the matcher's lookup of the links of the last 1000 signals"
                    + " of regio-00 (" + today + "):");
            try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                while (rs.next()) {
                    System.out.println("  " + rs.getString(1));
                }
            }
            c.rollback();
        }
    }

    /** Reads every node's feed from the start, 5000 entries a page (each entry carries a signed ticket). */
    private static void drainFeeds(HttpClient http, int port, Es256TokenSigner[] signers) throws Exception {
        long start = System.nanoTime();
        long entries = 0;
        int pages = 0;
        for (int n = 0; n < NationalYear.NODES; n++) {
            long after = 0;
            while (true) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/internal/v1/feed?after=" + after + "&limit=5000"))
                        .header("Authorization", "Bearer " + token(signers[n], n, null)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                pages++;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("feed of " + NationalYear.nodeId(n) + ": HTTP " + r.statusCode());
                }
                JsonNode page = JSON.readTree(r.body());
                int size = page.get("entries").size();
                if (size == 0) {
                    break;
                }
                entries += size;
                after = page.get("next").asLong();
            }
        }
        double s = secs(System.nanoTime() - start);
        System.out.printf(Locale.ROOT, "FEED: %,d entries in %d pages read in %.2f s (%,.0f entries/s)%n", entries, pages,
                s, entries / s);
    }

    private static String nodeTokenType() {
        try {
            return (String) NodeAuthentication.class.getField("TOKEN_TYPE").get(null);
        } catch (ReflectiveOperationException e) {
            return "betrokken-node+jwt";
        }
    }

    private static int occurrences(String text, String what) {
        int count = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            count++;
        }
        return count;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    /** Runs ANALYZE on the schema every few seconds, from a connection of its own, as autoanalyze would. */
    private static final class Analyzer {
        private final TestPostgres.Schema schema;
        private final int everySeconds;
        private final AtomicInteger runs = new AtomicInteger();
        private final AtomicLong nanos = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        Analyzer(TestPostgres.Schema schema, int everySeconds) {
            this.schema = schema;
            this.everySeconds = everySeconds;
        }

        void start() {
            if (everySeconds <= 0) {
                return;
            }
            thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
                     Statement s = c.createStatement()) {
                    while (running) {
                        Thread.sleep(everySeconds * 1000L);
                        long t = System.nanoTime();
                        s.execute("ANALYZE signal, signal_person, signal_match");
                        nanos.addAndGet(System.nanoTime() - t);
                        runs.incrementAndGet();
                    }
                } catch (SQLException e) {
                    System.out.println("analyzer stopped: " + e);
                } catch (InterruptedException e) {
                    // stopped
                }
            }, "analyzer");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.interrupt();
                thread.join(5000);
            }
        }

        void print() {
            if (everySeconds > 0) {
                System.out.printf(Locale.ROOT, "ANALYZE every %d s: %d runs, %.2f s in all%n", everySeconds, runs.get(),
                        secs(nanos.get()));
            }
        }
    }

    /**
     * Samples what the coordinator's database sessions are doing (pg_stat_activity, by application name) every few
     * milliseconds during the intake: running, waiting for a lock, waiting for I/O, or idle in a transaction (the
     * session waits for the coordinator's Java code).
     */
    private static final class DbSampler {
        private final TestPostgres.Schema schema;
        private final long periodMs;
        private final Map<String, Long> counts = new ConcurrentHashMap<>();
        private final AtomicLong samples = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        DbSampler(TestPostgres.Schema schema, long periodMs) {
            this.schema = schema;
            this.periodMs = periodMs;
        }

        void start() {
            thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
                     java.sql.PreparedStatement s = c.prepareStatement(
                             "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity"
                                     + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
                    s.setString(1, appName(schema));
                    while (running) {
                        samples.incrementAndGet();
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                String state = rs.getString(1);
                                if ("idle".equals(state)) {
                                    continue;
                                }
                                String what;
                                if ("idle in transaction".equals(state)) {
                                    what = "idle in transaction (coordinator's Java code)";
                                } else {
                                    String wait = rs.getString(2) == null ? "on CPU"
                                            : "waits " + rs.getString(2) + ":" + rs.getString(3);
                                    what = wait + " | " + statement(rs.getString(4));
                                }
                                counts.merge(what, 1L, Long::sum);
                            }
                        }
                        Thread.sleep(periodMs);
                    }
                } catch (SQLException | InterruptedException e) {
                    System.out.println("db sampler stopped: " + e);
                }
            }, "db-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }

        /** The statement, named by its first words. */
        private static String statement(String sql) {
            if (sql == null) {
                return "?";
            }
            String s = sql.replaceAll("\\s+", " ").trim();
            if (s.contains("FOR UPDATE")) {
                return "a row lock: " + (s.length() > 60 ? s.substring(0, 60) + "..." : s);
            }
            int in = s.indexOf(" IN (");
            if (in > 0) {
                s = s.substring(0, in) + " IN (...)";
            }
            int values = s.indexOf(" VALUES (");
            if (values > 0) {
                s = s.substring(0, values) + " VALUES ...";
            }
            return s.length() > 90 ? s.substring(0, 90) + "..." : s;
        }

        void print() {
            long n = samples.get();
            System.out.printf(Locale.ROOT, "database sessions, sampled every %d ms (%,d samples; 'sessions' = the"
                    + " average number of sessions in that state):%n", periodMs, n);
            Map<String, Long> sorted = new LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            for (Map.Entry<String, Long> e : sorted.entrySet()) {
                if (e.getValue() * 200 < n) {
                    continue; // under 0.005 sessions on average
                }
                System.out.printf(Locale.ROOT, "  %5.2f sessions  %s%n", (double) e.getValue() / n, e.getKey());
            }
        }
    }

    /**
     * Waits until the coordinator's matcher has taken every queued signal (a pass removes its signals from the queue in
     * the transaction that stores their matches). A coordinator that matches inside the intake has no queue.
     */
    private static void awaitMatched(TestPostgres.Schema schema) throws Exception {
        try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password())) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT to_regclass('match_queue') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            awaitEmptyQueue(c);
        }
    }

    private static void awaitEmptyQueue(Connection c) throws Exception {
        try (java.sql.PreparedStatement q = c.prepareStatement("SELECT count(*) FROM match_queue")) {
            while (true) {
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
    }
}
