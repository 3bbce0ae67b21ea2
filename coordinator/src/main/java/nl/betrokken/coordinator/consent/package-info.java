/**
 * The consent register (issue #13): consent requests for a match, their parts and answers, as the nodes report them,
 * and the consent token by which a node shows the counterpart that an exchange may go ahead. It holds no identity,
 * no purpose text (its hash only) and no date derived from a birth date: the part nodes work out who must answer and
 * when that changes, and expire a consent here when it does.
 */
package nl.betrokken.coordinator.consent;
