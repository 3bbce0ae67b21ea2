package nl.betrokken.node.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;

/**
 * The sign-in tests' stand-in for the portal's session (only where {@code betrokken.test.citizen-session-echo=true}):
 * answers 200 with {@link #fingerprint} of the person who arrived, so a test can tell who signed in without the BSN
 * itself on a page.
 */
@Singleton
@Primary
@Replaces(CitizenSessionStarter.class)
@Requires(property = "betrokken.test.citizen-session-echo", value = "true")
class CitizenSessionEcho implements CitizenSessionStarter {

    @Override
    public MutableHttpResponse<?> start(HttpRequest<?> request, Bsn person) {
        return HttpResponse.ok("ingelogd: " + fingerprint(person.digits())).contentType(MediaType.TEXT_PLAIN_TYPE);
    }

    /** A test's fingerprint of a BSN: hex SHA-256 of its digits, first 16 characters. */
    static String fingerprint(String digits) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("echo:" + digits).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
