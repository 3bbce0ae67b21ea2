/**
 * The BSN (burgerservicenummer) value type.
 *
 * <p>Guarantees: a {@link nl.betrokken.crypto.bsn.Bsn} always holds exactly nine ASCII digits that are not all
 * zeros and pass the elfproef; its {@code toString} and every {@link nl.betrokken.crypto.bsn.InvalidBsnException}
 * message are free of the digits, so neither can leak an identity into logs or error responses.
 *
 * <p>Not guaranteed: that the BSN was ever issued to anyone. The elfproef catches typing errors, not
 * made-up numbers.
 */
package nl.betrokken.crypto.bsn;
