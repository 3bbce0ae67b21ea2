package nl.betrokken.coordinator.inzage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Singleton;
import nl.betrokken.coordinator.feed.Tickets;
import nl.betrokken.coordinator.keys.CoordinatorKeys;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;

/**
 * Inzage tickets: ES256 tokens signed with the coordinator's ticket key (published at {@code /.well-known/jwks.json})
 * by which a holding node lets another node fetch one of its signals for a signed-in person.
 *
 * <p>Header {@code typ} {@value #TYPE}. Claims: {@code iss} {@value Tickets#ISSUER}, {@code aud} the holding node's
 * id, {@code sub} the signal's reference there, {@code asker} the asking node's id, {@code relation} SELF, PARENT or
 * VEILIG_THUIS, a fresh {@code jti} (the holding node serves each ticket once), {@code iat} and {@code nbf} now and {@code exp}
 * {@link #LIFETIME} later. The ticket names no person: the holding node learns who asks from the asking node.
 */
@Singleton
public class InzageTickets {

    public static final String TYPE = CoordinatorKeys.INZAGE_TYPE;
    public static final String ISSUER = Tickets.ISSUER;
    public static final Claim<String> ASKER = Claim.string("asker");
    public static final Claim<String> RELATION = Claim.string("relation");
    /** Long enough to fetch every signal of one page view, short enough that a leaked ticket is soon worthless. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private final CoordinatorKeys keys;
    private final Clock clock;

    InzageTickets(CoordinatorKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Signs a ticket for {@code asker} to fetch signal {@code ref} from {@code holder}. */
    public String issue(String holder, String ref, String asker, Relation relation) {
        Instant now = clock.instant();
        TokenClaims claims = TokenClaims.builder()
                .issuer(ISSUER)
                .audience(holder)
                .subject(ref)
                .jwtId(UUID.randomUUID().toString())
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(now.plus(LIFETIME))
                .claim(ASKER, asker)
                .claim(RELATION, relation.name())
                .build();
        return keys.inzageSigner().sign(claims);
    }
}
