package nl.betrokken.node.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import nl.betrokken.node.keys.NodeKeys;

/**
 * What the portal's and the werkplek's sessions share: random ids of 32 bytes (43 base64url characters) in an HttpOnly,
 * SameSite=Lax cookie, their keyed hash as the row's key, a CSRF token derived from the id (never stored), and
 * comparisons in constant time. {@code domain} separates the two kinds, so a portal cookie is no werkplek session.
 */
final class SessionTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final NodeKeys keys;
    private final String domain;

    /** {@code domain}: empty for the portal (its hashes as they always were), {@code werkplek/} for staff. */
    SessionTokens(NodeKeys keys, String domain) {
        this.keys = keys;
        this.domain = domain;
    }

    /** A new random id (or CSRF token). */
    static String newId() {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        return B64.encodeToString(id);
    }

    /** The value of cookie {@code name} when it has the shape of an id. */
    static Optional<String> cookie(HttpRequest<?> request, String name) {
        return request.getCookies().findCookie(name).map(Cookie::getValue).filter(v -> v.length() == 43);
    }

    /** The session cookie: HttpOnly, SameSite=Lax, path /, Secure as configured; an empty value with 0 clears it. */
    static Cookie sessionCookie(String name, String value, boolean secure, Duration maxAge) {
        return cookie(name, "/", value, secure, maxAge);
    }

    /** An HttpOnly, SameSite=Lax cookie on {@code path} (a pending sign-in's id on the sign-in's path). */
    static Cookie cookie(String name, String path, String value, boolean secure, Duration maxAge) {
        return Cookie.of(name, value).httpOnly(true).secure(secure).sameSite(SameSite.Lax).path(path).maxAge(maxAge);
    }

    /** The row key of session id {@code id}. */
    String hash(String id) {
        return HexFormat.of().formatHex(keys.portalSessionHash((domain + id).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The CSRF token of the forms of session {@code id}. */
    String csrfOf(String id) {
        return B64.encodeToString(keys.portalSessionHash((domain + "csrf/" + id).getBytes(StandardCharsets.US_ASCII)));
    }

    /** Whether {@code given} equals {@code expected}, compared in constant time. */
    static boolean same(String expected, @Nullable String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
