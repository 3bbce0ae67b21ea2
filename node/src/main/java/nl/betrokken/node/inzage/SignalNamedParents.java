package nl.betrokken.node.inzage;

import java.util.List;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.keys.NodeTokens;

/**
 * The default {@link ParentalRelations}: a person is a parent of a child when a signal about that child names them as
 * a parent. Their BSN is pseudonymised under every accepted federation epoch (as a signal's youth is, outbox/Outbox)
 * and the coordinator asked which signals name that person ({@code POST /internal/v1/inzage}, {@link CoordinatorLookUp}),
 * as youth or as parent, and which other signals concern the children of those signals; it answers one ticket per
 * signal.
 */
@Singleton
@Secondary
public class SignalNamedParents implements ParentalRelations {

    private final CoordinatorLookUp coordinator;
    private final NodeTokens tokens;

    SignalNamedParents(CoordinatorLookUp coordinator, NodeTokens tokens) {
        this.coordinator = coordinator;
        this.tokens = tokens;
    }

    @Override
    public List<CitizenInzage.Found> signalsFor(Bsn person) {
        return coordinator.signals("/internal/v1/inzage", tokens.forCall(NodeTokens.COORDINATOR), person);
    }
}
