package nl.betrokken.coordinator.consent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import nl.betrokken.coordinator.feed.Tickets;
import nl.betrokken.coordinator.keys.CoordinatorKeys;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;

/**
 * Consent tokens: ES256, signed with the coordinator's ticket key (published at {@code /.well-known/jwks.json}),
 * header {@code typ} {@value #TYPE}. Claims: {@code iss} {@value Tickets#ISSUER}, {@code aud}
 * {@value Tickets#AUDIENCE}, {@code sub} the match id, {@code jti} the consent id, {@code parties} the match's two
 * signals as {@code node:ref} in string order, {@code purpose} the purpose's hex SHA-256, {@code consented} the
 * granted roles as {@code node:ref:ROLE}, {@code iat} and {@code nbf} now, {@code exp} the end of the chosen date
 * (23:59:59 Europe/Amsterdam) or {@link #WITHOUT_DATE} after now when none was chosen.
 */
@Singleton
public class ConsentTokens {

    public static final String TYPE = CoordinatorKeys.CONSENT_TYPE;
    public static final Claim<List<String>> PARTIES = Tickets.PARTIES;
    public static final Claim<String> PURPOSE = Claim.string("purpose");
    public static final Claim<List<String>> CONSENTED = Claim.stringList("consented");
    public static final Duration WITHOUT_DATE = Duration.ofDays(30);
    static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    private final CoordinatorKeys keys;
    private final Clock clock;

    ConsentTokens(CoordinatorKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Signs a token for consent {@code consentId} of {@code matchId}. */
    public String issue(UUID consentId, UUID matchId, List<String> parties, String purposeHash, List<String> consented,
                        @Nullable LocalDate validUntil) {
        Instant now = clock.instant();
        Instant exp = validUntil == null ? now.plus(WITHOUT_DATE)
                : validUntil.atTime(LocalTime.of(23, 59, 59)).atZone(ZONE).toInstant();
        TokenClaims claims = TokenClaims.builder()
                .issuer(Tickets.ISSUER)
                .audience(Tickets.AUDIENCE)
                .subject(matchId.toString())
                .jwtId(consentId.toString())
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(exp)
                .claim(PARTIES, parties.stream().sorted().toList())
                .claim(PURPOSE, purposeHash)
                .claim(CONSENTED, consented.stream().sorted().toList())
                .build();
        return keys.consentSigner().sign(claims);
    }
}
