package nl.betrokken.node.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

import io.micronaut.context.annotation.Context;
import nl.betrokken.crypto.aead.Aead;
import nl.betrokken.crypto.aead.KeyRingAead;
import nl.betrokken.crypto.index.BlindIndex;
import nl.betrokken.crypto.keys.KeyEpoch;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.crypto.keys.OwnerOnlyFile;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.log.Ed25519NoteSigner;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;
import nl.betrokken.crypto.pseudonym.subtle.HmacSha256;
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
 *   <li>{@value #LOCAL_RING}: this node's own ring, generated on first start: data-encryption and blind-index keys,
 *       and the audit log's keys (below).</li>
 *   <li>{@value #TOKEN_KEY}: the P-256 key that signs this node's tokens, generated on first start; its public half
 *       is written to {@value #PUBLIC_KEYS} for enrolment at the coordinator.</li>
 * </ul>
 * Secret files are owner-only ({@code chmod 600}) and refused otherwise. Loaded at start-up.
 *
 * <p>The audit log's keys (docs/audit.md) are derived from the own ring's oldest epoch that still holds a secret
 * (HKDF, purposes {@code audit-log} and {@code audit-reference}): the Ed25519 key that signs the log's checkpoints,
 * which the coordinator pins at the first countersignature, and the HMAC key of the references by which entries name
 * signals and matches. Both stay the same for the log's life, across rotations; only disabling that epoch (a leak)
 * changes them, after which the coordinator refuses the new log key until the operator enrols it.
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
    private final Ed25519NoteSigner auditLogSigner;
    private final HmacSha256 auditReferences;

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
            int auditEpoch = ring.epochs().stream().filter(e -> e.state() != KeyEpoch.State.DISABLED)
                    .findFirst().orElseThrow().id();
            auditLogSigner = Ed25519NoteSigner.fromSeed(auditLogName(node.nodeId()),
                    ring.deriveDataAtRestKey(auditEpoch, KeyPurpose.AUDIT_LOG));
            auditReferences = HmacSha256.create(ring.deriveDataAtRestKey(auditEpoch, KeyPurpose.AUDIT_REFERENCE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the node's keys from " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the node's own key ring in " + dir + " gives no audit keys", e);
        }
    }

    /** The name of node {@code nodeId}'s audit log (its checkpoints' origin) and of the key that signs them. */
    public static String auditLogName(String nodeId) {
        return "betrokken/node/" + nodeId;
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

    /** Signs this node's audit checkpoints (c2sp.org/signed-note, Ed25519). */
    public Ed25519NoteSigner auditLogSigner() {
        return auditLogSigner;
    }

    /**
     * The audit log's keyed reference of a node-local id ({@code signal/<uuid>}): 32 hex characters of
     * HMAC-SHA256 under the audit-reference key. The same id always gives the same reference.
     */
    public String auditReference(String id) {
        byte[] mac = auditReferences.compute(id.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac, 0, 16);
    }

    /** This node's public token keys. */
    public PublicKeySet publicKeys() {
        return publicKeys;
    }
}
