package nl.betrokken.node.exchange;

import java.util.Map;
import java.util.UUID;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the coordinator to count one use of a consent just before this node accepts a message under it
 * ({@code POST /internal/v1/consents/{id}/use}): the coordinator locks the consent's row for it, so a withdrawal there
 * comes either before (the use is refused) or after (the message counts).
 */
@Singleton
class ConsentUse {

    private static final Logger LOG = LoggerFactory.getLogger(ConsentUse.class);

    private final HttpClient coordinator;
    private final NodeTokens tokens;
    private final JsonMapper json;

    ConsentUse(@Client(id = "coordinator") HttpClient coordinator, NodeTokens tokens, JsonMapper json) {
        this.coordinator = coordinator;
        this.tokens = tokens;
        this.json = json;
    }

    /**
     * Counts a use of consent {@code consentId} by this node's signal {@code ownRef}.
     *
     * @throws Exchanges.Refused when the coordinator refuses it (409: the reason from its problem's type; 403 or
     *     404: {@code consent-none})
     * @throws nl.betrokken.problem.ProblemException 503 when the coordinator cannot be asked now
     */
    void use(UUID consentId, String ownRef) {
        try {
            coordinator.toBlocking().exchange(HttpRequest.POST("/internal/v1/consents/" + consentId + "/use",
                            Map.of("ref", ownRef))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)));
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            if (status == 409) {
                throw new Exchanges.Refused(reason(e), consentId);
            }
            if (status == 403 || status == 404) {
                throw new Exchanges.Refused("consent-none", consentId);
            }
            LOG.warn("the coordinator answered {} to a consent use", status);
            throw Problems.unavailable("the consent cannot be checked now; try again later");
        } catch (HttpClientException e) {
            LOG.info("coordinator not reachable for a consent use");
            throw Problems.unavailable("the consent cannot be checked now; try again later");
        }
    }

    /** The last part of the 409's problem type ({@code consent-withdrawn}, …); {@code consent-ended} when unreadable. */
    private String reason(HttpClientResponseException e) {
        try {
            String body = e.getResponse().getBody(String.class).orElse("");
            Object type = json.readValue(body, Argument.mapOf(String.class, Object.class)).get("type");
            if (type != null) {
                String t = type.toString();
                String last = t.substring(t.lastIndexOf('/') + 1);
                if (last.matches("consent-[a-z-]{1,40}")) {
                    return last;
                }
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            // fall through
        }
        return "consent-ended";
    }
}
