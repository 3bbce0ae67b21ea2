package nl.betrokken.node.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.jwk.JWKSet;
import nl.betrokken.node.NodeHarness;

/**
 * A real OpenID provider for tests: the npm package {@code oidc-provider} (node/package.json, installed by the build),
 * configured by {@code src/test/oidc/provider.mjs} and run by Node.js in a child process on 127.0.0.1. Fails, never
 * skips, when Node.js or the package is missing.
 */
public final class OidcProviderProcess implements AutoCloseable {

    /** A client registered at the provider. */
    public record Client(String id, String secret, String redirectUri, String authMethod) {
    }

    private static final Path MODULE_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path SCRIPT = MODULE_DIR.resolve("src/test/oidc/provider.mjs");

    private final Process process;
    private final String issuer;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    /**
     * Starts a provider on {@code port} (0: any) with these clients, the BSN of each login name, and the private
     * signing keys, and waits until it listens.
     */
    public OidcProviderProcess(int port, List<Client> clients, Map<String, String> accounts, JWKSet privateKeys) {
        if (!Files.isDirectory(MODULE_DIR.resolve("node_modules/oidc-provider"))) {
            throw new IllegalStateException("oidc-provider is not installed in " + MODULE_DIR.resolve("node_modules")
                    + ": the Maven build runs npm ci in generate-resources");
        }
        ProcessBuilder pb = new ProcessBuilder(System.getenv().getOrDefault("NODE", "/usr/bin/node"), SCRIPT.toString())
                .directory(MODULE_DIR.toFile()).redirectErrorStream(true);
        try {
            pb.environment().put("OIDC_PORT", Integer.toString(port));
            pb.environment().put("OIDC_CLIENTS", NodeHarness.JSON.writeValueAsString(clients.stream().map(c -> Map.of(
                    "client_id", c.id(), "client_secret", c.secret(), "redirect_uris", List.of(c.redirectUri()),
                    "token_endpoint_auth_method", c.authMethod())).toList()));
            pb.environment().put("OIDC_ACCOUNTS", NodeHarness.JSON.writeValueAsString(accounts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        pb.environment().put("OIDC_JWKS", privateKeys.toString(false));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Node.js for the OpenID provider", e);
        }
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("READY ")) {
                        ready.complete(line.substring("READY ".length()).strip());
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("the OpenID provider stopped: " + output));
        }, "oidc-provider-output");
        reader.setDaemon(true);
        reader.start();
        try {
            issuer = ready.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("the OpenID provider did not start: " + output, e);
        }
    }

    /** Its issuer, {@code http://127.0.0.1:<port>}, which is also its base URL. */
    public String issuer() {
        return issuer;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
