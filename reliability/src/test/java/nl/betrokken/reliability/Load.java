package nl.betrokken.reliability;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Professionals registering signals and reading their matches at once, open loop at a fixed rate (a registration is
 * sent on time whether or not the earlier ones were answered), bounded in time: it stops sending after its length
 * and waits for what is in flight. Registrations come in pairs on the same youth from organisations of two different
 * nodes, so each pair must give one CHILD match, held by both nodes. A registration that meets an I/O error, a time-out
 * or a 5xx is retried with the same {@code Idempotency-Key} (as a regional system would) until it is answered; every
 * retry is recorded. Reads list the matches ({@code GET /api/v1/matches}) and read one ({@code GET
 * /api/v1/matches/{id}}).
 */
final class Load {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Youths are numbered across every load in this JVM, so that each pair is a youth of its own. */
    private static final AtomicInteger YOUTHS = new AtomicInteger();
    private static final Duration RETRY_WINDOW = Duration.ofMinutes(4);

    /** One registration and what became of it. */
    static final class Registration {
        final int pair;
        final String node;
        final String username;
        final String key;
        final String body;
        volatile long sentAt;
        volatile long acceptedAt;
        volatile int status;
        volatile String signalId;
        final List<String> retried = Collections.synchronizedList(new ArrayList<>());

        Registration(int pair, String node, String username, String key, String body) {
            this.pair = pair;
            this.node = node;
            this.username = username;
            this.key = key;
            this.body = body;
        }

        boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    private final Federation federation;
    private final int registrationsPerSecond;
    private final int readsPerSecond;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final List<Registration> registrations = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedQueue<String> readFailures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> readRetries = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> readMillis = new ConcurrentLinkedQueue<>();
    final AtomicLong reads = new AtomicLong();
    private Thread driver;
    private long startedAt;
    private long stoppedAt;

    Load(Federation federation, int registrationsPerSecond, int readsPerSecond) {
        this.federation = federation;
        this.registrationsPerSecond = registrationsPerSecond;
        this.readsPerSecond = readsPerSecond;
    }

    /** Starts sending, for {@code length}, in the background. */
    Load start(Duration length) {
        startedAt = System.currentTimeMillis();
        driver = new Thread(() -> drive(length), "load-driver");
        driver.start();
        return this;
    }

    /** Waits until the load stopped sending and every request was answered (retries included). */
    List<Registration> finish() throws InterruptedException {
        driver.join();
        workers.shutdown();
        if (!workers.awaitTermination(RETRY_WINDOW.toSeconds() + 60, TimeUnit.SECONDS)) {
            workers.shutdownNow();
            throw new IllegalStateException("the load's requests were not all answered in time");
        }
        return List.copyOf(registrations);
    }

    /** The seconds between the first registration sent and the last one sent. */
    double seconds() {
        return (stoppedAt - startedAt) / 1000.0;
    }

    private void drive(Duration length) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long registrationEvery = 1_000_000_000L / registrationsPerSecond;
        long readEvery = readsPerSecond == 0 ? Long.MAX_VALUE : 1_000_000_000L / readsPerSecond;
        long nextRegistration = start;
        long nextRead = start;
        int sent = 0;
        Registration first = null;
        while (true) {
            long next = Math.min(nextRegistration, nextRead);
            if (next >= end) {
                break;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (nextRegistration <= nextRead) {
                Registration r;
                if (sent % 2 == 0) {
                    first = registration(YOUTHS.incrementAndGet(), 0);
                    r = first;
                } else {
                    r = registration(first.pair, 1);
                }
                registrations.add(r);
                workers.submit(() -> register(r));
                sent++;
                nextRegistration += registrationEvery;
            } else {
                workers.submit(this::read);
                nextRead += readEvery;
            }
        }
        stoppedAt = System.currentTimeMillis();
    }

    private Registration registration(int youth, int side) {
        List<String> nodes = Federation.NODES;
        String node = nodes.get((youth + side) % nodes.size());
        List<String> profs = federation.professionals.get(node);
        String username = profs.get((youth / nodes.size()) % profs.size());
        String bsn = Bsns.valid(youth);
        String body = "{\"youth\":{\"bsn\":\"" + bsn + "\",\"birthDate\":\""
                + LocalDate.of(2012, 1, 1).plusDays(youth % 3000) + "\",\"name\":\"Kind " + youth + "\"},"
                + "\"ground\":\"c\",\"parentsInformed\":{\"on\":\"" + LocalDate.now().minusDays(1) + "\"}}";
        Registration r = new Registration(youth, node, username, "load-" + youth + "-" + side, body);
        return r;
    }

    private void register(Registration r) {
        long deadline = System.nanoTime() + RETRY_WINDOW.toNanos();
        r.sentAt = System.currentTimeMillis();
        while (true) {
            try {
                Federation.Response answer = federation.send(r.node, "POST", "/api/v1/signals", r.username, r.body,
                        Map.of("Idempotency-Key", r.key));
                if (answer.status() >= 500 && System.nanoTime() < deadline) {
                    r.retried.add("HTTP " + answer.status());
                    Service.sleep(500);
                    continue;
                }
                r.acceptedAt = System.currentTimeMillis();
                r.status = answer.status();
                if (r.accepted()) {
                    r.signalId = JSON.readTree(answer.body()).path("id").asText();
                }
                return;
            } catch (IOException e) {
                if (System.nanoTime() >= deadline) {
                    r.status = -1;
                    r.retried.add("gave up: " + e);
                    return;
                }
                r.retried.add(e instanceof HttpTimeoutException ? "time-out" : "I/O: " + e.getClass().getSimpleName());
                Service.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.status = -2;
                return;
            }
        }
    }

    private void read() {
        List<String> nodes = Federation.NODES;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String node = nodes.get(random.nextInt(nodes.size()));
        List<String> profs = federation.professionals.get(node);
        String username = profs.get(random.nextInt(profs.size()));
        try {
            Federation.Response list = readWithRetry(node, "/api/v1/matches", username);
            if (list == null) {
                return;
            }
            JsonNode matches = JSON.readTree(list.body());
            JsonNode items = matches.isArray() ? matches : matches.path("matches");
            if (items.size() > 0) {
                String id = items.get(random.nextInt(items.size())).path("id").asText();
                readWithRetry(node, "/api/v1/matches/" + id, username);
            }
        } catch (IOException e) {
            readFailures.add("unreadable answer: " + e.getMessage());
        }
    }

    private Federation.Response readWithRetry(String node, String path, String username) {
        long deadline = System.nanoTime() + RETRY_WINDOW.toNanos();
        while (true) {
            long t0 = System.nanoTime();
            try {
                Federation.Response r = federation.send(node, "GET", path, username, null, Map.of());
                if (r.status() >= 500 && System.nanoTime() < deadline) {
                    readRetries.add(node + " " + path + ": HTTP " + r.status());
                    Service.sleep(500);
                    continue;
                }
                reads.incrementAndGet();
                if (r.status() != 200) {
                    readFailures.add(node + " " + path + " as " + username + ": HTTP " + r.status() + " " + r.body());
                    return null;
                }
                readMillis.add((System.nanoTime() - t0) / 1_000_000);
                return r;
            } catch (IOException e) {
                if (System.nanoTime() >= deadline) {
                    readFailures.add(node + " " + path + ": gave up: " + e);
                    return null;
                }
                readRetries.add(node + " " + path + ": " + e.getClass().getSimpleName());
                Service.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
