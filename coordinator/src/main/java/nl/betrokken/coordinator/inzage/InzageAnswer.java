package nl.betrokken.coordinator.inzage;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;

/** The signals the person may ask their holding nodes for, each with its inzage ticket. */
@Serdeable
public record InzageAnswer(List<Signal> signals) {

    /** One signal: the node that holds it, its reference there, why the person may see it, and the ticket. */
    @Serdeable
    public record Signal(String node, String ref, Relation relation, String ticket) {

        /** A ticket is a bearer credential for a few minutes: never printed. */
        @Override
        public String toString() {
            return "Signal[node=" + node + ", ref=" + ref + ", relation=" + relation + "]";
        }
    }
}
