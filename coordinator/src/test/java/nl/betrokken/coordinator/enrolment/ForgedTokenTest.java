package nl.betrokken.coordinator.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.TokenKeyPair;

/**
 * Every route of the coordinator, taken from its router (so a new endpoint is covered without editing this test),
 * refuses with 401 the tokens an attacker would try in the name of an enrolled node: unsigned ({@code alg: none}),
 * HS256 with a guessed secret under the node's kid, ES256 signed by an untrusted key under the node's kid, and a token
 * the node's own key signed but naming another node as issuer. Only the public allow-list ({@code /health},
 * {@code /.well-known/**}, {@code /openapi/**}) is skipped.
 */
class ForgedTokenTest {

    private static final List<String> PUBLIC = List.of("/health", "/.well-known/", "/openapi/");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}?/:]+)(:[^}]*)?}");
    private static final Pattern QUERY = Pattern.compile("\\{[?&][^}]*}");

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyRoute_refusesEveryForgedNodeTokenWith401(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        TestNode other = h.enrol("oost");
        Map<String, String> forged = forgeries(h, node, other);

        List<UriRouteInfo<?, ?>> routes = h.bean(Router.class).uriRoutes()
                .filter(r -> PUBLIC.stream().noneMatch(p -> template(r).startsWith(p)))
                .toList();
        Set<String> covered = routes.stream().map(ForgedTokenTest::template).collect(Collectors.toSet());
        for (String expected : List.of("/internal/v1/signals", "/internal/v1/feed", "/internal/v1/nodes/keys",
                "/api/v1/stats", "/api/v1/audit/bundle")) {
            assertTrue(covered.stream().anyMatch(t -> t.startsWith(expected)), "the router lists " + expected + ": " + covered);
        }
        List<String> failures = new ArrayList<>();
        for (UriRouteInfo<?, ?> route : routes) {
            String path = path(template(route));
            Object body = route.getBodyArgument().isPresent() ? Map.of() : null;
            for (Map.Entry<String, String> token : forged.entrySet()) {
                Harness.Response r = h.call(route.getHttpMethodName(), path, body, token.getValue());
                if (r.status() != 401) {
                    failures.add(route.getHttpMethodName() + " " + path + " with " + token.getKey() + ": " + r.status()
                            + " " + r.body());
                }
            }
        }
        assertEquals(List.of(), failures, failures.size() + " forged calls were not refused with 401");
        // Not vacuous: the node's own token is let in.
        assertEquals(200, h.call("GET", "/internal/v1/nodes/keys", null, node.token()).status());
    }

    /** The four forgeries, by name, each claiming to be {@code node} (or, signed by it, {@code other}). */
    private static Map<String, String> forgeries(Harness h, TestNode node, TestNode other) {
        Instant now = h.clock().instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(node.id()).subject(node.id())
                .audience(NodeAuthentication.AUDIENCE).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("role", "AUDITOR").build();
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("unsigned (alg none)", new PlainJWT(claims).serialize());
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(node.key().kid())
                .type(new JOSEObjectType(NodeAuthentication.TOKEN_TYPE)).build(), claims);
        try {
            hs.sign(new MACSigner("secretsecretsecretsecretsecret12".getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        forged.put("HS256 with a guessed secret", hs.serialize());
        forged.put("ES256 by an untrusted key under the node's kid",
                new TestNode(h, node.id(), TokenKeyPair.generate(node.key().kid())).token(b -> b));
        forged.put("ES256 by the node's key naming another node as issuer",
                node.token(b -> b.issuer(other.id()).subject(other.id())));
        return forged;
    }

    private static String template(UriRouteInfo<?, ?> route) {
        return route.getUriMatchTemplate().toString();
    }

    /** The path of a route with its variables filled with a random UUID, its query variables left out. */
    private static String path(String template) {
        Matcher m = VARIABLE.matcher(QUERY.matcher(template).replaceAll(""));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, UUID.randomUUID().toString());
        }
        m.appendTail(out);
        return out.toString();
    }
}
