package nl.betrokken.coordinator.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.testing.BadInput;
import nl.betrokken.testing.RowCounts;

/**
 * Bad input at every route of the coordinator, taken from its router (so a new endpoint is covered without editing
 * this test), each sent with a valid token of an enrolled node that may call the route ({@link #ACTORS}: a route
 * without an entry fails the test): bodies that are no JSON object, each field of the route's body of the wrong type
 * and with injection strings (SQL, HTML, path traversal, NUL, overlong UTF-8), a body over the server's request
 * limit, injection strings (and 3,000 characters) in every path variable and query parameter, no token, a token
 * without the role the route asks, and a token whose {@code jti} was used before. Every answer is a 4xx
 * {@code application/problem+json} (a bad body or field names {@code body} or that field), none a 5xx, and afterwards
 * every table holds as many rows as before, except the tokens seen once ({@code seen_token}) and the audit log (with
 * its sealed contents and scheduled checkpoints), whose new entries may only be {@code token.accepted}, refusals
 * ({@code *.refused}) and the system's own, as designed (NodeAuthentication, TokenRefusals).
 */
class BadInputTest {

    /** Routes that take no input and no node token (the metrics have a scrape token: CoordinatorMetricsTest). */
    private static final List<String> PUBLIC = List.of("/health", "/.well-known/", "/openapi/", "/prometheus");
    /**
     * Who may call a route, by the longest start of its path that matches: the role a node vouches for (token claim
     * role), or none (any enrolled node).
     */
    private static final Map<String, String> ACTORS = Map.ofEntries(
            Map.entry("/internal/v1/", ""),
            Map.entry("/internal/v1/inzage/veilig-thuis", "veilig-thuis"),
            Map.entry("/api/v1/stats", "gemeente"),
            Map.entry("/api/v1/audit/", "auditor"));
    private static final Set<String> MAY_GROW = Set.of("seen_token", "audit_entry", "audit_sealed", "audit_checkpoint");

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyRoute_refusesBadInputWith4xxProblemJson_andStoresNothing(Db db) throws Exception {
        long started = System.nanoTime();
        try (Harness h = Harness.fresh(db)) {
            TestNode node = h.enrol("noord");
            h.enrol("oost");
            List<UriRouteInfo<?, ?>> routes = h.bean(Router.class).uriRoutes()
                    .filter(r -> PUBLIC.stream().noneMatch(p -> template(r).startsWith(p)))
                    .filter(r -> !r.getHttpMethodName().equals("HEAD")) // its GET is checked
                    .toList();
            assertTrue(routes.size() >= 20, "the router lists " + routes.size() + " routes");
            long limit = h.bean(HttpServerConfiguration.class).getMaxRequestSize();
            RowCounts before;
            long auditBefore;
            try (Connection c = h.connect()) {
                before = RowCounts.of(c);
                auditBefore = maxIndex(c);
            }
            List<String> failures = new ArrayList<>();
            int calls = 0;
            for (UriRouteInfo<?, ?> route : routes) {
                String template = template(route);
                String method = route.getHttpMethodName();
                String role = ACTORS.entrySet().stream().filter(a -> template.startsWith(a.getKey()))
                        .max(java.util.Comparator.comparingInt(a -> a.getKey().length()))
                        .map(Map.Entry::getValue).orElse(null);
                if (role == null) {
                    failures.add(method + " " + template + ": no actor in BadInputTest.ACTORS");
                    continue;
                }
                Caller caller = new Caller(h, node, role, method, failures);
                String path = path(template, null, null) + query(route, null, null);
                Object body = route.getBodyArgument().map(BadInput::sample).orElse(null);

                // Unauthorised: no token at all; a token without the role the route asks.
                caller.expect("no token", path, body, null, 401, null);
                if (!role.isEmpty()) {
                    caller.expect("a token without role " + role, path, body,
                            node.token(b -> b.claim(Claim.string("role"), "professional")), 403, null);
                }
                // Replayed: the same token twice; the first call's answer does not matter, the second is a 401.
                String once = role.isEmpty() ? node.token()
                        : node.token(b -> b.claim(Claim.string("role"), "professional"));
                Harness.Response first = h.call(method, path, route.getBodyArgument().isPresent() ? "{" : null, once);
                if (first.status() >= 500) {
                    failures.add(method + " the first use of a token at " + path + ": " + first.status());
                }
                caller.expect("a replayed token (jti seen before)", path,
                        route.getBodyArgument().isPresent() ? "{" : null, once, 401, null);

                if (route.getBodyArgument().isPresent()) {
                    BadInput.MALFORMED.forEach((desc, text) ->
                            caller.expect(desc, path, text, caller.token(), 400, "body"));
                    for (BadInput.Variant v : BadInput.variants(body)) {
                        caller.bad(v.description(), path, v.body(), v.field(), !v.description().contains(" with "));
                    }
                    caller.expect("a body over the request limit", path,
                            "{\"x\":\"" + "x".repeat((int) limit) + "\"}", caller.token(), 413, null);
                }
                for (String name : BadInput.variables(template)) {
                    for (Map.Entry<String, String> inj : BadInput.ENCODED_INJECTIONS.entrySet()) {
                        caller.bad(name + " with " + inj.getKey(), path(template, name, inj.getValue())
                                + query(route, null, null), body, null, false);
                    }
                }
                {
                    for (String name : queryNames(route)) {
                        for (Map.Entry<String, String> inj : BadInput.ENCODED_INJECTIONS.entrySet()) {
                            caller.bad(name + " with " + inj.getKey(), path(template, null, null)
                                    + query(route, name, inj.getValue()), body, null, false);
                        }
                    }
                }
                calls += caller.calls;
            }
            assertEquals(List.of(), failures, failures.size() + " of " + calls + " bad calls were not refused as they"
                    + " should be");
            // The refusals counted per minute are written now, as the scheduler would: they are allowed entries.
            h.bean(TokenRefusals.class).flushAll();
            try (Connection c = h.connect()) {
                assertEquals(List.of(), RowCounts.of(c).changedSince(before, MAY_GROW), "rows changed by bad input");
                assertEquals(Set.of(), unexpectedAuditKinds(c, auditBefore), "audit entries other than refusals");
            }
            System.out.printf("BadInputTest (coordinator, %s): %d routes, %d bad calls, %.1f s%n", db, routes.size(),
                    calls, (System.nanoTime() - started) / 1e9);
        }
    }

    /** Calls one route and collects what is not the expected refusal. */
    private static final class Caller {
        private final Harness h;
        private final TestNode node;
        private final String role;
        private final String method;
        private final List<String> failures;
        int calls;

        Caller(Harness h, TestNode node, String role, String method, List<String> failures) {
            this.h = h;
            this.node = node;
            this.role = role;
            this.method = method;
            this.failures = failures;
        }

        /** A fresh valid token of the route's actor. */
        String token() {
            return role.isEmpty() ? node.token() : node.token(b -> b.claim(Claim.string("role"), role));
        }

        void expect(String desc, String path, Object body, String token, int status, String field) {
            check(desc + " at " + path, h.call(method, path, body, token), status, status, field);
        }

        /** Bad input with a valid token: any 4xx; with {@code strict}, a 400 naming {@code field} or body. */
        void bad(String desc, String path, Object body, String field, boolean strict) {
            Harness.Response r = h.call(method, path, body, token());
            check(desc + " at " + shorten(path), r, 400, strict ? 400 : 499, strict ? field : null);
        }

        void check(String desc, Harness.Response r, int low, int high, String field) {
            calls++;
            String where = method + " " + desc + ": ";
            if (r.status() < low || r.status() > high) {
                failures.add(where + r.status() + " " + r.body());
            } else if (!r.contentType().startsWith("application/problem+json")) {
                failures.add(where + r.status() + " as " + r.contentType());
            } else if (field != null && !names(r.body(), field)) {
                failures.add(where + "does not name " + field + ": " + r.body());
            }
        }
    }

    /** Whether a problem's violations name {@code field} (or the body: {@link BadInput#names}). */
    private static boolean names(JsonNode problem, String field) {
        List<String> named = new ArrayList<>();
        if (problem != null) {
            problem.path("violations").forEach(v -> named.add(v.path("field").asText()));
        }
        return BadInput.names(named, field);
    }

    private static String shorten(String path) {
        return path.length() > 120 ? path.substring(0, 120) + "..." : path;
    }

    private static long maxIndex(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(idx), -1) FROM audit_entry");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The kinds of audit entries written after {@code after} that are neither an accepted token nor a refusal. */
    private static Set<String> unexpectedAuditKinds(Connection c, long after) throws SQLException {
        Set<String> kinds = new TreeSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT kind, actor FROM audit_entry WHERE idx > ?")) {
            s.setLong(1, after);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(1);
                    String actor = rs.getString(2);
                    if (!kind.equals("token.accepted") && !kind.endsWith(".refused")
                            && (actor == null || !actor.startsWith("system:"))) {
                        kinds.add(kind + " by " + actor);
                    }
                }
            }
        }
        return kinds;
    }

    /**
     * The query of a route: each of its query variables a sample of its type (as {@link BadInput#sample}), except
     * {@code name}, which is {@code value} (already percent-encoded); empty when the route takes none.
     */
    private static String query(UriRouteInfo<?, ?> route, String name, String value) {
        List<String> pairs = new ArrayList<>();
        for (io.micronaut.core.type.Argument<?> a : route.getTargetMethod().getArguments()) {
            String variable = queryName(a);
            if (variable != null) {
                pairs.add(variable + "=" + (variable.equals(name) ? value : BadInput.sample(a)));
            }
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    /** The names of the route's query parameters ({@code @QueryValue}). */
    private static List<String> queryNames(UriRouteInfo<?, ?> route) {
        return java.util.Arrays.stream(route.getTargetMethod().getArguments()).map(BadInputTest::queryName)
                .filter(java.util.Objects::nonNull).toList();
    }

    private static String queryName(io.micronaut.core.type.Argument<?> a) {
        if (!a.getAnnotationMetadata().hasAnnotation(io.micronaut.http.annotation.QueryValue.class)) {
            return null;
        }
        return a.getAnnotationMetadata().stringValue(io.micronaut.http.annotation.QueryValue.class)
                .filter(v -> !v.isEmpty()).orElse(a.getName());
    }

    private static String template(UriRouteInfo<?, ?> route) {
        return route.getUriMatchTemplate().toString();
    }

    /** The path of a route, its variables a random UUID, except {@code name}: {@code value} (percent-encoded). */
    private static String path(String template, String name, String value) {
        return BadInput.path(template, v -> v.equals(name) ? value : java.util.UUID.randomUUID().toString());
    }
}
