package nl.betrokken.coordinator.feed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Singleton;
import nl.betrokken.coordinator.keys.CoordinatorKeys;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;

/**
 * Match tickets: ES256 tokens signed by the coordinator that name the two parties of a match, so that one node can
 * ask the other for its professional's contact data and the other can check the asker's right to it.
 *
 * <p>Claims: {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, {@code sub} the match id, {@code parties}
 * as {@code ["<node>:<ref>", "<node>:<ref>"]} in string order, {@code type} CHILD or FAMILY. A ticket is
 * valid for {@link #LIFETIME}; the feed signs a fresh one each time it serves the entry.
 */
@Singleton
public class Tickets {

    public static final String ISSUER = "betrokken-coordinator";
    /** The JWS {@code typ} of a ticket. */
    public static final String TYPE = CoordinatorKeys.TICKET_TYPE;
    public static final String AUDIENCE = "betrokken-node";
    public static final Claim<List<String>> PARTIES = Claim.stringList("parties");
    public static final Claim<String> MATCH_TYPE = Claim.string("type");
    static final Duration LIFETIME = Duration.ofDays(30);

    private final CoordinatorKeys keys;
    private final Clock clock;

    Tickets(CoordinatorKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Signs a ticket for the match between {@code (nodeA, refA)} and {@code (nodeB, refB)}. */
    public String issue(UUID matchId, String type, String nodeA, String refA, String nodeB, String refB) {
        Instant now = clock.instant();
        List<String> parties = Stream.of(nodeA + ":" + refA, nodeB + ":" + refB).sorted().toList();
        TokenClaims claims = TokenClaims.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(matchId.toString())
                .issuedAt(now)
                .expiresAt(now.plus(LIFETIME))
                .claim(PARTIES, parties)
                .claim(MATCH_TYPE, type)
                .build();
        return keys.ticketSigner().sign(claims);
    }
}
