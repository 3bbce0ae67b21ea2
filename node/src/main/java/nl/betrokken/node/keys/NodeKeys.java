package nl.betrokken.node.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

import io.micronaut.context.annotation.Context;
import nl.betrokken.crypto.aead.Aead;
import nl.betrokken.crypto.aead.KeyRingAead;
import nl.betrokken.crypto.index.BlindIndex;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.crypto.keys.OwnerOnlyFile;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.crypto.token.TokenSigner;
import nl.betrokken.node.NodeConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's keys, in its data directory:
 * <ul>
 *   <li>{@value #FEDERATION_RING}: the federation key ring, the same at every node and never at the coordinator;
 *       it makes the pseudonyms. The node does not start without it: the operator distributes it (on one machine,
 *       {@code compose/local/up} does).</li>
 *   <li>{@value #LOCAL_RING}: this node's own ring, generated on first start: data-encryption and blind-index keys.</li>
 *   <li>{@value #TOKEN_KEY}: the P-256 key that signs this node's tokens, generated on first start; its public half
 *       is written to {@value #PUBLIC_KEYS} for enrolment at the coordinator.</li>
 * </ul>
 * Secret files are owner-only ({@code chmod 600}) and refused otherwise. Loaded at start-up.
 */
@Context
public final class NodeKeys {

    public static final String FEDERATION_RING = "federation-keyring.properties";
    public static final String LOCAL_RING = "node-keyring.properties";
    public static final String TOKEN_KEY = "node-token.jwk";
    public static final String PUBLIC_KEYS = "node-public.jwks.json";
    /** The JWS {@code typ} of a node's tokens, as the coordinator and other nodes expect it. */
    public static final String TOKEN_TYPE = "betrokken-node+jwt";
    private static final Logger LOG = LoggerFactory.getLogger(NodeKeys.class);

    private final Pseudonymizer pseudonymizer;
    private final Aead aead;
    private final BlindIndex blindIndex;
    private final TokenSigner signer;
    private final PublicKeySet publicKeys;

    NodeKeys(NodeConfiguration node, Clock clock) {
        Path dir = node.dataDir();
        try {
            Files.createDirectories(dir);
            Path federation = dir.resolve(FEDERATION_RING);
            if (!Files.exists(federation)) {
                throw new IllegalStateException("no federation key ring at " + federation + ": copy the federation's"
                        + " ring there (owner-only), or create one with `java -jar node.jar federation-keyring PATH`");
            }
            pseudonymizer = HmacPseudonymizer.create(KeyRingFile.read(federation), clock);
            initialise(dir, node.nodeId(), clock);
            KeyRing ring = KeyRingFile.read(dir.resolve(LOCAL_RING));
            aead = KeyRingAead.create(ring);
            blindIndex = BlindIndex.create(ring);
            TokenKeyPair pair = TokenKeyPair.parsePrivate(OwnerOnlyFile.read(dir.resolve(TOKEN_KEY)));
            signer = Es256TokenSigner.create(pair, TOKEN_TYPE);
            publicKeys = PublicKeySet.of(pair.publicJwk());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the node's keys from " + dir, e);
        }
    }

    /**
     * Creates this node's own key ring and token key in {@code dir} unless they exist, and writes the public token
     * keys to {@value #PUBLIC_KEYS} for enrolment. Safe to run while another process does the same.
     */
    public static void initialise(Path dir, String nodeId, Clock clock) throws IOException {
        Files.createDirectories(dir);
        Path local = dir.resolve(LOCAL_RING);
        if (KeyRingFile.writeIfAbsent(local, KeyRing.generate(new SecureRandom(), clock.instant()))) {
            LOG.info("generated this node's own key ring in {}", local);
        }
        Path tokenKey = dir.resolve(TOKEN_KEY);
        if (OwnerOnlyFile.writeIfAbsent(tokenKey, TokenKeyPair.generate(nodeId + "-1").toPrivateJson())) {
            LOG.info("generated this node's token key in {}", tokenKey);
        }
        TokenKeyPair pair = TokenKeyPair.parsePrivate(OwnerOnlyFile.read(tokenKey));
        Files.writeString(dir.resolve(PUBLIC_KEYS), PublicKeySet.of(pair.publicJwk()).toJson());
    }

    /** Pseudonyms for the coordinator, under the federation ring. */
    public Pseudonymizer pseudonymizer() {
        return pseudonymizer;
    }

    /** Encryption at rest under this node's own ring. */
    public Aead aead() {
        return aead;
    }

    /** The keyed blind index for look-ups by BSN. */
    public BlindIndex blindIndex() {
        return blindIndex;
    }

    /** Signs this node's tokens (type {@value #TOKEN_TYPE}). */
    public TokenSigner signer() {
        return signer;
    }

    /** This node's public token keys. */
    public PublicKeySet publicKeys() {
        return publicKeys;
    }
}
