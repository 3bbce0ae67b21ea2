package nl.betrokken.coordinator.feed;

/** What a feed entry tells a node about a match on one of its signals. */
public enum FeedKind {
    /** A new match. */
    MATCH_CREATED,
    /** A match that no longer stands: the other signal was erased (an objection upheld). */
    MATCH_WITHDRAWN,
    /** A consent of the match ended (withdrawn or expired); the entry names the consent and the reason. */
    CONSENT_ENDED
}
