package nl.betrokken.coordinator.feed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Singleton;
import nl.betrokken.coordinator.keys.CoordinatorKeys;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenSigner;

/**
 * Match tickets: ES256 tokens signed by the coordinator that name the two parties of a match, so that one node can
 * ask the other for its professional's contact data and the other can check the asker's right to it.
 *
 * <p>Claims: {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, {@code sub} the match id, {@code parties}
 * as {@code ["<node>:<ref>", "<node>:<ref>"]} in string order, {@code type} CHILD or FAMILY. A ticket is
 * valid for {@link #LIFETIME}. Both parties of a match get the same ticket: one signed in the last
 * {@link #REUSED_FOR} for the same match, type and parties is handed out again (the last {@value #KEPT} are kept),
 * so a match costs one signature, not one per node and delivery; an older one is never handed out again.
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
    static final Duration REUSED_FOR = Duration.ofHours(1);
    static final int KEPT = 10_000;

    private final CoordinatorKeys keys;
    private final Clock clock;

    Tickets(CoordinatorKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    private record Issued(String ticket, Instant at, TokenSigner signer) {
    }

    /** The tickets signed lately, by match, type and parties; the least recently used goes first. */
    private final Map<String, Issued> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Issued> eldest) {
            return size() > KEPT;
        }
    };

    /** A ticket for the match between {@code (nodeA, refA)} and {@code (nodeB, refB)}, signed now or lately. */
    public String issue(UUID matchId, String type, String nodeA, String refA, String nodeB, String refB) {
        return issue(matchId, type, nodeA, refA, nodeB, refB, false);
    }

    /** A ticket for the match signed now, for a node that asks for a fresh one ({@link TicketRenewal}). */
    public String issueFresh(UUID matchId, String type, String nodeA, String refA, String nodeB, String refB) {
        return issue(matchId, type, nodeA, refA, nodeB, refB, true);
    }

    private String issue(UUID matchId, String type, String nodeA, String refA, String nodeB, String refB,
                         boolean fresh) {
        Instant now = clock.instant();
        List<String> parties = Stream.of(nodeA + ":" + refA, nodeB + ":" + refB).sorted().toList();
        String key = matchId + " " + type + " " + String.join(" ", parties);
        synchronized (recent) {
            Issued issued = fresh ? null : recent.get(key);
            // Never one of another signer (the key is read at start, so a replaced key comes with a new process and an
            // empty cache; the check keeps it so should that change) or from a clock that went back.
            if (issued != null && issued.signer() == keys.ticketSigner() && !issued.at().isAfter(now)
                    && issued.at().plus(REUSED_FOR).isAfter(now)) {
                return issued.ticket();
            }
        }
        TokenSigner signer = keys.ticketSigner();
        String ticket = sign(signer, matchId, type, parties, now);
        synchronized (recent) {
            recent.put(key, new Issued(ticket, now, signer));
        }
        return ticket;
    }

    private static String sign(TokenSigner signer, UUID matchId, String type, List<String> parties, Instant now) {
        TokenClaims claims = TokenClaims.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(matchId.toString())
                .issuedAt(now)
                .expiresAt(now.plus(LIFETIME))
                .claim(PARTIES, parties)
                .claim(MATCH_TYPE, type)
                .build();
        return signer.sign(claims);
    }
}
