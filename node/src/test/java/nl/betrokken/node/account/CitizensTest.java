package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import io.micronaut.security.authentication.Authentication;
import org.junit.jupiter.api.Test;

import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.Youths;

/** A citizen's sign-in carries the BSN for the inzage, and nowhere that is printed or logged. */
class CitizensTest {

    @Test
    void citizenSignIn_carriesTheBsn_butNeitherItsNameNorToStringShowsIt() {
        Bsn bsn = Bsn.parse(Youths.bsn());
        Authentication user = Citizens.of(bsn);
        assertEquals(Optional.of(bsn), Citizens.bsn(user));
        assertEquals(Citizens.NAME, user.getName());
        assertFalse(user.toString().contains(bsn.digits()), user.toString());
        assertFalse(String.valueOf(user.getAttributes()).contains(bsn.digits()));
    }

    @Test
    void professionalSignIn_hasNoBsn_andNoAccountCanHaveTheCitizenRole() {
        Account professional = new Account("noord-prof-a", null, Role.PROFESSIONAL, "noord-org-a", "A", null, null, true);
        assertEquals(Optional.empty(), Citizens.bsn(SignIn.of(professional)));
        Account citizen = new Account("x", null, Role.CITIZEN, null, "X", null, null, true);
        assertThrows(IllegalArgumentException.class, () -> SignIn.of(citizen));
    }
}
