package nl.betrokken.node.account;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import nl.betrokken.node.NodeHarness;

/**
 * Sits between a node and the real provider's token endpoint: forwards the node's token request unchanged (its client
 * authentication and body too) and answers the provider's answer, except that the ID token can be swapped for one
 * with changed claims, signed with the provider's own key (or another). It also keeps the last request's form
 * parameters, so a test can see the code verifier the node sent. A test's tool for attacks no honest provider makes.
 */
final class TokenEndpointProxy implements AutoCloseable {

    /** How the ID token is changed: its claims, and the key that signs the result. */
    record Tamper(UnaryOperator<JWTClaimsSet.Builder> claims, RSAKey key) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpServer server;
    private final URI target;
    private volatile Tamper tamper;
    private volatile Map<String, String> lastForm = Map.of();

    TokenEndpointProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                lastForm = form(body);
                HttpRequest.Builder forward = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"))
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) {
                    forward.header("Authorization", authorization);
                }
                HttpResponse<String> answer = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofString());
                String out = answer.body();
                Tamper t = tamper;
                if (t != null && answer.statusCode() == 200) {
                    ObjectNode json = (ObjectNode) NodeHarness.JSON.readTree(out);
                    json.put("id_token", resign(json.get("id_token").asText(), t));
                    out = json.toString();
                }
                byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(answer.statusCode(), bytes.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } catch (ParseException | JOSEException e) {
                exchange.sendResponseHeaders(502, -1);
            }
        });
        server.start();
    }

    /** This proxy's token endpoint. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** From now on, change every ID token so; null: pass them through. */
    void tamper(Tamper t) {
        this.tamper = t;
    }

    /** The form parameters of the last token request. */
    Map<String, String> lastForm() {
        return lastForm;
    }

    private static String resign(String idToken, Tamper t) throws ParseException, JOSEException {
        SignedJWT original = SignedJWT.parse(idToken);
        JWTClaimsSet claims = t.claims().apply(new JWTClaimsSet.Builder(original.getJWTClaimsSet())).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(original.getHeader().getAlgorithm())
                .type(original.getHeader().getType()).keyID(t.key().getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(t.key()));
        return jwt.serialize();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
