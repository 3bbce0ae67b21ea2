package nl.betrokken.crypto.token;

import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import java.security.Provider;

/**
 * The JCA provider that does Betrokken's ES256 arithmetic: Bouncy Castle, whose P-256 code checks a signature about
 * five times as fast as JDK 17's own provider and signs about twice as fast ({@code Es256Benchmark},
 * docs/performance.md). Every service call carries a token, so under load these checks were the largest share of the
 * services' CPU. The provider is handed to nimbus-jose-jwt per signer and verifier; it is never registered with
 * {@link java.security.Security}, so nothing else in the JVM changes provider.
 */
public final class Es256Provider {

    private Es256Provider() {
    }

    /** The provider instance (one per JVM, shared). */
    public static Provider get() {
        return BouncyCastleProviderSingleton.getInstance();
    }

    /** {@code signer}, set to sign with {@link #get()}. */
    public static ECDSASigner use(ECDSASigner signer) {
        signer.getJCAContext().setProvider(get());
        return signer;
    }

    /** {@code verifier}, set to verify with {@link #get()}. */
    public static ECDSAVerifier use(ECDSAVerifier verifier) {
        verifier.getJCAContext().setProvider(get());
        return verifier;
    }
}
