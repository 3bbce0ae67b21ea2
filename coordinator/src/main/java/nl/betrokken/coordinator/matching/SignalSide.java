package nl.betrokken.coordinator.matching;

/** One side of a match: the node and that node's own reference for its signal. */
public record SignalSide(String nodeId, String ref) {
}
