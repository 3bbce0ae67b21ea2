package nl.betrokken.node.followup;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to {@code POST /api/v1/matches/{id}/call-on}: the call's id, when it was made, how many professionals at
 * this node were e-mailed, and how the counterpart's node was reached: {@code SENT} (it accepted the call and e-mails
 * its professional), {@code PENDING} (not reachable now: this node tries again until it is, the call is not lost),
 * {@code REFUSED} (refused for good: the match withdrawn or the other signal gone there) or {@code LOCAL} (both
 * signals at this node: both professionals are among {@code professionalsHere}).
 */
@Serdeable
public record CallOnView(UUID id, UUID matchId, Instant calledAt, int professionalsHere, String counterpart) {
}
