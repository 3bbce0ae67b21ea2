package nl.betrokken.crypto.token;

import static nl.betrokken.crypto.token.TokenVerificationException.Reason.ALG_NONE;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.BAD_SIGNATURE;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.EXPIRED;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.MALFORMED;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.MISSING_CLAIM;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.NOT_YET_VALID;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.UNEXPECTED_ALGORITHM;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.UNKNOWN_KEY_ID;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.WRONG_AUDIENCE;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.WRONG_ISSUER;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.WRONG_TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Es256TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String NODE = "node-utrecht";
    private static final String COORDINATOR = "coordinator";
    private static final TokenKeyPair NODE_KEY = TokenKeyPair.generate("node-utrecht-2026-01");
    private static final PublicKeySet TRUSTED = PublicKeySet.of(NODE_KEY.publicJwk());
    private static final String NODE_TYPE = "betrokken-node+jwt";

    private static final Claim<String> TICKET = Claim.string("ticket");
    private static final Claim<Long> COUNT = Claim.number("n");
    private static final Claim<Boolean> URGENT = Claim.bool("urgent");
    private static final Claim<List<String>> SIGNALS = Claim.stringList("signals");

    private static final ObjectMapper JSON = new ObjectMapper();

    // --- round trip ---------------------------------------------------------------------------------------------

    @Test
    void sign_thenVerify_returnsTheSameClaims() throws Exception {
        TokenClaims claims = claims()
                .claim(TICKET, "t-1")
                .claim(COUNT, 42L)
                .claim(URGENT, true)
                .claim(SIGNALS, List.of("s-1", "s-2"))
                .build();

        VerifiedToken verified = verifier().requireClaim(TICKET).requireClaim(SIGNALS).build().verify(sign(claims));

        assertEquals(claims, verified.claims());
        assertEquals(NODE_KEY.kid(), verified.keyId());
        assertEquals("t-1", verified.claims().require(TICKET));
        assertEquals(42L, verified.claims().require(COUNT));
        assertEquals(true, verified.claims().require(URGENT));
        assertEquals(List.of("s-1", "s-2"), verified.claims().require(SIGNALS));
    }

    @Test
    void sign_writesHeaderWithAlgKidAndTyp() throws Exception {
        String token = sign(claims().build());

        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));

        assertEquals("ES256", header.get("alg").asText());
        assertEquals(NODE_KEY.kid(), header.get("kid").asText());
        assertEquals("JWT", header.get("typ").asText());
        assertEquals(3, header.size());
    }

    @Test
    void verify_withKeySetHoldingSeveralKeys_usesTheKeyNamedByKid() throws Exception {
        TokenKeyPair other = TokenKeyPair.generate("node-zwolle-2026-01");
        Es256TokenVerifier verifier = verifier().trustedKeys(TRUSTED.with(other.publicJwk())).build();

        VerifiedToken verified = verifier.verify(Es256TokenSigner.create(other).sign(claims().build()));

        assertEquals("node-zwolle-2026-01", verified.keyId());
    }

    // --- algorithm ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void verify_withAlgNone_throwsAlgNone(String alg) {
        String token = b64("{\"alg\":\"" + alg + "\"}") + "." + b64(fullClaims().build().toString()) + ".";

        assertRefused(ALG_NONE, token);
    }

    @Test
    void verify_withAlgNoneAndKidAndForgedSignature_throwsAlgNone() {
        String token = b64("{\"alg\":\"none\",\"kid\":\"" + NODE_KEY.kid() + "\"}") + "."
                + b64(fullClaims().build().toString()) + "." + b64("anything");

        assertRefused(ALG_NONE, token);
    }

    @Test
    void verify_withNimbusPlainJwt_throwsAlgNone() {
        assertRefused(ALG_NONE, new PlainJWT(fullClaims().build()).serialize());
    }

    @Test
    void verify_withHs256UsingThePublicKeyAsSecret_throwsUnexpectedAlgorithm() throws Exception {
        // The classic key confusion: a verifier that lets the token pick the algorithm would check this HMAC with
        // the (public) key material it trusts for this kid.
        byte[] secret = NODE_KEY.publicJwk().toJSONString().getBytes(StandardCharsets.UTF_8);
        JWSObject jws = new JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(NODE_KEY.kid()).build(),
                new Payload(fullClaims().build().toJSONObject()));
        jws.sign(new MACSigner(secret));

        TokenVerificationException e = assertRefused(UNEXPECTED_ALGORITHM, jws.serialize());
        assertTrue(e.getMessage().contains("HS256"), e.getMessage());
    }

    @Test
    void verify_withEs384_throwsUnexpectedAlgorithm() throws Exception {
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID(NODE_KEY.kid()).generate();

        String token = signRaw(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(NODE_KEY.kid()).build(),
                fullClaims().build().toString(), p384);

        assertRefused(UNEXPECTED_ALGORITHM, token);
    }

    @Test
    void verify_withAlgInOtherCase_throwsUnexpectedAlgorithm() throws Exception {
        // Signed correctly with the trusted key; only the header's spelling differs.
        String token = signRaw(JWSAlgorithm.parse("es256"), fullClaims().build().toString());

        assertRefused(UNEXPECTED_ALGORITHM, token);
    }

    @Test
    void verify_withoutAlg_throwsMalformed() {
        String token = b64("{\"kid\":\"" + NODE_KEY.kid() + "\"}") + "." + b64("{}") + "." + b64("sig");

        assertRefused(MALFORMED, token);
    }

    // --- type (RFC 8725 section 3.11) ----------------------------------------------------------------------------

    @Test
    void sign_withType_writesItAsTyp() throws Exception {
        String token = Es256TokenSigner.create(NODE_KEY, NODE_TYPE).sign(claims().build());

        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));

        assertEquals(NODE_TYPE, header.get("typ").asText());
    }

    @Test
    void verify_withExpectedTypeAndThatTyp_isAccepted() throws Exception {
        String token = Es256TokenSigner.create(NODE_KEY, NODE_TYPE).sign(claims().build());

        assertEquals(NODE_KEY.kid(), verifier().expectedType(NODE_TYPE).build().verify(token).keyId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Betrokken-Node+JWT", "application/betrokken-node+jwt", "APPLICATION/betrokken-node+jwt"})
    void verify_withExpectedTypeAndTypDifferingOnlyAsMediaTypesMay_isAccepted(String typ) throws Exception {
        String token = Es256TokenSigner.create(NODE_KEY, typ).sign(claims().build());

        verifier().expectedType(NODE_TYPE).build().verify(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"betrokken-ticket+jwt", "JWT", "betrokken-node+jwt2", "text/betrokken-node+jwt"})
    void verify_withExpectedTypeAndOtherTyp_throwsWrongType(String typ) {
        String token = Es256TokenSigner.create(NODE_KEY, typ).sign(claims().build());

        TokenVerificationException e = assertRefused(WRONG_TYPE, verifier().expectedType(NODE_TYPE).build(), token);
        assertEquals("WRONG_TYPE: typ is not the expected type '" + NODE_TYPE + "'", e.getMessage());
    }

    @Test
    void verify_withExpectedTypeAndNoTyp_throwsWrongType() throws Exception {
        String token = signRaw(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(NODE_KEY.kid()).build(),
                fullClaims().build().toString(), NODE_KEY.privateJwk());

        assertRefused(WRONG_TYPE, verifier().expectedType(NODE_TYPE).build(), token);
    }

    @Test
    void verify_withExpectedTypeAndWrongTypAndBadSignature_throwsWrongTypeBeforeCheckingTheSignature() {
        TokenKeyPair impostor = TokenKeyPair.generate(NODE_KEY.kid());
        String token = Es256TokenSigner.create(impostor, "betrokken-ticket+jwt").sign(claims().build());

        assertRefused(WRONG_TYPE, verifier().expectedType(NODE_TYPE).build(), token);
    }

    @Test
    void verify_withoutExpectedType_acceptsAnyTypOrNone() throws Exception {
        // Documented default: the type is only checked when the verifier is told which one to expect.
        Es256TokenVerifier anyType = verifier().build();
        anyType.verify(sign(claims().build()));
        anyType.verify(Es256TokenSigner.create(NODE_KEY, "betrokken-ticket+jwt").sign(claims().build()));
        anyType.verify(signRaw(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(NODE_KEY.kid()).build(),
                fullClaims().build().toString(), NODE_KEY.privateJwk()));
    }

    @Test
    void create_withBlankType_throws() {
        assertThrows(IllegalArgumentException.class, () -> Es256TokenSigner.create(NODE_KEY, " "));
        assertThrows(IllegalArgumentException.class, () -> Es256TokenSigner.create(NODE_KEY, null));
    }

    @Test
    void expectedType_withBlankType_throws() {
        assertThrows(IllegalArgumentException.class, () -> verifier().expectedType(""));
        assertThrows(IllegalArgumentException.class, () -> verifier().expectedType(null));
    }

    // --- key id and signature -----------------------------------------------------------------------------------

    @Test
    void verify_withUnknownKid_throwsUnknownKeyId() {
        TokenKeyPair stranger = TokenKeyPair.generate("node-unknown");

        assertRefused(UNKNOWN_KEY_ID, Es256TokenSigner.create(stranger).sign(claims().build()));
    }

    @Test
    void verify_withoutKid_throwsUnknownKeyId() throws Exception {
        String token = signRaw(new JWSHeader.Builder(JWSAlgorithm.ES256).build(), fullClaims().build().toString(),
                NODE_KEY.privateJwk());

        assertRefused(UNKNOWN_KEY_ID, token);
    }

    @Test
    void verify_withTamperedPayload_throwsBadSignature() throws Exception {
        String[] parts = sign(claims().build()).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String tampered = payload.replace("\"sub\":\"" + NODE + "\"", "\"sub\":\"node-amsterdam\"");
        assertFalse(tampered.equals(payload), "test setup: the subject must have been replaced");

        assertRefused(BAD_SIGNATURE, parts[0] + "." + b64(tampered) + "." + parts[2]);
    }

    @Test
    void verify_withTamperedSignature_throwsBadSignature() {
        String token = sign(claims().build());
        int at = token.lastIndexOf('.') + 1;
        char flipped = token.charAt(at) == 'A' ? 'B' : 'A';

        assertRefused(BAD_SIGNATURE, token.substring(0, at) + flipped + token.substring(at + 1));
    }

    @Test
    void verify_withAllZeroSignature_throwsBadSignature() {
        // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
        String token = sign(claims().build());

        assertRefused(BAD_SIGNATURE,
                token.substring(0, token.lastIndexOf('.') + 1) + Base64URL.encode(new byte[64]));
    }

    @Test
    void verify_signedByOtherKeyWithSameKid_throwsBadSignature() {
        TokenKeyPair impostor = TokenKeyPair.generate(NODE_KEY.kid());

        assertRefused(BAD_SIGNATURE, Es256TokenSigner.create(impostor).sign(claims().build()));
    }

    @Test
    void verify_withCriticalHeaderParameter_throwsMalformed() throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(NODE_KEY.kid())
                .customParam("exp-policy", "strict").criticalParams(Set.of("exp-policy")).build();

        TokenVerificationException e =
                assertRefused(MALFORMED, signRaw(header, fullClaims().build().toString(), NODE_KEY.privateJwk()));
        assertTrue(e.getMessage().contains("critical"), e.getMessage());
    }

    // --- malformed input ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        "a.b",
        "a.b.c.d",
        "a.b.c.d.e",
        "...",
        "!!!.???.###",
        "eyJhbGciOiJFUzI1NiJ9.e30=.AAAA",
        "bm90IGpzb24.e30.AAAA",
        "W10.e30.AAAA",
        "eyJhbGciOjI1Nn0.e30.AAAA",
    })
    void verify_withGarbage_throwsMalformed(String token) {
        assertRefused(MALFORMED, token);
    }

    @Test
    void verify_withNull_throwsMalformed() {
        assertRefused(MALFORMED, null);
    }

    @Test
    void verify_withSignedPayloadThatIsNotJson_throwsMalformed() throws Exception {
        assertRefused(MALFORMED, signRaw(JWSAlgorithm.ES256, "not json"));
    }

    @Test
    void verify_withRegisteredClaimOfWrongType_throwsMalformed() throws Exception {
        String payload = fullClaims().build().toString()
                .replaceFirst("\"exp\":\\d+", "\"exp\":\"tomorrow\"");

        assertRefused(MALFORMED, signRaw(JWSAlgorithm.ES256, payload));
    }

    @Test
    void verify_withBlankSubject_throwsMalformed() throws Exception {
        assertRefused(MALFORMED, signRaw(JWSAlgorithm.ES256, fullClaims().subject(" ").build().toString()));
    }

    @Test
    void verify_withExpiryNotAfterNotBefore_throwsMalformed() throws Exception {
        JWTClaimsSet claims = fullClaims().notBeforeTime(Date.from(NOW)).expirationTime(Date.from(NOW)).build();

        assertRefused(MALFORMED, signRaw(JWSAlgorithm.ES256, claims.toString()));
    }

    // --- registered claims --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
    void verify_withoutRegisteredClaim_throwsMissingClaim(String name) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(fullClaims().build()).claim(name, null).build();
        assertFalse(claims.toString().contains("\"" + name + "\""), "test setup: " + name + " must be absent");

        TokenVerificationException e = assertRefused(MISSING_CLAIM, signRaw(JWSAlgorithm.ES256, claims.toString()));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void verify_withWrongAudience_throws() {
        assertRefused(WRONG_AUDIENCE, sign(claims().audience("node-zwolle").build()));
    }

    @Test
    void verify_withSeveralAudiences_throwsWrongAudience() throws Exception {
        JWTClaimsSet claims = fullClaims().audience(List.of(COORDINATOR, "node-zwolle")).build();

        assertRefused(WRONG_AUDIENCE, signRaw(JWSAlgorithm.ES256, claims.toString()));
    }

    @Test
    void verify_withWrongIssuer_throws() {
        assertRefused(WRONG_ISSUER, sign(claims().issuer("node-zwolle").build()));
    }

    @Test
    void verify_withoutExpectedIssuer_acceptsAnyIssuer() throws Exception {
        Es256TokenVerifier anyIssuer = Es256TokenVerifier.builder()
                .trustedKeys(TRUSTED).expectedAudience(COORDINATOR).clock(CLOCK).build();

        VerifiedToken verified = anyIssuer.verify(sign(claims().issuer("node-zwolle").build()));

        assertEquals("node-zwolle", verified.claims().issuer());
    }

    // --- time ---------------------------------------------------------------------------------------------------

    @Test
    void verify_expiredBeyondSkew_throwsExpired() {
        String token = sign(claims().issuedAt(NOW.minusSeconds(600)).expiresAt(NOW.minusSeconds(61)).build());

        TokenVerificationException e = assertRefused(EXPIRED, token);
        assertEquals("EXPIRED: token expired at 2025-12-31T23:58:59Z, now 2026-01-01T00:00:00Z, allowed skew PT1M",
                e.getMessage());
    }

    @Test
    void verify_expiredWithinSkew_isAccepted() throws Exception {
        String token = sign(claims().issuedAt(NOW.minusSeconds(600)).expiresAt(NOW.minusSeconds(59)).build());

        verifier().build().verify(token);
    }

    @Test
    void verify_atExpiryPlusSkew_throwsExpired() {
        String token = sign(claims().issuedAt(NOW.minusSeconds(600)).expiresAt(NOW.minusSeconds(60)).build());

        assertRefused(EXPIRED, token);
    }

    @Test
    void verify_expiredWithZeroSkew_throwsExpired() {
        String token = sign(claims().issuedAt(NOW.minusSeconds(600)).expiresAt(NOW).build());

        assertRefused(EXPIRED, verifier().maxClockSkew(Duration.ZERO).build(), token);
    }

    @Test
    void verify_notYetValidBeyondSkew_throwsNotYetValid() {
        String token = sign(claims().issuedAt(NOW).notBefore(NOW.plusSeconds(61)).expiresAt(NOW.plusSeconds(600))
                .build());

        TokenVerificationException e = assertRefused(NOT_YET_VALID, token);
        assertEquals("NOT_YET_VALID: token not valid before 2026-01-01T00:01:01Z, now 2026-01-01T00:00:00Z,"
                + " allowed skew PT1M", e.getMessage());
    }

    @Test
    void verify_notYetValidWithinSkew_isAccepted() throws Exception {
        String token = sign(claims().issuedAt(NOW).notBefore(NOW.plusSeconds(60)).expiresAt(NOW.plusSeconds(600))
                .build());

        verifier().build().verify(token);
    }

    @Test
    void verify_issuedInTheFutureBeyondSkew_throwsNotYetValid() {
        String token = sign(claims().issuedAt(NOW.plusSeconds(120)).notBefore(NOW)
                .expiresAt(NOW.plusSeconds(600)).build());

        assertRefused(NOT_YET_VALID, token);
    }

    // --- custom claims ------------------------------------------------------------------------------------------

    @Test
    void verify_withoutRequiredCustomClaim_throwsMissingClaim() {
        String token = sign(claims().claim(COUNT, 1L).build());

        TokenVerificationException e = assertRefused(MISSING_CLAIM, verifier().requireClaim(TICKET).build(), token);
        assertTrue(e.getMessage().contains("'ticket'"), e.getMessage());
    }

    @Test
    void verify_withRequiredCustomClaimNull_throwsMissingClaim() throws Exception {
        String payload = fullClaims().build().toString().replaceFirst("^\\{", "{\"ticket\":null,");

        assertRefused(MISSING_CLAIM, verifier().requireClaim(TICKET).build(), signRaw(JWSAlgorithm.ES256, payload));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"n\":\"42\"", "\"n\":1.5", "\"n\":true", "\"n\":[42]", "\"n\":{\"v\":42}"})
    void verify_withWronglyTypedRequiredNumber_throwsMalformed(String member) throws Exception {
        String payload = fullClaims().build().toString().replaceFirst("^\\{", "{" + member + ",");

        TokenVerificationException e = assertRefused(MALFORMED, verifier().requireClaim(COUNT).build(),
                signRaw(JWSAlgorithm.ES256, payload));
        assertTrue(e.getMessage().contains("'n' is not a whole number"), e.getMessage());
    }

    @Test
    void verify_withStringListHoldingNumber_throwsMalformed() throws Exception {
        JWTClaimsSet claims = fullClaims().claim("signals", List.of("s-1", 2L)).build();

        assertRefused(MALFORMED, verifier().requireClaim(SIGNALS).build(),
                signRaw(JWSAlgorithm.ES256, claims.toString()));
    }

    @Test
    void verify_withWronglyTypedClaimThatIsNotRequired_acceptsButGetThrows() throws Exception {
        JWTClaimsSet claims = fullClaims().claim("ticket", 7L).build();

        VerifiedToken verified = verifier().build().verify(signRaw(JWSAlgorithm.ES256, claims.toString()));

        assertThrows(IllegalStateException.class, () -> verified.claims().get(TICKET));
    }

    // --- what messages say --------------------------------------------------------------------------------------

    @Test
    void refusalMessages_doNotEchoTokenContents() throws Exception {
        String secret = "BSN-123456782";
        List<String> tokens = List.of(
                sign(claims().issuer(secret).subject(secret).build()),
                sign(claims().audience(secret).subject(secret).build()),
                Es256TokenSigner.create(TokenKeyPair.generate(secret)).sign(claims().subject(secret).build()),
                signRaw(new JWSHeader.Builder(new JWSAlgorithm(secret)).keyID(NODE_KEY.kid()).build(),
                        fullClaims().subject(secret).build().toString(), NODE_KEY.privateJwk()),
                signRaw(JWSAlgorithm.ES256, fullClaims().subject(secret).claim("n", secret).build().toString()));
        Es256TokenVerifier verifier = verifier().requireClaim(COUNT).build();

        for (String token : tokens) {
            TokenVerificationException e = assertThrows(TokenVerificationException.class,
                    () -> verifier.verify(token));
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
        TokenVerificationException e = assertThrows(TokenVerificationException.class,
                () -> verifier().expectedType(NODE_TYPE).build()
                        .verify(Es256TokenSigner.create(NODE_KEY, secret).sign(claims().build())));
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }

    // --- builder ------------------------------------------------------------------------------------------------

    @Test
    void build_withSkewOverFiveMinutes_throws() {
        Es256TokenVerifier.Builder builder = verifier();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.maxClockSkew(Duration.ofMinutes(5).plusSeconds(1)));
        assertTrue(e.getMessage().contains("PT5M1S"), e.getMessage());
    }

    @Test
    void build_withSkewOfFiveMinutes_isAccepted() {
        verifier().maxClockSkew(Duration.ofMinutes(5)).build();
    }

    @Test
    void build_withNegativeSkew_throws() {
        assertThrows(IllegalArgumentException.class, () -> verifier().maxClockSkew(Duration.ofSeconds(-1)));
    }

    @Test
    void build_withoutAudience_throws() {
        Es256TokenVerifier.Builder builder = Es256TokenVerifier.builder().trustedKeys(TRUSTED);

        assertThrows(IllegalArgumentException.class, builder::build);
    }

    @Test
    void build_withoutTrustedKeys_throws() {
        Es256TokenVerifier.Builder builder = Es256TokenVerifier.builder().expectedAudience(COORDINATOR);

        assertThrows(IllegalArgumentException.class, builder::build);
    }

    @Test
    void build_withEmptyKeySet_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> Es256TokenVerifier.builder().trustedKeys(PublicKeySet.empty()));
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static Es256TokenVerifier.Builder verifier() {
        return Es256TokenVerifier.builder()
                .trustedKeys(TRUSTED)
                .expectedAudience(COORDINATOR)
                .expectedIssuer(NODE)
                .clock(CLOCK);
    }

    /** Valid claims from the node to the coordinator, issued 10 s ago, valid for 5 minutes. */
    private static TokenClaims.Builder claims() {
        return TokenClaims.builder()
                .issuer(NODE)
                .subject(NODE)
                .audience(COORDINATOR)
                .issuedAt(NOW.minusSeconds(10))
                .expiresAt(NOW.plusSeconds(300));
    }

    /** The same claims built with nimbus directly, for tokens our own builder would not produce. */
    private static JWTClaimsSet.Builder fullClaims() {
        return new JWTClaimsSet.Builder()
                .issuer(NODE)
                .subject(NODE)
                .audience(COORDINATOR)
                .jwtID("3f0c9a55-4a43-4d2e-9b8a-2f4f6c1d7e10")
                .issueTime(Date.from(NOW.minusSeconds(10)))
                .notBeforeTime(Date.from(NOW.minusSeconds(10)))
                .expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    private static String sign(TokenClaims claims) {
        return Es256TokenSigner.create(NODE_KEY).sign(claims);
    }

    /** Signs any payload with the trusted key, under the trusted kid, with the given alg in the header. */
    private static String signRaw(JWSAlgorithm alg, String payload) throws Exception {
        return signRaw(new JWSHeader.Builder(alg).keyID(NODE_KEY.kid()).type(JOSEObjectType.JWT).build(), payload,
                NODE_KEY.privateJwk());
    }

    /** Signs with ECDSA whatever the header says; the header's alg only decides what the verifier is told. */
    private static String signRaw(JWSHeader header, String payload, ECKey key) throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(payload));
        ECDSASigner signer = new ECDSASigner(key);
        if (!signer.supportedJWSAlgorithms().contains(header.getAlgorithm())) {
            // Sign the input ourselves: nimbus refuses an algorithm that does not match the key.
            JWSHeader es = new JWSHeader.Builder(JWSAlgorithm.ES256).build();
            Base64URL signature = signer.sign(es, jws.getSigningInput());
            return jws.getHeader().toBase64URL() + "." + jws.getPayload().toBase64URL() + "." + signature;
        }
        jws.sign(signer);
        return jws.serialize();
    }

    private static String b64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static TokenVerificationException assertRefused(TokenVerificationException.Reason reason, String token) {
        return assertRefused(reason, verifier().build(), token);
    }

    private static TokenVerificationException assertRefused(TokenVerificationException.Reason reason,
            TokenVerifier verifier, String token) {
        TokenVerificationException e = assertThrows(TokenVerificationException.class, () -> verifier.verify(token));
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
