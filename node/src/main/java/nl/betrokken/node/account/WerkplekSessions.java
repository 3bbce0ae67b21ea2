package nl.betrokken.node.account;

import java.net.URI;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.audit.PrivilegedAccessRule;
import nl.betrokken.node.keys.NodeKeys;

/**
 * The werkplek's staff sessions, kept at the node ({@code werkplek_session}, V17). The cookie {@value #COOKIE} holds
 * 32 random bytes; the row holds only their keyed hash and the account's username. The cookie is HttpOnly,
 * SameSite=Lax and Secure ({@link WerkplekConfiguration#secureCookie()}). A session ends at sign-out (the row is
 * deleted), after {@link WerkplekConfiguration#idleTimeout()} without a request, after
 * {@link WerkplekConfiguration#absoluteTimeout()} in any case, and as soon as its account is no longer active: the
 * account is read again on every request, and role and organisation come from it, never from the sign-in.
 *
 * <p>CSRF: every werkplek form carries a hidden {@code csrf} field, a keyed hash of the session id (never stored),
 * checked in constant time by {@link #requirePost}. Forms shown before sign-in use the portal's double-submit cookie
 * ({@link PortalSessions#anonymousCsrf}).
 *
 * <p>Signing in and out are audit entries ({@code werkplek.signed-in}, {@code werkplek.signed-out}) naming the
 * account, in the transaction that writes the row. Every page request of a coordinator, the gemeente or an auditor is
 * an {@code access.<role>} entry, as their API requests are.
 */
@Singleton
public class WerkplekSessions {

    /** The session cookie. */
    public static final String COOKIE = "betrokken_werkplek";
    /** The werkplek's start: it sends each role on to its own start page. */
    public static final String START = "/werkplek/";
    /** The sign-in page. */
    public static final String INLOGGEN = "/werkplek/inloggen";
    /** The roles that have a werkplek (everyone but the citizen). */
    static final Set<Role> STAFF = EnumSet.of(Role.PROFESSIONAL, Role.COORDINATOR, Role.GEMEENTE, Role.AUDITOR,
            Role.MATCHCOORDINATOR, Role.VEILIG_THUIS);
    private static final Map<Role, String> ACTOR = Map.of(Role.PROFESSIONAL, "prof", Role.COORDINATOR, "coord",
            Role.GEMEENTE, "gemeente", Role.AUDITOR, "auditor", Role.MATCHCOORDINATOR, "matchcoord",
            Role.VEILIG_THUIS, "veiligthuis");
    private static final int MAX_TERUG = 2000;

    private final WerkplekSessionRepository rows;
    private final SessionTokens tokens;
    private final Accounts accounts;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final WerkplekConfiguration config;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    WerkplekSessions(WerkplekSessionRepository rows, NodeKeys keys, Accounts accounts, NodeAudit audit,
                     NodeConfiguration node, WerkplekConfiguration config,
                     TransactionOperations<Connection> transactions, Clock clock) {
        this.rows = rows;
        this.tokens = new SessionTokens(keys, "werkplek/");
        this.accounts = accounts;
        this.audit = audit;
        this.node = node;
        this.config = config;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The signed-in staff member, with one of {@code roles} (none given: any staff role).
     *
     * @throws WerkplekNietIngelogd when there is no live session (or its account is no longer active)
     * @throws WerkplekGeweigerd ({@link WerkplekGeweigerd.Reden#ROL}) when the account has another role
     */
    public Medewerker require(HttpRequest<?> request, Role... roles) {
        return require(signedIn(request), roles);
    }

    /**
     * The same for a posted form, after checking its {@code csrf} field in constant time. Every werkplek POST handler
     * calls this first.
     *
     * @throws WerkplekNietIngelogd when there is no live session
     * @throws WerkplekGeweigerd ({@link WerkplekGeweigerd.Reden#FORMULIER}) when the token is missing or wrong, or
     *         ({@link WerkplekGeweigerd.Reden#ROL}) when the account has another role
     */
    public Medewerker requirePost(HttpRequest<?> request, @Nullable String csrf, Role... roles) {
        Medewerker m = signedIn(request);
        if (!SessionTokens.same(m.csrf(), csrf)) {
            throw new WerkplekGeweigerd(WerkplekGeweigerd.Reden.FORMULIER);
        }
        return require(m, roles);
    }

    /**
     * The live session, and for a privileged role ({@link nl.betrokken.node.audit.PrivilegedAccessRule}) an
     * {@code access.<role>} entry naming the page, as the API records one for each of their requests (also one that is then refused).
     */
    private Medewerker signedIn(HttpRequest<?> request) {
        Medewerker m = current(request).orElseThrow(WerkplekNietIngelogd::new);
        AuditEvent access = PrivilegedAccessRule.event(m.authentication(), "werkplek", request.getPath(),
                request.getMethodName());
        if (access != null) {
            audit.record(access);
        }
        return m;
    }

    private static Medewerker require(Medewerker m, Role... roles) {
        if (roles.length > 0 && Arrays.stream(roles).noneMatch(r -> r == m.role())) {
            throw new WerkplekGeweigerd(WerkplekGeweigerd.Reden.ROL);
        }
        return m;
    }

    /**
     * The live session of {@code request}, its idle time restarted and its account read again; empty when there is
     * none, it timed out, or the account is gone or no longer active (the row is then deleted).
     */
    public Optional<Medewerker> current(HttpRequest<?> request) {
        Optional<String> id = SessionTokens.cookie(request, COOKIE);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String idHash = tokens.hash(id.get());
        Optional<WerkplekSessionRow> row = rows.findById(idHash);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        WerkplekSessionRow r = row.get();
        Instant now = clock.instant();
        if (!now.isBefore(r.endsAt()) || !now.isBefore(r.lastSeenAt().plus(config.idleTimeout()))) {
            rows.deleteById(idHash);
            return Optional.empty();
        }
        Optional<Account> account = accounts.find(r.username())
                .filter(a -> a.active() && STAFF.contains(a.role()));
        if (account.isEmpty()) {
            endSession(idHash, r.username(), "account-inactive");
            return Optional.empty();
        }
        rows.updateLastSeenAt(idHash, now);
        Account a = account.get();
        return Optional.of(new Medewerker(idHash, a, SignIn.of(a), tokens.csrfOf(id.get())));
    }

    /**
     * Starts a session for {@code account} (active, a staff role), which a sign-in has proved: a new id (any session
     * the request carried is ended first), the row, the audit entry ({@code via}: how they signed in), and a 303 to
     * {@code target} that sets the cookie.
     */
    public MutableHttpResponse<?> start(HttpRequest<?> request, Account account, String via, String target) {
        if (!account.active() || !STAFF.contains(account.role())) {
            throw new IllegalArgumentException("only an active staff account signs in at the werkplek");
        }
        prune();
        SessionTokens.cookie(request, COOKIE).ifPresent(old -> rows.deleteById(tokens.hash(old)));
        String id = SessionTokens.newId();
        String idHash = tokens.hash(id);
        Instant now = clock.instant();
        transactions.executeWrite(status -> {
            rows.save(new WerkplekSessionRow(idHash, account.username(), now, now,
                    now.plus(config.absoluteTimeout())));
            audit.record(status.getConnection(), AuditEvent.of("werkplek.signed-in", actor(account),
                    "node:" + node.nodeId()).with("via", via));
            return null;
        });
        return HttpResponse.seeOther(URI.create(target))
                .cookie(SessionTokens.sessionCookie(COOKIE, id, config.secureCookie(), config.absoluteTimeout()));
    }

    /** Ends the session of {@code request} (if any) at the node and clears its cookie on {@code response}. */
    public MutableHttpResponse<?> end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        SessionTokens.cookie(request, COOKIE).ifPresent(id -> {
            String idHash = tokens.hash(id);
            rows.findById(idHash).ifPresent(r -> endSession(idHash, r.username(), "sign-out"));
        });
        return response.cookie(SessionTokens.sessionCookie(COOKIE, "", config.secureCookie(), Duration.ZERO));
    }

    private void endSession(String idHash, String username, String reason) {
        transactions.executeWrite(status -> {
            if (rows.existsById(idHash)) {
                rows.deleteById(idHash);
                Role role = accounts.find(username).map(Account::role).orElse(null);
                String actor = role != null && ACTOR.containsKey(role) ? NodeAudit.actor(ACTOR.get(role), username)
                        : NodeAudit.account(username);
                audit.record(status.getConnection(), AuditEvent.of("werkplek.signed-out", actor,
                        "node:" + node.nodeId()).with("reason", reason));
            }
            return null;
        });
    }

    /** Deletes the rows of sessions that timed out (called at each sign-in, so the table does not grow). */
    public void prune() {
        Instant now = clock.instant();
        rows.deleteByLastSeenAtLessThanOrEndsAtLessThan(now.minus(config.idleTimeout()), now);
    }

    /**
     * {@code terug} when it is a safe place to return to after sign-in: a local path (and query) under
     * {@code /werkplek/}, no scheme, host, backslash, dot segment, escape in the path ({@code %2e%2e}) or control
     * character, not the sign-in pages
     * themselves. Anything else is null (no open redirect).
     */
    public static @Nullable String terug(@Nullable String terug) {
        if (terug == null || terug.length() > MAX_TERUG || !terug.startsWith("/werkplek/")
                || terug.startsWith(INLOGGEN) || terug.startsWith("/werkplek/uitlog")) {
            return null;
        }
        for (int i = 0; i < terug.length(); i++) {
            char ch = terug.charAt(i);
            if (ch <= 0x20 || ch >= 0x7f || ch == '\\' || ch == '#') {
                return null;
            }
        }
        try {
            URI uri = new URI(terug);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
                    || terug.contains("//") || !uri.getRawPath().equals(uri.normalize().getRawPath())
                    || uri.getRawPath().contains("/.") || uri.getRawPath().contains("%")) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        return terug;
    }

    private static String actor(Account account) {
        return NodeAudit.actor(ACTOR.get(account.role()), account.username());
    }
}
