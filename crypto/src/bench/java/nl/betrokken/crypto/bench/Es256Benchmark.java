package nl.betrokken.crypto.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.betrokken.crypto.token.Es256Provider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Single-thread cost of signing and of checking one ES256 node token (header, claims, signature, as the services
 * send them) through nimbus-jose-jwt, with the JDK's own provider ({@code jdk}, the baseline) and with Bouncy
 * Castle's ({@code bouncycastle}, what {@link Es256Provider} gives the services), in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@State(Scope.Thread)
public class Es256Benchmark {

    @Param({"jdk", "bouncycastle"})
    public String provider;

    private ECDSASigner signer;
    private ECDSAVerifier verifier;
    private JWSHeader header;
    private JWTClaimsSet claims;
    private String token;

    @Setup
    public void setUp() throws JOSEException {
        ECKey keys = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        signer = new ECDSASigner(keys);
        verifier = new ECDSAVerifier(keys.toPublicJWK());
        if (provider.equals("bouncycastle")) {
            Es256Provider.use(signer);
            Es256Provider.use(verifier);
        }
        header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench")
                .type(new JOSEObjectType("betrokken-node+jwt")).build();
        Date now = new Date();
        claims = new JWTClaimsSet.Builder().issuer("noord").subject("noord").audience("betrokken-coordinator")
                .jwtID(UUID.randomUUID().toString()).issueTime(now).notBeforeTime(now)
                .expirationTime(new Date(now.getTime() + 120_000)).build();
        token = sign();
    }

    @Benchmark
    public String sign() throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Benchmark
    public boolean verify() throws JOSEException, ParseException {
        boolean valid = SignedJWT.parse(token).verify(verifier);
        if (!valid) {
            throw new IllegalStateException("the benchmark's token does not verify");
        }
        return valid;
    }
}
