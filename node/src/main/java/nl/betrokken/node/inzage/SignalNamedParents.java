package nl.betrokken.node.inzage;

import java.util.ArrayList;
import java.util.List;

import io.micronaut.context.annotation.Secondary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.pseudonym.Pseudonym;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.keys.NodeTokens;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ParentalRelations}: a person is a parent of a child when a signal about that child names them as
 * a parent. Their BSN is pseudonymised under every accepted federation epoch (as a signal's youth is, outbox/Outbox)
 * and the coordinator asked which signals name that person ({@code POST /internal/v1/inzage}), as youth or as
 * parent, and which other signals concern the children of those signals; it answers one ticket per signal.
 */
@Singleton
@Secondary
public class SignalNamedParents implements ParentalRelations {

    private static final Logger LOG = LoggerFactory.getLogger(SignalNamedParents.class);

    private final HttpClient coordinator;
    private final NodeKeys keys;
    private final NodeTokens tokens;

    SignalNamedParents(@Client(id = "coordinator") HttpClient coordinator, NodeKeys keys, NodeTokens tokens) {
        this.coordinator = coordinator;
        this.keys = keys;
        this.tokens = tokens;
    }

    @Serdeable
    record EpochPseudonym(int epoch, String person) {
        @Override
        public String toString() {
            return "EpochPseudonym[" + epoch + "]";
        }
    }

    @Serdeable
    record LookUp(List<EpochPseudonym> pseudonyms) {
    }

    @Serdeable
    record Answer(@Nullable List<CitizenInzage.Found> signals) {
    }

    @Override
    public List<CitizenInzage.Found> signalsFor(Bsn person) {
        List<EpochPseudonym> pseudonyms = new ArrayList<>();
        for (Pseudonym p : keys.pseudonymizer().pseudonymizeForMatching(person)) {
            pseudonyms.add(new EpochPseudonym(p.epoch(), p.encoded()));
        }
        Answer answer;
        try {
            answer = coordinator.toBlocking().retrieve(HttpRequest.POST("/internal/v1/inzage", new LookUp(pseudonyms))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)), Answer.class);
        } catch (HttpClientException e) {
            LOG.warn("inzage: the coordinator did not answer: {}", e.getClass().getSimpleName());
            throw Problems.unavailable("the federation's look-up cannot be reached now; try again later");
        }
        return answer.signals() == null ? List.of() : answer.signals();
    }
}
