package nl.betrokken.node.inzage;

import java.util.ArrayList;
import java.util.List;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A look-up at the coordinator by a person's pseudonyms: the person's BSN pseudonymised under every accepted federation
 * epoch (as a signal's youth is, outbox/Outbox), posted with a node token; the answer is one ticket per signal found
 * ({@link CitizenInzage.Found}). Used by the inzage ({@link SignalNamedParents}, {@code /internal/v1/inzage}) and by
 * Veilig Thuis (veiligthuis/, {@code /internal/v1/inzage/veilig-thuis}). Never sends a BSN, a name or a birth date.
 */
@Singleton
public class CoordinatorLookUp {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLookUp.class);

    private final HttpClient coordinator;
    private final NodeKeys keys;

    CoordinatorLookUp(@Client(id = "coordinator") HttpClient coordinator, NodeKeys keys) {
        this.coordinator = coordinator;
        this.keys = keys;
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

    /**
     * The signals the coordinator finds at {@code path} for {@code person}, authenticated with {@code token}.
     *
     * @throws nl.betrokken.problem.ProblemException 503 when the coordinator does not answer, or refuses
     */
    public List<CitizenInzage.Found> signals(String path, String token, Bsn person) {
        List<EpochPseudonym> pseudonyms = new ArrayList<>();
        for (Pseudonym p : keys.pseudonymizer().pseudonymizeForMatching(person)) {
            pseudonyms.add(new EpochPseudonym(p.epoch(), p.encoded()));
        }
        Answer answer;
        try {
            answer = coordinator.toBlocking().retrieve(HttpRequest.POST(path, new LookUp(pseudonyms))
                    .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(token), Answer.class);
        } catch (HttpClientException e) {
            LOG.warn("look-up {}: the coordinator did not answer: {}", path, e.getClass().getSimpleName());
            throw nl.betrokken.problem.Problems.unavailable(
                    "the federation's look-up cannot be reached now; try again later");
        }
        return answer.signals() == null ? List.of() : answer.signals();
    }
}
