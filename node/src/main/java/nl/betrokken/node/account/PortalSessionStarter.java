package nl.betrokken.node.account;

import java.net.URI;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;

/** Where a proved sign-in hands over: a new portal session, and a 303 to the person's overview. */
@Singleton
class PortalSessionStarter implements CitizenSessionStarter {

    private final PortalSessions sessions;

    PortalSessionStarter(PortalSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public MutableHttpResponse<?> start(HttpRequest<?> request, Bsn person) {
        sessions.prune();
        return sessions.start(request, person, HttpResponse.seeOther(URI.create(PortalSessions.OVERVIEW)));
    }
}
