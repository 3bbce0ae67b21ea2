package nl.betrokken.node.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 *       is written to {@value #PUBLIC_KEYS} for enrolment at the coordinator. Its key id is its RFC 7638 thumbprint
 *       (a key made before that, with key id {@code <node>-1}, is given its thumbprint as key id at start: the same
 *       key, so its enrolment stands). {@code java -jar node.jar token-key-rotate} replaces it (compromise,
 *       rotation); the running node signs with the new key from its next token on, and the operator enrols the new
 *       public key at the coordinator, which refuses the old one from then on.</li>
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
    private final Path tokenKeyFile;
    /** The token key as last read, and the file's modification time it was read at (re-read when that changes). */
    private volatile LoadedTokenKey tokenKey;
    private final Ed25519NoteSigner auditLogSigner;
    private final HmacSha256 auditReferences;
    private final HmacSha256 portalSessions;

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
            tokenKeyFile = dir.resolve(TOKEN_KEY);
            tokenKey = LoadedTokenKey.read(tokenKeyFile);
            int auditEpoch = ring.epochs().stream().filter(e -> e.state() != KeyEpoch.State.DISABLED)
                    .findFirst().orElseThrow().id();
            auditLogSigner = Ed25519NoteSigner.fromSeed(auditLogName(node.nodeId()),
                    ring.deriveDataAtRestKey(auditEpoch, KeyPurpose.AUDIT_LOG));
            auditReferences = HmacSha256.create(ring.deriveDataAtRestKey(auditEpoch, KeyPurpose.AUDIT_REFERENCE));
            portalSessions = HmacSha256.create(ring.deriveDataAtRestKey(auditEpoch, KeyPurpose.PORTAL_SESSION));
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
        if (OwnerOnlyFile.writeIfAbsent(tokenKey, TokenKeyPair.generate().toPrivateJson())) {
            LOG.info("generated this node's token key in {}", tokenKey);
        }
        TokenKeyPair pair = TokenKeyPair.parsePrivate(OwnerOnlyFile.read(tokenKey));
        if (!pair.hasThumbprintKid()) {
            // Made before key ids were thumbprints (noord-1): the same key under its thumbprint. The coordinator
            // knows an enrolled key by its thumbprint whatever id it was enrolled with, so the enrolment stands.
            pair = pair.withThumbprintKid();
            OwnerOnlyFile.write(tokenKey, pair.toPrivateJson());
            LOG.info("gave this node's token key its thumbprint {} as key id", pair.kid());
        }
        Files.writeString(dir.resolve(PUBLIC_KEYS), PublicKeySet.of(pair.publicJwk()).toJson());
    }

    /**
     * Replaces the token key in {@code dir} with a new one and writes its public half to {@value #PUBLIC_KEYS}, for
     * the operator to enrol at the coordinator ({@code coordinator.jar enrol}). A node running on {@code dir} signs
     * with the new key from its next token on. Returns the new key's id.
     */
    public static String rotateTokenKey(Path dir) throws IOException {
        Path tokenKey = dir.resolve(TOKEN_KEY);
        if (!Files.exists(tokenKey)) {
            throw new IllegalStateException("no token key at " + tokenKey + ": is " + dir + " a node's data directory?");
        }
        TokenKeyPair pair = TokenKeyPair.generate();
        OwnerOnlyFile.write(tokenKey, pair.toPrivateJson());
        Files.writeString(dir.resolve(PUBLIC_KEYS), PublicKeySet.of(pair.publicJwk()).toJson());
        LOG.info("replaced this node's token key in {} by {}", tokenKey, pair.kid());
        return pair.kid();
    }

    /** The token key and the file time it was read at. */
    private record LoadedTokenKey(FileTime modified, TokenSigner signer, PublicKeySet publicKeys) {

        static LoadedTokenKey read(Path file) throws IOException {
            FileTime modified = Files.getLastModifiedTime(file);
            TokenKeyPair pair = TokenKeyPair.parsePrivate(OwnerOnlyFile.read(file));
            return new LoadedTokenKey(modified, Es256TokenSigner.create(pair, TOKEN_TYPE), PublicKeySet.of(pair.publicJwk()));
        }
    }

    /**
     * The token key, read again when its file changed ({@code token-key-rotate} replaces it): a node whose key was
     * replaced signs with the new one without a restart. A file that cannot be read keeps the key in use.
     */
    private LoadedTokenKey tokenKey() {
        LoadedTokenKey current = tokenKey;
        try {
            if (!Files.getLastModifiedTime(tokenKeyFile).equals(current.modified())) {
                synchronized (this) {
                    current = tokenKey;
                    if (!Files.getLastModifiedTime(tokenKeyFile).equals(current.modified())) {
                        current = LoadedTokenKey.read(tokenKeyFile);
                        tokenKey = current;
                        LOG.info("signing with the token key {} from now on", current.publicKeys().keyIds());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not read the token key {} again; signing with the key in use: {}", tokenKeyFile, e.toString());
        }
        return current;
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
        return tokenKey().signer();
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

    /**
     * The keyed hash (HMAC-SHA256 under the portal-session key, from the same epoch as the audit keys) by which a
     * portal session is stored: the session id itself stays in the person's cookie.
     */
    public byte[] portalSessionHash(byte[] sessionId) {
        return portalSessions.compute(sessionId);
    }

    /** This node's public token keys. */
    public PublicKeySet publicKeys() {
        return tokenKey().publicKeys();
    }
}
