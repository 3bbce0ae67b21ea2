package nl.betrokken.crypto.keys;

/**
 * What a key derived from an epoch secret is for. The {@link #label()} goes into the HKDF {@code info}
 * string, so keys for different purposes are independent even though they share an epoch secret.
 *
 * <p>Labels are part of the published derivation scheme: never change one.
 */
public enum KeyPurpose {
    /** Federation-wide pseudonyms of person identifiers, identical on every node. */
    PSEUDONYM("pseudonym"),
    /** A node-local lookup index over identifiers it stores. */
    BLIND_INDEX("blind-index"),
    /** A node-local AES-GCM key for data at rest. */
    DATA_ENCRYPTION("data-encryption"),
    /** The coordinator's own second keyed hash over received pseudonyms. */
    REKEY("rekey"),
    /** The Ed25519 seed that signs a service's own audit log checkpoints (c2sp.org/signed-note). */
    AUDIT_LOG("audit-log"),
    /** The coordinator's Ed25519 seed that countersigns checkpoints (c2sp.org/tlog-cosignature). */
    AUDIT_COSIGN("audit-cosign"),
    /**
     * A node's HMAC key for the keyed references by which its audit log names signals and matches, so that the log,
     * which outlives their erasure, holds no id that was ever shown outside the node.
     */
    AUDIT_REFERENCE("audit-reference"),
    /**
     * A node's HMAC key for the keyed hashes by which it stores the parents' portal sessions: the session id stays in
     * the person's cookie, so a copy of the session table signs nobody in.
     */
    PORTAL_SESSION("portal-session");

    private final String label;

    KeyPurpose(String label) {
        this.label = label;
    }

    /** Returns the stable label used in the HKDF {@code info} string, e.g. {@code pseudonym}. */
    public String label() {
        return label;
    }
}
