package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.type.Argument;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.security.annotation.Secured;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.web.PortaalClient;
import nl.betrokken.testing.BadInput;
import nl.betrokken.testing.RowCounts;

/**
 * Bad input at every route of the node, taken from its router (so a new endpoint is covered without editing this test),
 * each sent as a caller who may call the route: for the API ({@code /api/**}) a user of a role the route's Secured
 * annotation names (a bearer token of the region's identity provider, or the dev identity provider's citizen token),
 * for the federation API ({@code /federation/**}) another node's valid node token, for the pages' forms
 * ({@code /werkplek/**}, {@code /portaal/**}) the session of the user in {@link #PAGES}. A route that is neither is
 * listed in {@link #NO_INPUT} with its reason; any other route fails the test. Each API route gets: bodies that are no
 * JSON object; each field of its body as an object or a value of the wrong type, and with injection strings (SQL, HTML,
 * path traversal, NUL, overlong UTF-8); a body over the limit (64 KB, or 8 MB for a message); the injections (and 3,000
 * characters) in every path variable and query parameter; no token; a token of a user without the right; at the
 * federation API the same node token twice (replay). Each answer is a 4xx {@code application/problem+json}, a bad body
 * or field naming {@code body} or that field, none a 5xx. Each page form gets: no session, a session of a user without
 * the right, the CSRF token of the user's previous session, a form that is no form, one over 64 KB, and the injections
 * in every field and path variable; the page's contract is a 4xx, its form again (2xx) or a 303 (to sign in, or back
 * with the error), never a 5xx, and without a session or the right never a 2xx. After every route the schema holds as
 * many rows in every table as before (sessions and seen node tokens excepted, which sign-in and the federation's replay
 * check add by design), and the audit log grew by refusal entries ({@code *.refused}) and the log of privileged access
 * at most (see {@link Run#unchanged}).
 */
class BadInputTest {

    /** The staff user of each role (the dev profile's, on node noord). */
    private static final Map<String, String> STAFF = Map.of(
            "PROFESSIONAL", "noord-prof-a", "COORDINATOR", "noord-coord-a", "GEMEENTE", "noord-gemeente",
            "AUDITOR", "noord-auditor", "MATCHCOORDINATOR", "noord-matchcoord", "VEILIG_THUIS", "noord-veiligthuis");
    /** Who posts the forms of a page, by the longest start of its path that matches: a staff role, or CITIZEN. */
    private static final Map<String, String> PAGES = Map.ofEntries(
            Map.entry("/werkplek/achtergehouden", "GEMEENTE"),
            Map.entry("/werkplek/audit", "AUDITOR"),
            Map.entry("/werkplek/cijfers", "GEMEENTE"),
            Map.entry("/werkplek/matches-achterstand", "MATCHCOORDINATOR"),
            Map.entry("/werkplek/meldingen", "COORDINATOR"),
            Map.entry("/werkplek/bezwaren", "GEMEENTE"),
            Map.entry("/werkplek/organisaties", "GEMEENTE"),
            Map.entry("/werkplek/organisatie/signalen", "COORDINATOR"),
            Map.entry("/werkplek/signalen", "PROFESSIONAL"),
            Map.entry("/werkplek/matches/", "PROFESSIONAL"),
            Map.entry("/werkplek/medewerkers", "COORDINATOR"),
            Map.entry("/werkplek/mijn-gegevens", "PROFESSIONAL"),
            Map.entry("/werkplek/veilig-thuis", "VEILIG_THUIS"),
            Map.entry("/werkplek/achterstand", "COORDINATOR"),
            Map.entry("/portaal/", "CITIZEN"));
    /** Routes that take no input a caller chooses (or only sign one in or out), with the reason they are left out. */
    private static final Map<String, String> NO_INPUT = Map.of(
            "/health", "public status",
            "/prometheus", "the metrics, behind the scrape token (its refusals checked by WatchingFederationTest)",
            "/openapi/", "the published API document",
            "/portaal/inloggen", "sign-in by the identity provider (its answer checked by CitizenOidcTest)",
            "/werkplek/inloggen", "sign-in by the identity provider (its answer checked by WerkplekInloggenTest)",
            "/dev/", "the dev environment's sign-in pages, never on a production node",
            "/portaal/uitloggen", "sign-out, its CSRF check tested by PortalSessionTest",
            "/werkplek/uitloggen", "sign-out, its CSRF check tested by WerkplekInloggenTest");
    /**
     * Federation routes that take a list of tickets and answer for each valid one: a forged or injected ticket is left
     * out of the answer (200 with nothing of it), so that one bad ticket does not cost the person the others.
     */
    private static final Set<String> TICKET_LISTS = Set.of("/federation/v1/objections/list",
            "/federation/v1/consent/person", "/federation/v1/contacts/batch");
    private static final String CITIZEN_BSN = "111222333";
    private static final Set<String> MAY_GROW = Set.of("seen_node_token", "audit_entry", "audit_sealed",
            "werkplek_session", "portal_session");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void everyRoute_refusesBadInput_withoutA5xx_andStoresNothing() throws Exception {
        long started = System.nanoTime();
        TestIdentityProvider idp = new TestIdentityProvider();
        try (PeerCoordinator coordinator = new PeerCoordinator();
             NodeHarness node = NodeHarness.start(coordinator.configure(idp.configure(
                     NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null))), "test", "dev")) {
            Run run = new Run(node, idp, coordinator);
            List<UriRouteInfo<?, ?>> routes = node.bean(Router.class).uriRoutes()
                    .filter(r -> !r.getHttpMethodName().equals("HEAD")) // its GET is checked
                    .toList();
            assertTrue(routes.size() >= 100, "the router lists " + routes.size() + " routes");
            int checked = 0;
            for (UriRouteInfo<?, ?> route : routes) {
                String template = template(route);
                if (NO_INPUT.keySet().stream().anyMatch(template::startsWith)) {
                    continue;
                }
                boolean page = template.startsWith("/werkplek") || template.startsWith("/portaal");
                if (page && route.getHttpMethodName().equals("GET") && BadInput.variables(template).isEmpty()
                        && queryNames(route).isEmpty()) {
                    continue; // a page without a path variable or query: nothing to send but the session
                }
                checked++;
                if (page) {
                    run.page(route);
                } else if (template.startsWith("/federation/")) {
                    run.api(route, "NODE");
                } else if (template.startsWith("/api/") || template.equals("/dev/idp/token")) {
                    run.api(route, null);
                } else {
                    run.failures.add(route.getHttpMethodName() + " " + template + ": not an API, federation or page"
                            + " route; list it in BadInputTest.NO_INPUT with the reason it takes no input");
                }
            }
            assertEquals(List.of(), run.failures, run.failures.size() + " of " + run.calls + " bad calls at " + checked
                    + " routes were not refused as they should be:\n" + String.join("\n", run.failures));
            assertTrue(checked >= 80 && run.calls >= 2000, checked + " routes, " + run.calls + " calls");
            System.out.printf("BadInputTest (node): %d of %d routes, %d bad calls, %.1f s%n", checked, routes.size(),
                    run.calls, (System.nanoTime() - started) / 1e9);
        }
    }

    /** One run against one node: its callers, the failures found, the calls made. */
    private static final class Run {
        final NodeHarness node;
        final TestIdentityProvider idp;
        final PeerCoordinator coordinator;
        final List<String> failures = new ArrayList<>();
        final long limit;
        int calls;
        private final Map<String, Session> sessions = new HashMap<>();

        Run(NodeHarness node, TestIdentityProvider idp, PeerCoordinator coordinator) {
            this.node = node;
            this.idp = idp;
            this.coordinator = coordinator;
            this.limit = node.bean(HttpServerConfiguration.class).getMaxRequestSize();
        }

        /** A valid bearer token of a user of {@code role}: staff by the identity provider, a citizen by the dev one. */
        String token(String role) {
            if (role.equals("NODE")) {
                return coordinator.token(node.nodeId());
            }
            if (role.equals("CITIZEN")) {
                Answer r = send("POST", "/dev/idp/token", "application/json", "{\"bsn\":\"" + CITIZEN_BSN + "\"}",
                        null, null);
                return json(r).get("access_token").asText();
            }
            if (role.equals("ANONYMOUS")) {
                return null;
            }
            return idp.token(STAFF.get(role), role, "noord-org-a");
        }

        /** The role whose user calls an API route (its @Secured roles' first known one, NODE or ANONYMOUS). */
        String role(UriRouteInfo<?, ?> route) {
            if (template(route).startsWith("/federation/")) {
                return "NODE";
            }
            String[] roles = route.getAnnotationMetadata().stringValues(Secured.class);
            for (String role : roles) {
                if (STAFF.containsKey(role) || role.equals("CITIZEN")) {
                    return role;
                }
            }
            return template(route).equals("/dev/idp/token") ? "ANONYMOUS" : null;
        }

        void api(UriRouteInfo<?, ?> route, String fixedRole) {
            String method = route.getHttpMethodName();
            String template = template(route);
            String role = fixedRole != null ? fixedRole : role(route);
            if (role == null) {
                failures.add(method + " " + template + ": no caller for roles "
                        + Arrays.toString(route.getAnnotationMetadata().stringValues(Secured.class)));
                return;
            }
            String path = path(template, null, null) + query(route, null, null);
            Object sample = route.getBodyArgument().map(BadInput::sample).orElse(null);
            String body = sample == null ? null : write(sample);
            String token = token(role);
            RowCounts before = counts();
            long audit = auditIndex();

            if (!role.equals("ANONYMOUS")) {
                expectProblem(method, "no token", path, body, null, 401, null);
                if (!role.equals("NODE")) {
                    String other = role.equals("PROFESSIONAL") || role.equals("CITIZEN") ? "AUDITOR" : "PROFESSIONAL";
                    expectProblem(method, "a token of " + other, path, body, token(other), 403, null);
                } else {
                    // Replayed: the same node token twice; the first is refused for its forged ticket, the second for
                    // its jti.
                    String once = token(role);
                    Answer first = send(method, path, "application/json", body, once, null);
                    calls++;
                    if (first.status >= 500) {
                        failures.add(method + " " + template + " the first use of a node token: " + first.status);
                    }
                    expectProblem(method, "a replayed node token", path, body, once, 401, null);
                }
            }
            if (sample != null) {
                BadInput.MALFORMED.forEach((desc, text) ->
                        expectProblem(method, desc, path, text, token(role), 400, "body"));
                for (BadInput.Variant v : BadInput.variants(sample)) {
                    boolean strict = !v.description().contains(" with ");
                    if (!strict && TICKET_LISTS.contains(template) && v.field().startsWith("tickets")
                            || !strict && TICKET_LISTS.contains(template) && v.field().startsWith("filed")) {
                        Answer r = send(method, path, "application/json", write(v.body()), token(role), null);
                        calls++;
                        if (r.status >= 500 || r.status / 100 == 2 && !r.body.equals("[]")) {
                            failures.add(method + " " + template + " " + v.description() + ": " + r.status + " "
                                    + shorten(r.body));
                        }
                        continue;
                    }
                    expectProblem(method, v.description(), path, write(v.body()), token(role), strict ? 400 : -1,
                            strict ? v.field() : null);
                }
                String big = "{\"x\":\"" + "x".repeat(100_000) + "\"}";
                Answer r = send(method, path, "application/json", big, token(role), null);
                calls++;
                if (r.status != 413) {
                    // The one body that may be longer (a message with a file): over the server's limit it is a 413.
                    check(method, "a body of 100 KB", path, r, 400, null);
                    expectProblem(method, "a body over the request limit", path,
                            "{\"x\":\"" + "x".repeat((int) limit) + "\"}", token(role), 413, null);
                }
            }
            for (String name : BadInput.variables(template)) {
                BadInput.ENCODED_INJECTIONS.forEach((desc, text) -> expectProblem(method, name + " with " + desc,
                        path(template, name, text) + query(route, null, null), body, token(role), -1, null));
            }
            for (String name : queryNames(route)) {
                BadInput.ENCODED_INJECTIONS.forEach((desc, text) -> expectProblem(method, name + " with " + desc,
                        path(template, null, null) + query(route, name, text), body, token(role), -1, null));
            }
            unchanged(method + " " + template, before, audit, false);
        }

        void page(UriRouteInfo<?, ?> route) {
            String method = route.getHttpMethodName();
            String template = template(route);
            String role = PAGES.entrySet().stream().filter(e -> template.startsWith(e.getKey()))
                    .max(Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue).orElse(null);
            if (role == null) {
                failures.add(method + " " + template + ": no user in BadInputTest.PAGES");
                return;
            }
            Session session = session(role);
            Session other = session(role.equals("PROFESSIONAL") ? "AUDITOR" : role.equals("CITIZEN") ? "GEMEENTE"
                    : "PROFESSIONAL");
            String path = path(template, null, null) + query(route, null, null);
            Map<String, Object> form = new LinkedHashMap<>();
            route.getBodyArgument().map(BadInput::sample).filter(Map.class::isInstance)
                    .ifPresent(b -> ((Map<?, ?>) b).forEach((k, v) -> form.put(k.toString(), v)));
            form.put("csrf", session.csrf);
            RowCounts before = counts();
            long audit = auditIndex();

            if (method.equals("POST")) {
                String body = encode(form);
                expectPage(method, "no session", path, body, null, false);
                Map<String, Object> theirs = new LinkedHashMap<>(form);
                theirs.put("csrf", other.csrf);
                expectPage(method, "the session of a user without the right", path, encode(theirs), other, false);
                Map<String, Object> old = new LinkedHashMap<>(form);
                old.put("csrf", session.oldCsrf);
                Answer replayed = send(method, path, "application/x-www-form-urlencoded", encode(old), null,
                        session.cookies);
                calls++;
                if (replayed.status < 400 || replayed.status >= 500) {
                    failures.add(method + " " + template + " with the CSRF token of an old session: " + replayed.status
                            + " " + replayed.location);
                }
                expectPage(method, "a form that is no form", path, "%zz=%&csrf=" + session.csrf + "&&=%E0%80", session,
                        true);
                expectPage(method, "a form of 100 KB", path, encode(form) + "&x=" + "x".repeat(100_000), session, true);
                for (Map.Entry<String, Object> field : form.entrySet()) {
                    if (field.getKey().equals("csrf")) {
                        continue;
                    }
                    for (Map.Entry<String, String> inj : BadInput.INJECTIONS.entrySet()) {
                        Map<String, Object> bad = new LinkedHashMap<>(form);
                        bad.put(field.getKey(), inj.getValue());
                        expectPage(method, field.getKey() + " with " + inj.getKey(), path, encode(bad), session, true);
                    }
                }
            }
            for (String name : BadInput.variables(template)) {
                BadInput.ENCODED_INJECTIONS.forEach((desc, text) -> expectPage(method, name + " with " + desc,
                        path(template, name, text) + query(route, null, null),
                        method.equals("POST") ? encode(form) : null, session, true));
            }
            for (String name : queryNames(route)) {
                BadInput.ENCODED_INJECTIONS.forEach((desc, text) -> expectPage(method, name + " with " + desc,
                        path(template, null, null) + query(route, name, text),
                        method.equals("POST") ? encode(form) : null, session, true));
            }
            unchanged(method + " " + template, before, audit, method.equals("GET"));
        }

        /** An API answer: {@code status} (or any 4xx for -1) as problem+json, naming {@code field} or body if given. */
        void expectProblem(String method, String desc, String path, String body, String token, int status,
                           String field) {
            Answer r = send(method, path, body == null ? null : "application/json", body, token, null);
            calls++;
            check(method, desc, path, r, status, field);
        }

        void check(String method, String desc, String path, Answer r, int status, String field) {
            String where = method + " " + shorten(path) + " " + desc + ": ";
            if (status == -1 ? r.status < 400 || r.status >= 500 : r.status != status) {
                failures.add(where + r.status + " " + shorten(r.body));
            } else if (!r.contentType.startsWith("application/problem+json")) {
                failures.add(where + r.status + " as " + r.contentType);
            } else if (field != null && !names(json(r), field)) {
                failures.add(where + "does not name " + field + ": " + shorten(r.body));
            }
        }

        /**
         * A page's answer to a form: never a 5xx; a 4xx or a 303 always do; a 2xx (the form again) only when
         * {@code mayShowForm}, for a caller who may use the page.
         */
        void expectPage(String method, String desc, String path, String body, Session session, boolean mayShowForm) {
            Answer r = send(method, path, body == null ? null : "application/x-www-form-urlencoded", body, null,
                    session == null ? null : session.cookies);
            calls++;
            boolean ok = r.status < 500 && (r.status >= 300 || mayShowForm);
            if (!ok) {
                failures.add(method + " " + shorten(path) + " " + desc + ": " + r.status + " "
                        + (r.status >= 500 ? shorten(r.body) : ""));
            }
        }

        /** A user's session at the pages, with the CSRF token of the session before it (signed out since). */
        Session session(String role) {
            return sessions.computeIfAbsent(role, r -> {
                Session old = signIn(r);
                Answer out = send("POST", r.equals("CITIZEN") ? "/portaal/uitloggen" : "/werkplek/uitloggen",
                        "application/x-www-form-urlencoded", "csrf=" + old.csrf, null, old.cookies);
                if (out.status != 303) {
                    throw new AssertionError("signing out " + r + " answered " + out.status);
                }
                Session now = signIn(r);
                return new Session(now.cookies, now.csrf, old.csrf);
            });
        }

        private Session signIn(String role) {
            PortaalClient browser = new PortaalClient(node.port());
            String start;
            if (role.equals("CITIZEN")) {
                browser.signIn(CITIZEN_BSN);
                start = "/portaal/"; // the overview asks the coordinator, which this test has only in part
            } else {
                HttpResponse<String> page = browser.get("/dev/werkplek/inloggen");
                HttpResponse<String> in = browser.post("/dev/werkplek/inloggen", Map.of(
                        "csrf", PortaalClient.csrf(page), "gebruikersnaam", STAFF.get(role), "wachtwoord", "demo"));
                if (in.statusCode() != 303) {
                    throw new AssertionError("signing in " + role + " answered " + in.statusCode());
                }
                start = in.headers().firstValue("Location").orElseThrow();
            }
            HttpResponse<String> page = browser.get(start);
            Matcher m = CSRF.matcher(page.body());
            if (!m.find()) { // the sign-out form of the page's header, whatever the page could show
                throw new AssertionError(role + " signed in, but " + start + " answered " + page.statusCode());
            }
            String cookies = browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "));
            return new Session(cookies, m.group(1), null);
        }

        RowCounts counts() {
            try (Connection c = connect()) {
                return RowCounts.of(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        long auditIndex() {
            try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                    "SELECT coalesce(max(idx), -1) FROM audit_entry"); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Records a failure when a table's count changed or the audit log grew by more than refusals and the log of
         * privileged access ({@code access.*}, audit/PrivilegedAccessRule: every request of a privileged role,
         * refused ones too), a citizen's look-up of their signals at the coordinator that a portal page makes before it
         * checks its input ({@code inzage.asked}), and for a page shown ({@code read}) the read of the list it shows
         * ({@code *.listed}).
         */
        void unchanged(String route, RowCounts before, long audit, boolean read) {
            List<String> changed = counts().changedSince(before, MAY_GROW);
            if (!changed.isEmpty()) {
                failures.add(route + " changed rows: " + changed);
            }
            Set<String> kinds = new TreeSet<>();
            try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                    "SELECT kind, actor FROM audit_entry WHERE idx > ?")) {
                s.setLong(1, audit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String actor = Objects.toString(rs.getString(2), "");
                        String kind = rs.getString(1);
                        if (!kind.endsWith(".refused") && !kind.startsWith("access.") && !kind.equals("inzage.asked")
                                && !actor.startsWith("system:")
                                && !(read && kind.endsWith(".listed"))) {
                            kinds.add(kind + " by " + actor);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (!kinds.isEmpty()) {
                failures.add(route + " wrote audit entries other than refusals: " + kinds);
            }
        }

        private Connection connect() throws SQLException {
            return java.sql.DriverManager.getConnection((String) node.properties().get("datasources.default.url"),
                    "sa", "");
        }

        Answer send(String method, String path, String contentType, String body, String token, String cookies) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                    .timeout(Duration.ofSeconds(30));
            b.header("Accept", cookies != null || contentType != null && contentType.startsWith("application/x-www")
                    ? "text/html" : "application/json");
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (cookies != null) {
                b.header("Cookie", cookies);
            }
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            try {
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                        r.headers().firstValue("Location").orElse(""));
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + shorten(path), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private record Answer(int status, String contentType, String body, String location) {
    }

    /** A signed-in browser: its cookies, its CSRF token, and the CSRF token of its previous session. */
    private record Session(String cookies, String csrf, String oldCsrf) {
    }

    private static JsonNode json(Answer r) {
        try {
            return NodeHarness.JSON.readTree(r.body());
        } catch (IOException e) {
            return NodeHarness.JSON.nullNode();
        }
    }

    private static String write(Object body) {
        try {
            return NodeHarness.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(Map<String, Object> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Whether a problem's violations name {@code field} (or the body: {@link BadInput#names}). */
    private static boolean names(JsonNode problem, String field) {
        List<String> named = new ArrayList<>();
        problem.path("violations").forEach(v -> named.add(v.path("field").asText()));
        return BadInput.names(named, field);
    }

    private static String shorten(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    private static String template(UriRouteInfo<?, ?> route) {
        return route.getUriMatchTemplate().toString();
    }

    /**
     * The path of a route: its variables a username where one is named, the node noord, else a random UUID, except
     * {@code name}, which is {@code value} (already percent-encoded).
     */
    private static String path(String template, String name, String value) {
        return BadInput.path(template, v -> v.equals(name) ? value : v.toLowerCase().contains("username")
                ? "noord-prof-b" : v.equals("node") ? "noord" : UUID.randomUUID().toString());
    }

    /** The query of a route: each query parameter a sample of its type, except {@code name}, which is {@code value}. */
    private static String query(UriRouteInfo<?, ?> route, String name, String value) {
        List<String> pairs = new ArrayList<>();
        for (Argument<?> a : route.getTargetMethod().getArguments()) {
            String variable = queryName(a);
            if (variable != null && (variable.equals(name) || !a.isNullable())) {
                pairs.add(variable + "=" + (variable.equals(name) ? value : BadInput.sample(a)));
            }
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private static List<String> queryNames(UriRouteInfo<?, ?> route) {
        return Arrays.stream(route.getTargetMethod().getArguments()).map(BadInputTest::queryName)
                .filter(Objects::nonNull).toList();
    }

    private static String queryName(Argument<?> a) {
        if (!a.getAnnotationMetadata().hasAnnotation(QueryValue.class)) {
            return null;
        }
        return a.getAnnotationMetadata().stringValue(QueryValue.class).filter(v -> !v.isEmpty()).orElse(a.getName());
    }

    /**
     * Just enough of a coordinator for the federation API to check node tokens: it has enrolled one other node,
     * {@code zuid}, whose key this test signs with, and a ticket key of its own (so every match ticket of the corpus
     * is a forgery); it knows no signal of anyone (inzage) and no consent or match (404).
     */
    static final class PeerCoordinator implements AutoCloseable {

        private final TokenKeyPair peer = TokenKeyPair.generate();
        private final ForgedTokenTest.StrangerCoordinator server;

        PeerCoordinator() {
            String directory = PublicKeySet.of(peer.publicJwk()).toJson().replaceFirst("}$",
                    ",\"nodes\":{\"" + peer.kid() + "\":\"zuid\"}}");
            String keys = PublicKeySet.of(peer.publicJwk()).toJson();
            String tickets = PublicKeySet.of(TokenKeyPair.generate().publicJwk()).toJson();
            server = new ForgedTokenTest.StrangerCoordinator(path -> path.equals("/internal/v1/nodes/keys") ? directory
                    : path.equals("/internal/v1/nodes/zuid/keys") ? keys
                    : path.equals("/.well-known/jwks.json") ? tickets
                    : path.equals("/internal/v1/inzage") ? "{\"signals\":[]}" : null);
        }

        Map<String, Object> configure(Map<String, Object> node) {
            return server.configure(node);
        }

        /** A valid node token of {@code zuid} for a call to {@code audience}, with a fresh jti. */
        String token(String audience) {
            Instant now = Instant.now();
            return Es256TokenSigner.create(peer, NodeKeys.TOKEN_TYPE).sign(TokenClaims.builder().issuer("zuid")
                    .subject("zuid").audience(audience).jwtId(UUID.randomUUID().toString()).issuedAt(now)
                    .expiresAt(now.plus(Duration.ofMinutes(2))).build());
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
