package nl.betrokken.node.account;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import nl.betrokken.crypto.bsn.Bsn;

/**
 * Starts a parent's or youth's portal session once a sign-in has proved who they are: the OpenID Connect sign-in
 * ({@code CitizenOidc}) and, in the dev environment, the dev identity provider's page both end here. The portal
 * implements it: a new session, its cookie, and the answer that takes the person to their overview.
 */
public interface CitizenSessionStarter {

    /** The answer to the sign-in's last request: the person with this BSN is signed in from now on. */
    MutableHttpResponse<?> start(HttpRequest<?> request, Bsn person);
}
