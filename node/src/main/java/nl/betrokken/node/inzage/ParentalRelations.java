package nl.betrokken.node.inzage;

import java.util.List;

import nl.betrokken.crypto.bsn.Bsn;

/**
 * The relation source of inzage and bezwaar: which signals, in every region, a signed-in person may see as the youth
 * ({@code SELF}) or as a parent ({@code PARENT}), each with a fresh inzage ticket of the coordinator for its holding
 * node ({@link CitizenInzage.Found}). Both {@link CitizenInzage} and objection/ ask only this interface.
 *
 * <p>Today's answer ({@link SignalNamedParents}, the default bean): a person is a parent of a child when a signal
 * about that child names them as a parent, as the coordinator's look-up finds it. A region that wants the BRP's
 * register of parental authority instead provides its own bean of this type; the default is {@code @Secondary}, so
 * any other implementation on the class path wins (or use {@code @Replaces(SignalNamedParents.class)}).
 *
 * <p>Guarantees an implementation keeps: it never sends a BSN, a name or a birth date to the coordinator (only
 * pseudonyms, as {@code Pseudonymizer} makes them); every item carries a ticket the coordinator signed, because the
 * holding node accepts nothing else; and the holding node still applies the age rules and the Veilig Thuis hold
 * ({@link InzageServing#visible}) whatever the source says. A failure to answer is a 503
 * ({@link nl.betrokken.problem.ProblemException}), never an empty list that looks complete.
 */
public interface ParentalRelations {

    /**
     * The signals {@code person} may see, each once, {@code SELF} before {@code PARENT}; empty when there are none.
     *
     * @throws nl.betrokken.problem.ProblemException 503 when the source does not answer
     */
    List<CitizenInzage.Found> signalsFor(Bsn person);
}
