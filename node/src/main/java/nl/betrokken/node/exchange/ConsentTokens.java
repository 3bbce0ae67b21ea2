package nl.betrokken.node.exchange;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Singleton;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.node.match.FederationCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the coordinator's consent token that comes with a message: signed with the coordinator's ticket key (the
 * keys it publishes), of type {@value #TYPE}, issuer {@code betrokken-coordinator}, audience {@value #AUDIENCE}, not
 * expired; its {@code sub} the match the message is about ({@code consent-other-match}); its {@code parties} exactly
 * the match's two signals, the sender's and this node's ({@code consent-other-parties}). Any other refusal of the
 * token is {@code consent-forged}, an expired one {@code consent-expired}. Whether the consent still holds is asked
 * next: at this node ({@code consent/ConsentGate}) and at the coordinator ({@link ConsentUse}).
 */
@Singleton
class ConsentTokens {

    static final String TYPE = "betrokken-consent+jwt";
    static final String AUDIENCE = "betrokken-node";
    static final Claim<List<String>> PARTIES = Claim.stringList("parties");
    private static final Logger LOG = LoggerFactory.getLogger(ConsentTokens.class);

    private final FederationCalls calls;

    ConsentTokens(FederationCalls calls) {
        this.calls = calls;
    }

    /**
     * The consent id ({@code jti}) of {@code token} for match {@code matchId} between {@code sender} and
     * {@code receiver} ({@code node:ref} each).
     *
     * @throws Exchanges.Refused when the token is refused, naming why
     */
    UUID check(String token, UUID matchId, String sender, String receiver) {
        TokenClaims claims;
        try {
            claims = calls.coordinatorTicket(token, TYPE, AUDIENCE, List.of(PARTIES)).claims();
        } catch (TokenVerificationException e) {
            LOG.warn("refused a consent token for match {}: {}", matchId, e.reason());
            throw new Exchanges.Refused(e.reason() == TokenVerificationException.Reason.EXPIRED
                    ? "consent-expired" : "consent-forged", null);
        }
        UUID consentId;
        try {
            consentId = UUID.fromString(claims.jwtId());
        } catch (RuntimeException e) {
            throw new Exchanges.Refused("consent-forged", null);
        }
        if (!matchId.toString().equals(claims.subject())) {
            throw new Exchanges.Refused("consent-other-match", consentId);
        }
        List<String> parties = claims.require(PARTIES).stream().sorted().toList();
        if (!parties.equals(java.util.stream.Stream.of(sender, receiver).sorted().toList())) {
            throw new Exchanges.Refused("consent-other-parties", consentId);
        }
        return consentId;
    }
}
