package nl.betrokken.node.inzage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.keys.NodeKeys;

/**
 * A stand-in for the coordinator's side of inzage, implementing exactly the contract the coordinator is being built
 * to: its ticket key at {@code /.well-known/jwks.json}; the enrolled nodes' token keys ({@code /internal/v1/nodes/keys},
 * {@code /internal/v1/nodes/{node}/keys}) so that nodes authenticate each other as with the real one; the outbox's
 * signal records, kept as they come (pseudonyms only); and {@code POST /internal/v1/inzage}: the signals whose youth
 * is the person ({@code SELF}), and every signal on a youth of whom the person is named a parent on some signal
 * ({@code PARENT}), each with an ES256 ticket ({@code betrokken-inzage+jwt}, aud the holding node, sub the ref,
 * {@code asker} the calling node by its token's issuer, {@code relation}, two minutes).
 */
final class InzageCoordinator implements AutoCloseable {

    static final Claim<String> ASKER = Claim.string("asker");
    static final Claim<String> RELATION = Claim.string("relation");

    private final HttpServer server;
    private final TokenKeyPair ticketKey = TokenKeyPair.generate("coordinator-ticket-1");
    private final Es256TokenSigner signer = Es256TokenSigner.create(ticketKey, "betrokken-inzage+jwt");
    private final Map<String, Path> nodes = new ConcurrentHashMap<>();
    /** The signal records by ref, with the node that sent them as "node". */
    private final Map<String, ObjectNode> signals = new ConcurrentHashMap<>();
    /** A made-up signal at {@code node} added to the answer of whoever is a parent on the signal with that ref. */
    private final Map<String, String> elsewhere = new ConcurrentHashMap<>();

    InzageCoordinator() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Enrols a node whose data directory (keys) is {@code dir}. */
    void enrol(String node, Path dir) {
        nodes.put(node, dir);
    }

    /** How many signal records have reached it. */
    int signalCount() {
        return signals.size();
    }

    /** Adds a signal at {@code node} (which does not answer) to the answer of a parent on signal {@code ref}. */
    void alsoAt(String ref, String node) {
        elsewhere.put(ref, node);
    }

    /** An inzage ticket signed with the coordinator's ticket key. */
    String ticket(String holder, String ref, String asker, String relation, Instant issuedAt, Duration lifetime) {
        return signer.sign(TokenClaims.builder().issuer("betrokken-coordinator").audience(holder).subject(ref)
                .jwtId(UUID.randomUUID().toString()).issuedAt(issuedAt).expiresAt(issuedAt.plus(lifetime))
                .claim(ASKER, asker).claim(RELATION, relation).build());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] request = exchange.getRequestBody().readAllBytes();
        String body;
        if (path.equals("/.well-known/jwks.json")) {
            body = PublicKeySet.of(ticketKey.publicJwk()).toJson();
        } else if (path.equals("/internal/v1/nodes/keys")) {
            body = directory();
        } else if (path.startsWith("/internal/v1/nodes/") && path.endsWith("/keys")) {
            Path dir = nodes.get(path.substring("/internal/v1/nodes/".length(), path.length() - "/keys".length()));
            if (dir == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            body = Files.readString(dir.resolve(NodeKeys.PUBLIC_KEYS));
        } else if (path.equals("/internal/v1/signals")) {
            String sender = issuer(exchange);
            for (JsonNode s : NodeHarness.JSON.readTree(request).get("signals")) {
                ObjectNode record = ((ObjectNode) s).deepCopy();
                record.put("node", sender);
                signals.put(s.get("ref").asText(), record);
            }
            body = "{}";
        } else if (path.equals("/internal/v1/inzage")) {
            body = inzage(issuer(exchange), NodeHarness.JSON.readTree(request));
        } else {
            body = "{}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String inzage(String asker, JsonNode request) throws IOException {
        Set<String> person = new HashSet<>();
        request.get("pseudonyms").forEach(p -> person.add(p.get("epoch").asInt() + "/" + p.get("person").asText()));
        Set<String> children = new HashSet<>();
        List<String> parentOn = new ArrayList<>();
        for (ObjectNode s : signals.values()) {
            for (JsonNode e : s.get("pseudonyms")) {
                for (JsonNode parent : e.get("parents")) {
                    if (person.contains(e.get("epoch").asInt() + "/" + parent.asText())) {
                        children.add(e.get("epoch").asInt() + "/" + e.get("youth").asText());
                        parentOn.add(s.get("ref").asText());
                    }
                }
            }
        }
        Map<String, String> relation = new LinkedHashMap<>();
        for (ObjectNode s : signals.values()) {
            for (JsonNode e : s.get("pseudonyms")) {
                String youth = e.get("epoch").asInt() + "/" + e.get("youth").asText();
                if (person.contains(youth)) {
                    relation.put(s.get("ref").asText(), "SELF");
                } else if (children.contains(youth)) {
                    relation.putIfAbsent(s.get("ref").asText(), "PARENT");
                }
            }
        }
        ArrayNode out = NodeHarness.JSON.createArrayNode();
        Instant now = Instant.now();
        relation.forEach((ref, rel) -> {
            String holder = signals.get(ref).get("node").asText();
            out.addObject().put("node", holder).put("ref", ref).put("relation", rel)
                    .put("ticket", ticket(holder, ref, asker, rel, now, Duration.ofMinutes(2)));
        });
        for (String ref : parentOn) {
            String node = elsewhere.get(ref);
            if (node != null) {
                out.addObject().put("node", node).put("ref", "s-elsewhere").put("relation", "PARENT")
                        .put("ticket", ticket(node, "s-elsewhere", asker, "PARENT", now, Duration.ofMinutes(2)));
            }
        }
        ObjectNode answer = NodeHarness.JSON.createObjectNode();
        answer.set("signals", out);
        return NodeHarness.JSON.writeValueAsString(answer);
    }

    /** Every enrolled node's public token keys, and the node of each key id, as the coordinator serves them. */
    private String directory() throws IOException {
        ObjectNode out = NodeHarness.JSON.createObjectNode();
        ArrayNode keys = out.putArray("keys");
        ObjectNode owners = out.putObject("nodes");
        for (Map.Entry<String, Path> n : nodes.entrySet()) {
            for (JsonNode key : NodeHarness.JSON.readTree(Files.readString(n.getValue().resolve(NodeKeys.PUBLIC_KEYS)))
                    .get("keys")) {
                keys.add(key);
                owners.put(key.get("kid").asText(), n.getKey());
            }
        }
        return NodeHarness.JSON.writeValueAsString(out);
    }

    /** The calling node: its token's issuer, unverified (this stand-in trusts its callers; the nodes do not). */
    private static String issuer(HttpExchange exchange) {
        try {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            return JWTParser.parse(auth.substring("Bearer ".length())).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException | RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
