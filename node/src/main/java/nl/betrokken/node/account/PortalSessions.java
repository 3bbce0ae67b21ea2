package nl.betrokken.node.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.keys.NodeKeys;

/**
 * The parents' portal sessions, kept at the node ({@code portal_session}, V11). The cookie {@value #COOKIE} holds 32
 * random bytes; the row holds only their keyed hash ({@link NodeKeys#portalSessionHash}), the person's BSN sealed with
 * the node's Aead (bound to that hash) and the objection being written (sealed likewise). The cookie is HttpOnly,
 * SameSite=Lax and Secure ({@link PortaalConfiguration#secureCookie()}). A session ends at sign-out (the row is
 * deleted), after {@link PortaalConfiguration#idleTimeout()} without a request and after
 * {@link PortaalConfiguration#absoluteTimeout()} in any case.
 *
 * <p>CSRF: every portal form carries a hidden token that is checked on POST. For a session it is a keyed hash of the
 * session id (never stored); before sign-in (the dev sign-in page) it is the value of the cookie {@value #CSRF_COOKIE}
 * (double submit). Comparisons run in constant time.
 *
 * <p>Signing in and out are appended to the audit log without the BSN, in the transaction that writes the row.
 */
@Singleton
public class PortalSessions {

    /** The session cookie. */
    public static final String COOKIE = "betrokken_portaal";
    /** The CSRF cookie of forms shown before sign-in. */
    public static final String CSRF_COOKIE = "betrokken_portaal_csrf";
    /** Where a person lands after signing in. */
    public static final String OVERVIEW = "/portaal/overzicht";

    private final PortalSessionRepository rows;
    private final SessionTokens tokens;
    private final NodeKeys keys;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final PortaalConfiguration config;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    PortalSessions(PortalSessionRepository rows, NodeKeys keys, NodeAudit audit, NodeConfiguration node,
                   PortaalConfiguration config, TransactionOperations<Connection> transactions, Clock clock) {
        this.rows = rows;
        this.tokens = new SessionTokens(keys, "");
        this.keys = keys;
        this.audit = audit;
        this.node = node;
        this.config = config;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * A live session: the person, the CSRF token its forms carry, and the objection being written (opaque to this
     * class), if any. Personal data: {@link #toString()} prints none.
     */
    public record Session(String idHash, Bsn person, String csrf, @Nullable String draft) {
        @Override
        public String toString() {
            return "Session[redacted]";
        }
    }

    /**
     * Starts a session for {@code person}: a new id (any session the request carried is ended first, so an id set
     * before sign-in never becomes a signed-in one), the row, the audit entry, and a 303 to {@code target} that sets
     * the cookie.
     */
    public MutableHttpResponse<?> start(HttpRequest<?> request, Bsn person, MutableHttpResponse<?> response) {
        cookie(request).ifPresent(old -> rows.deleteById(hash(old)));
        String id = SessionTokens.newId();
        String idHash = hash(id);
        Instant now = clock.instant();
        transactions.executeWrite(status -> {
            rows.save(new PortalSessionRow(idHash, seal(person.digits(), idHash, "person"), null, now, now,
                    now.plus(config.absoluteTimeout())));
            audit.record(status.getConnection(), AuditEvent.of("portaal.signed-in", "citizen:signed-in",
                    "node:" + node.nodeId()));
            return null;
        });
        return response.cookie(SessionTokens.sessionCookie(COOKIE, id, config.secureCookie(), config.absoluteTimeout()));
    }

    /** The live session of {@code request}, its idle time restarted; empty when there is none or it timed out. */
    public Optional<Session> current(HttpRequest<?> request) {
        Optional<String> id = cookie(request);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String idHash = hash(id.get());
        Instant now = clock.instant();
        Optional<PortalSessionRow> row = rows.findById(idHash);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        PortalSessionRow r = row.get();
        if (!now.isBefore(r.endsAt()) || !now.isBefore(r.lastSeenAt().plus(config.idleTimeout()))) {
            rows.deleteById(idHash);
            return Optional.empty();
        }
        rows.updateLastSeenAt(idHash, now);
        try {
            Bsn person = Bsn.parse(open(r.personSealed(), idHash, "person"));
            String draft = r.draftSealed() == null ? null : open(r.draftSealed(), idHash, "draft");
            return Optional.of(new Session(idHash, person, csrfOf(id.get()), draft));
        } catch (GeneralSecurityException | RuntimeException e) {
            rows.deleteById(idHash); // unreadable (a disabled key epoch): the person signs in again
            return Optional.empty();
        }
    }

    /** The live session of {@code request}. @throws NotSignedIn when there is none */
    public Session require(HttpRequest<?> request) {
        return current(request).orElseThrow(NotSignedIn::new);
    }

    /**
     * The live session of a posted form, after checking its CSRF token.
     *
     * @throws NotSignedIn when there is no session
     * @throws CsrfRefused when the token is missing or not this session's
     */
    public Session requirePost(HttpRequest<?> request, @Nullable String csrf) {
        Session s = require(request);
        if (!same(s.csrf(), csrf)) {
            throw new CsrfRefused();
        }
        return s;
    }

    /** Keeps {@code draft} (the objection being written; null: none) with the session, sealed. */
    public void saveDraft(Session session, @Nullable String draft) {
        rows.updateDraftSealed(session.idHash(),
                draft == null ? null : seal(draft, session.idHash(), "draft"));
    }

    /** Ends the session of {@code request} (if any) at the node and clears its cookie on {@code response}. */
    public MutableHttpResponse<?> end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Optional<String> id = cookie(request);
        if (id.isPresent()) {
            String idHash = hash(id.get());
            transactions.executeWrite(status -> {
                if (rows.existsById(idHash)) {
                    rows.deleteById(idHash);
                    audit.record(status.getConnection(), AuditEvent.of("portaal.signed-out", "citizen:signed-in",
                            "node:" + node.nodeId()));
                }
                return null;
            });
        }
        return response.cookie(SessionTokens.sessionCookie(COOKIE, "", config.secureCookie(), Duration.ZERO));
    }

    /** Deletes the rows of sessions that timed out (called before each sign-in, so the table does not grow). */
    public void prune() {
        Instant now = clock.instant();
        rows.deleteByLastSeenAtLessThanOrEndsAtLessThan(now.minus(config.idleTimeout()), now);
    }

    /**
     * The CSRF token for a form shown before sign-in: the {@value #CSRF_COOKIE} cookie's value, or a new one that
     * {@link #withAnonymousCsrf} sets.
     */
    public String anonymousCsrf(HttpRequest<?> request) {
        return SessionTokens.cookie(request, CSRF_COOKIE).orElseGet(SessionTokens::newId);
    }

    /** Sets the cookie that carries {@code csrf} (from {@link #anonymousCsrf}). */
    public MutableHttpResponse<?> withAnonymousCsrf(MutableHttpResponse<?> response, String csrf) {
        return response.cookie(Cookie.of(CSRF_COOKIE, csrf).httpOnly(true).secure(config.secureCookie())
                .sameSite(SameSite.Strict).path("/"));
    }

    /** Checks a form posted before sign-in. @throws CsrfRefused when the field does not equal the cookie */
    public void checkAnonymous(HttpRequest<?> request, @Nullable String csrf) {
        String cookie = request.getCookies().findCookie(CSRF_COOKIE).map(Cookie::getValue).orElse(null);
        if (cookie == null || !same(cookie, csrf)) {
            throw new CsrfRefused();
        }
    }

    private static Optional<String> cookie(HttpRequest<?> request) {
        return SessionTokens.cookie(request, COOKIE);
    }

    private String hash(String id) {
        return tokens.hash(id);
    }

    private String csrfOf(String id) {
        return tokens.csrfOf(id);
    }

    private static boolean same(String expected, @Nullable String given) {
        return SessionTokens.same(expected, given);
    }

    private byte[] seal(String text, String idHash, String what) {
        return keys.aead().encrypt(text.getBytes(StandardCharsets.UTF_8), associated(idHash, what));
    }

    private String open(byte[] sealed, String idHash, String what) throws GeneralSecurityException {
        return new String(keys.aead().decrypt(sealed, associated(idHash, what)), StandardCharsets.UTF_8);
    }

    private static byte[] associated(String idHash, String what) {
        return ("portal_session/" + idHash + "/" + what).getBytes(StandardCharsets.UTF_8);
    }
}
