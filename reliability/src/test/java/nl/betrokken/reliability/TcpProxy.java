package nl.betrokken.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback between one node and the coordinator, which the test controls: {@link #cut()} closes every
 * connection through it and refuses new ones (accepted and closed at once) until {@link #restore()}. It can also
 * catch the node in the middle of delivering a batch of signals ({@link #holdAnswerToNextBatch()}): the request
 * reaches the coordinator, its answer never reaches the node.
 */
final class TcpProxy implements AutoCloseable {

    private static final byte[] BATCH = "POST /internal/v1/signals HTTP".getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();
    private final AtomicReference<CountDownLatch> batchSeen = new AtomicReference<>();
    private volatile boolean cut;
    private volatile boolean closed;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    void cut() {
        cut = true;
        for (Pipe p : pipes) {
            p.close();
        }
    }

    void restore() {
        cut = false;
    }

    /**
     * Arms the proxy: the next batch of signals the node sends ({@code POST /internal/v1/signals}) goes through to the
     * coordinator, but its answer (and anything after it on that connection) is held back from the node. The latch
     * opens when the batch was seen.
     */
    CountDownLatch holdAnswerToNextBatch() {
        CountDownLatch latch = new CountDownLatch(1);
        batchSeen.set(latch);
        return latch;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
                } catch (IOException down) {
                    client.close();
                    upstream.close();
                    continue;
                }
                Pipe pipe = new Pipe(client, upstream);
                pipes.add(pipe);
                pipe.start();
            } catch (IOException e) {
                if (!closed) {
                    Service.sleep(10);
                }
            }
        }
    }

    private final class Pipe {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean holding;

        Pipe(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            Thread up = new Thread(() -> pump(client, upstream, true), "proxy-up");
            Thread down = new Thread(() -> pump(upstream, client, false), "proxy-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(Socket from, Socket to, boolean towardsCoordinator) {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (towardsCoordinator) {
                        CountDownLatch armed = batchSeen.get();
                        if (armed != null && contains(buffer, n, BATCH) && batchSeen.compareAndSet(armed, null)) {
                            holding = true;
                            armed.countDown();
                        }
                    } else if (holding) {
                        continue; // the coordinator's answer to the batch: dropped
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                // one side closed or was cut
            } finally {
                close();
            }
        }

        void close() {
            pipes.remove(this);
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    static boolean contains(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Pipe p : pipes) {
            p.close();
        }
    }
}
