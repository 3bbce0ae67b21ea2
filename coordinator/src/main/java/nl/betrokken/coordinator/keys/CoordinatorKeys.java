package nl.betrokken.coordinator.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.log.CosignatureV1Signer;
import nl.betrokken.crypto.log.Ed25519NoteSigner;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.crypto.keys.OwnerOnlyFile;
import nl.betrokken.crypto.pseudonym.subtle.HmacSha256;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.crypto.token.TokenSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's own keys, kept in its data directory and generated on first start:
 * <ul>
 *   <li>{@value #RING_FILE}: the re-key ring; its REKEY key is the second keyed hash over every pseudonym;</li>
 *   <li>{@value #TOKEN_FILE}: the P-256 key that signs match tickets and inzage tickets, published as a JWK set.</li>
 * </ul>
 * The Ed25519 keys of the audit log (signing its checkpoints, countersigning) are derived from the ring (HKDF,
 * purposes {@code audit-log} and {@code audit-cosign}); their public halves are at
 * {@code /.well-known/betrokken-audit-keys.json}.
 * Both files are owner-only ({@code chmod 600}) and refused otherwise. They are loaded at start-up, so a missing
 * or unreadable key stops the coordinator before it answers anything. The coordinator never holds the federation
 * key that makes pseudonyms.
 *
 * <p>The re-key key is that of the ring's epoch 1: re-keying under a new epoch would need every stored person to be
 * re-keyed in one go, which is not built.
 */
@Context
public final class CoordinatorKeys {

    static final String RING_FILE = "coordinator-keyring.properties";
    static final String TOKEN_FILE = "coordinator-token.jwk";
    /** The JWS {@code typ} of a match ticket. */
    public static final String TICKET_TYPE = "betrokken-ticket+jwt";
    /** The JWS {@code typ} of an inzage ticket (signed with the same key, so a node trusts the same JWK set). */
    public static final String INZAGE_TYPE = "betrokken-inzage+jwt";
    /** The JWS {@code typ} of a consent token (signed with the same key). */
    public static final String CONSENT_TYPE = "betrokken-consent+jwt";
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorKeys.class);

    /** The name of the coordinator's own audit log, and of the key that signs its checkpoints. */
    public static final String AUDIT_LOG_NAME = "betrokken/coordinator";
    /** The name of the key with which the coordinator countersigns checkpoints (its own and the nodes'). */
    public static final String AUDIT_WITNESS_NAME = "betrokken/coordinator/witness";

    private final HmacSha256 rekeyMac;
    private final TokenKeyPair tokenKey;
    private final TokenSigner signer;
    private final TokenSigner inzageSigner;
    private final TokenSigner consentSigner;
    private final Ed25519NoteSigner auditLogSigner;
    private final CosignatureV1Signer auditCosigner;

    CoordinatorKeys(@Value("${betrokken.data-dir}") Path dataDir, Clock clock) {
        try {
            Files.createDirectories(dataDir);
            Path ringFile = dataDir.resolve(RING_FILE);
            // Instances sharing a data directory may start together: exactly one generation wins, all read it.
            if (!Files.exists(ringFile)
                    && KeyRingFile.writeIfAbsent(ringFile, KeyRing.generate(new SecureRandom(), clock.instant()))) {
                LOG.info("generated the coordinator's re-key ring in {}", ringFile);
            }
            KeyRing ring = KeyRingFile.read(ringFile);
            rekeyMac = HmacSha256.create(ring.deriveKey(1, KeyPurpose.REKEY, clock.instant()));
            auditLogSigner = Ed25519NoteSigner.fromSeed(AUDIT_LOG_NAME, ring.deriveKey(1, KeyPurpose.AUDIT_LOG, clock.instant()));
            auditCosigner = CosignatureV1Signer.fromSeed(AUDIT_WITNESS_NAME,
                    ring.deriveKey(1, KeyPurpose.AUDIT_COSIGN, clock.instant()), clock);
            Path tokenFile = dataDir.resolve(TOKEN_FILE);
            if (!Files.exists(tokenFile)
                    && OwnerOnlyFile.writeIfAbsent(tokenFile, TokenKeyPair.generate("coordinator-1").toPrivateJson())) {
                LOG.info("generated the coordinator's ticket-signing key in {}", tokenFile);
            }
            tokenKey = TokenKeyPair.parsePrivate(OwnerOnlyFile.read(tokenFile));
            signer = Es256TokenSigner.create(tokenKey, TICKET_TYPE);
            inzageSigner = Es256TokenSigner.create(tokenKey, INZAGE_TYPE);
            consentSigner = Es256TokenSigner.create(tokenKey, CONSENT_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the coordinator's keys from " + dataDir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the coordinator's keys in " + dataDir + " are unusable", e);
        }
    }

    HmacSha256 rekeyMac() {
        return rekeyMac;
    }

    /** Signs match tickets. */
    public TokenSigner ticketSigner() {
        return signer;
    }

    /**
     * Signs inzage tickets: the ticket key under another {@code typ}, so that a node expecting one kind of ticket
     * refuses the other (RFC 8725 section 3.11).
     */
    public TokenSigner inzageSigner() {
        return inzageSigner;
    }

    /** Signs consent tokens: the ticket key under the consent {@code typ}. */
    public TokenSigner consentSigner() {
        return consentSigner;
    }

    /** Signs the checkpoints of the coordinator's own audit log. */
    public Ed25519NoteSigner auditLogSigner() {
        return auditLogSigner;
    }

    /** Countersigns checkpoints, with the time (c2sp.org/tlog-cosignature). */
    public CosignatureV1Signer auditCosigner() {
        return auditCosigner;
    }

    /** The public half of the ticket-signing key, as published at {@code /.well-known/jwks.json}. */
    public PublicKeySet publicKeys() {
        return PublicKeySet.of(tokenKey.publicJwk());
    }
}
