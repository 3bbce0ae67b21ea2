package nl.betrokken.node.consent;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's consent register ({@code /internal/v1/consents}), as this node calls it with its node token. It
 * is sent no identity, no purpose (only its hash) and no date derived from a birth date. Unreachable, or an answer
 * that is not one of the register's own refusals: a 503 problem, so that the caller records nothing.
 */
@Singleton
class Register {

    private static final Logger LOG = LoggerFactory.getLogger(Register.class);

    private final HttpClient coordinator;
    private final NodeTokens tokens;

    Register(@Client(id = "coordinator") HttpClient coordinator, NodeTokens tokens) {
        this.coordinator = coordinator;
        this.tokens = tokens;
    }

    @Serdeable
    record PartRef(String node, String ref) {
    }

    @Serdeable
    record Registration(String id, String matchId, String purposeHash, List<PartRef> parts) {
    }

    @Serdeable
    record Registered(String id, String status) {
    }

    @Serdeable
    record Answer(String ref, String status, List<String> roles, @Nullable LocalDate validUntil) {
    }

    @Serdeable
    record Answered(String id, String status, @Nullable LocalDate validUntil, @Nullable String token) {
    }

    @Serdeable
    record Expiry(String reason) {
    }

    @Serdeable
    record Part(String node, String ref, String status, @Nullable List<String> roles) {
    }

    @Serdeable
    record Consent(String id, String matchId, String homeNode, String status, @Nullable LocalDate validUntil,
                   List<Part> parts, @Nullable String token, @Nullable String endedReason) {
    }

    Registered register(Registration r) {
        return call(HttpRequest.POST("/internal/v1/consents", r), Registered.class, "register");
    }

    Answered answer(UUID id, Answer a) {
        return call(HttpRequest.POST("/internal/v1/consents/" + id + "/parts/answer", a), Answered.class, "answer");
    }

    /** The consent {@code id}, with a fresh token while GRANTED; empty when the register does not know it. */
    Optional<Consent> consent(UUID id) {
        return get("/internal/v1/consents/" + id);
    }

    /** The newest consent of match {@code matchId}; empty when it has none. */
    Optional<Consent> ofMatch(UUID matchId) {
        return get("/internal/v1/matches/" + matchId + "/consent");
    }

    void withdraw(UUID id) {
        call(HttpRequest.POST("/internal/v1/consents/" + id + "/withdraw", ""), String.class, "withdraw");
    }

    void expire(UUID id, String reason) {
        call(HttpRequest.POST("/internal/v1/consents/" + id + "/expire", new Expiry(reason)), String.class, "expire");
    }

    private Optional<Consent> get(String path) {
        try {
            return Optional.of(coordinator.toBlocking().retrieve(HttpRequest.GET(path)
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)), Consent.class));
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 404) {
                return Optional.empty();
            }
            LOG.warn("consent register answered {} to a look-up", e.getStatus().getCode());
            throw unavailable();
        } catch (HttpClientException | IllegalStateException e) {
            LOG.info("consent register not reachable: {}", e.getClass().getSimpleName());
            throw unavailable();
        }
    }

    private <T> T call(io.micronaut.http.MutableHttpRequest<?> request, Class<T> type, String what) {
        try {
            return coordinator.toBlocking().retrieve(request.contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)), type);
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            LOG.warn("consent register answered {} to {}", status, what);
            if (status == 409 && what.equals("register")) {
                String problemType = String.valueOf(e.getResponse().getBody(java.util.Map.class).map(b -> b.get("type"))
                        .orElse(""));
                if (problemType.endsWith("/signal-not-active")) {
                    throw Problems.conflict("signal-not-active", "Signal not active", "id",
                            "a signal of this match is no longer active; consent can no longer be asked");
                }
                throw Problems.conflict("consent-exists", "Consent already asked", "id",
                        "this match already has a consent request that is pending or granted");
            }
            if (status == 409) {
                throw Problems.conflict("consent-not-pending", "Consent not open", "id",
                        "the consent register refused this change: the request is no longer open");
            }
            if (status == 404) {
                throw Problems.notFound("consent-not-found", "Consent not found",
                        "the consent register does not know this request");
            }
            throw unavailable();
        } catch (HttpClientException | IllegalStateException e) {
            LOG.info("consent register not reachable for {}: {}", what, e.getClass().getSimpleName());
            throw unavailable();
        }
    }

    static ProblemException unavailable() {
        return Problems.unavailable("the consent register cannot be reached now; nothing was recorded; try again later");
    }
}
